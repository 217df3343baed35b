/**
 * `build --yes` with copies, a share and tags in the preset: a real Packer 1.6.6 null build
 * over SSH to a real sshd, then the image handed on through the local Huawei Cloud API server.
 */
import {rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {State} from '../../source/core/state.js';
import {runCliAsync} from '../helpers/cli.js';
import {layTestKit, tempDir, TEST_KEYS, writeNullTemplate} from '../helpers/kit.js';
import {startSshd, type Sshd} from '../helpers/sshd.js';
import {missing, titled} from '../helpers/tools.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';

const reason = missing({tools: ['packer', 'ssh-keygen', '/usr/sbin/sshd'], root: true});

describe.skipIf(reason)(titled('build, then copies, share and tags', reason), () => {
	let sshd: Sshd;
	let cloud: CloudServer;
	beforeAll(async () => {
		sshd = await startSshd(tempDir('sshd'));
		cloud = await startCloudServer({scenario: 'distribute', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
	});
	afterAll(async () => {
		await sshd?.stop();
		await cloud?.close();
	});

	async function build(scenario: string, extra: string[] = []) {
		cloud.use(scenario);
		cloud.requests.length = 0;
		const kit = await layTestKit(`dist-${scenario}`);
		writeFileSync(path.join(kit, 'presets', 'ci.json'), JSON.stringify({schemaVersion: 1, settings: cloud.scenario.answers}));
		const template = writeNullTemplate(kit, sshd);
		const state = tempDir('state');
		const env = {...TEST_KEYS, ...cloud.env, PACKER_TEMPLATE: template, CCE_WIZARD_STATE_DIR: state, HOME: tempDir('home'), CCE_JOB_POLL_MS: '50'};
		const run = await runCliAsync(['build', '--preset', 'ci', '--yes', ...extra], {cwd: kit, env, timeoutMs: 300_000});
		return {run, kit, record: new State(state).latestBuild(kit)};
	}

	it('--json: a stage per copy, share and tags, and a result listing the image in every region; the record keeps them', async () => {
		const {run, record} = await build('distribute', ['--json']);
		expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(0);
		const events = run.stdout.trim().split('\n').map(line => JSON.parse(line) as {type: string; [key: string]: any});
		const ended = events.filter(e => e.type === 'stage' && e['status'] !== 'running').map(e => `${e['id']}:${e['status']}`);
		expect(ended).toEqual(expect.arrayContaining(['copy:cn-north-4:done', 'copy:ap-southeast-3:done', 'share:done', 'tags:done']));
		const result = events.at(-1)!['result'];
		expect(result).toMatchObject({outcome: 'success', imageId: 'Null'});
		expect(result.images.map((i: any) => [i.region, i.status])).toEqual([
			['ap-southeast-1', 'active'],
			['cn-north-4', 'active'],
			['ap-southeast-3', 'active'],
		]);
		expect(result.images.every((i: any) => typeof i.id === 'string' && i.id.length > 0)).toBe(true);
		expect(record!.images!.map(i => i.id)).toEqual(result.images.map((i: any) => i.id));
		expect(record!.sharedWith).toEqual(['7d6c5b4a39284756a1b2c3d4e5f60718']);
		expect(cloud.requests.filter(r => r.path.endsWith('/cross_region_copy')).map(r => (r.body as any).region).sort()).toEqual(['ap-southeast-3', 'cn-north-4']);
	}, 360_000);

	it('a failing copy: exit 1, the built image still reported with the copy that worked, the failure named', async () => {
		const {run, record} = await build('copy-fails');
		expect(run.code, run.stdout + run.stderr).toBe(1);
		expect(run.stdout).toMatch(/Image built in [0-9ms ]+: Null/);
		expect(run.stdout).toMatch(/ap-southeast-1\s+Null \(built here\)/);
		expect(run.stdout).toMatch(/cn-north-4\s+[0-9a-f-]{36} \(copy\)/);
		expect(run.stdout).toMatch(/ap-southeast-3\s+no image: .*out of image storage/);
		expect(run.stdout).toMatch(/✖ Copy to ap-southeast-3: .*out of image storage/);
		expect(run.stdout).toContain('FAILED after the image was made: Copy to ap-southeast-3 failed');
		expect(record).toMatchObject({outcome: 'success', imageId: 'Null'});
		expect(record!.errors!.join('\n')).toContain('Copy to ap-southeast-3 failed');
	}, 360_000);
});
