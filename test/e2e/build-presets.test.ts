/**
 * `build --preset a --preset b ...`: each preset checked and built in turn (a real Packer
 * 1.6.6 null build over SSH to a real sshd), then one summary naming every preset.
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

describe.skipIf(reason)(titled('build with several presets', reason), () => {
	let sshd: Sshd;
	let cloud: CloudServer;
	beforeAll(async () => {
		sshd = await startSshd(tempDir('sshd'));
		cloud = await startCloudServer({scenario: 'healthy', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
	});
	afterAll(async () => {
		await sshd?.stop();
		await cloud?.close();
	});

	it('builds them one after another and ends with one summary; a preset that cannot build does not stop the others', async () => {
		const kit = await layTestKit('presets');
		const good = cloud.scenario.answers;
		writeFileSync(path.join(kit, 'presets', 'nodes.json'), JSON.stringify({schemaVersion: 1, settings: good}));
		writeFileSync(path.join(kit, 'presets', 'broken.json'), JSON.stringify({schemaVersion: 1, settings: {...good, volume_size: 30}}));
		const state = tempDir('state');
		const env = {...TEST_KEYS, ...cloud.env, PACKER_TEMPLATE: writeNullTemplate(kit, sshd), CCE_WIZARD_STATE_DIR: state, HOME: tempDir('home')};
		const run = await runCliAsync(['build', '--preset', 'broken', '--preset', 'nodes', '--preset', 'absent', '--yes'], {cwd: kit, env, timeoutMs: 420_000});
		expect(run.code, run.stdout + run.stderr).toBe(1);
		const out = run.stdout;
		// In the order given, each with its own checks.
		expect(out.indexOf('=== Preset broken (1 of 3) ===')).toBeLessThan(out.indexOf('=== Preset nodes (2 of 3) ==='));
		expect(out.indexOf('=== Preset nodes (2 of 3) ===')).toBeLessThan(out.indexOf('=== Preset absent (3 of 3) ==='));
		const summary = out.slice(out.indexOf('Summary of 3 builds:'));
		expect(summary).toMatch(/✖ broken\s+not built/);
		expect(summary).toMatch(/✔ nodes\s+success: Null \(build \S+\)/);
		expect(summary).toMatch(/✖ absent\s+not built/);
		expect(summary).toContain('absent');
		const builds = new State(state).builds();
		expect(builds.map(b => [b.preset, b.outcome])).toEqual([['nodes', 'success']]);
	}, 480_000);
});
