/**
 * A build outlives the wizard: signals to `build` cancel and wait for Packer's clean-up, a
 * killed `build` leaves Packer running to its end (and the workspace locked), and the run
 * ends when packer.sh exits, whatever still holds its output.
 *
 * Packer here is a stand-in (test/fixtures/standin-packer.sh, given as PACKER_BIN) whose
 * clean-up after SIGTERM takes several seconds and records that it finished; the last test
 * runs the real Packer 1.6.6.
 */
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {packageRoot} from '../../source/core/kit.js';
import {State} from '../../source/core/state.js';
import {runCliAsync, spawnCli, type CliProcess} from '../helpers/cli.js';
import {layTestKit, nullTemplate, tempDir, TEST_KEYS} from '../helpers/kit.js';
import {startSshd, type Sshd} from '../helpers/sshd.js';
import {missing, titled} from '../helpers/tools.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';
import {writeFileSync} from 'node:fs';

const STANDIN = path.join(packageRoot, 'test', 'fixtures', 'standin-packer.sh');
const reason = missing({tools: ['packer', 'ssh-keygen', '/usr/sbin/sshd'], root: true});
// Generous: these machines are busy (see `make test-load`).
const LONG = 120_000;

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

describe.skipIf(reason)(titled('a build outlives the wizard', reason), () => {
	let cloud: CloudServer;
	let sshd: Sshd;
	const strays: number[] = [];
	beforeAll(async () => {
		cloud = await startCloudServer({scenario: 'healthy', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
		sshd = await startSshd(tempDir('sshd'));
	});
	afterAll(async () => {
		// Whatever a failed test left running: the stand-ins and their packer.sh.
		for (const pid of strays) {
			for (const target of [pid, -pid]) {
				try {
					process.kill(target, 'SIGKILL');
				} catch {}
			}
		}
		await cloud?.close();
		await sshd?.stop();
	});

	/** A kit with the healthy answers as preset `ci`, built by the stand-in Packer. */
	async function standinKit(prefix: string) {
		const kit = await layTestKit(prefix);
		writeFileSync(path.join(kit, 'presets', 'ci.json'), JSON.stringify({schemaVersion: 1, settings: cloud.scenario.answers}));
		const template = path.join(kit, 'test-null.pkr.hcl');
		writeFileSync(template, nullTemplate(sshd));
		const standin = tempDir('standin');
		const state = tempDir('state');
		const env = {...TEST_KEYS, ...cloud.env, PACKER_BIN: STANDIN, PACKER_TEMPLATE: template, STANDIN_DIR: standin, CCE_WIZARD_STATE_DIR: state, HOME: tempDir('home')};
		return {kit, standin, state, env};
	}

	/** Starts `build` and waits until the stand-in's build runs; returns the stand-in's pid. */
	async function startBuilding(kit: string, env: Record<string, string>, standin: string): Promise<{cli: CliProcess; packer: number}> {
		const cli = spawnCli(['build', '--preset', 'ci', '--yes'], {cwd: kit, env});
		await vi.waitFor(() => expect(existsSync(path.join(standin, 'pid')), cli.output()).toBe(true), {timeout: LONG, interval: 100});
		await vi.waitFor(() => expect(cli.output()).toContain('exists now: keypair packer_'), {timeout: LONG, interval: 100});
		const packer = Number(readFileSync(path.join(standin, 'pid'), 'utf8'));
		const wrapper = new State(env['CCE_WIZARD_STATE_DIR']).latestBuild(kit)?.runner?.pid;
		strays.push(packer, ...(wrapper ? [wrapper] : []));
		return {cli, packer};
	}

	it('two SIGINTs to build: cancelled, the clean-up finished, the end recorded', async () => {
		cloud.use('healthy');
		const {kit, standin, state, env} = await standinKit('sig-int');
		const {cli} = await startBuilding(kit, env, standin);
		cli.signal('SIGINT');
		await vi.waitFor(() => expect(existsSync(path.join(standin, 'cleanup-started'))).toBe(true), {timeout: LONG, interval: 50});
		await vi.waitFor(() => expect(cli.output()).toContain('Cancelling: Packer is deleting'), {timeout: LONG, interval: 50});
		expect(cli.output()).not.toContain('Still cleaning up');
		cli.signal('SIGINT');
		const code = await cli.exited;
		const output = cli.output();
		expect(existsSync(path.join(standin, 'cleanup-finished')), output).toBe(true);
		expect(code).toBe(1);
		// One "Cancelling", one "Still cleaning up": each signal counted once.
		expect(output.match(/Cancelling: Packer is deleting/g)).toHaveLength(1);
		expect(output.match(/Still cleaning up/g)).toHaveLength(1);
		expect(output).toContain('Build cancelled');
		expect(output).not.toMatch(/failed with status/);
		expect(new State(state).latestBuild(kit)).toMatchObject({outcome: 'cancelled', endedAt: expect.any(String)});
	});

	it('the third signal forces: build ends at once and lists what may be left', async () => {
		cloud.use('healthy');
		const {kit, standin, state, env} = await standinKit('sig-force');
		// A clean-up that outlasts the test: the third signal must come in the middle of it.
		const {cli, packer} = await startBuilding(kit, {...env, STANDIN_CLEANUP_S: '120'}, standin);
		cli.signal('SIGINT');
		await vi.waitFor(() => expect(existsSync(path.join(standin, 'cleanup-started'))).toBe(true), {timeout: LONG, interval: 50});
		await vi.waitFor(() => expect(cli.output()).toContain('Cancelling: Packer is deleting'), {timeout: LONG, interval: 50});
		cli.signal('SIGINT');
		await vi.waitFor(() => expect(cli.output()).toContain('Still cleaning up'), {timeout: LONG, interval: 50});
		cli.signal('SIGINT');
		expect(await cli.exited).toBe(1);
		// Stopped in the middle of its clean-up: what it had created is named.
		expect(existsSync(path.join(standin, 'cleanup-finished'))).toBe(false);
		await vi.waitFor(() => expect(alive(packer)).toBe(false), {timeout: LONG, interval: 100});
		expect(cli.output()).toContain('Stopped hard: these may still exist and cost money:');
		expect(cli.output()).toContain('keypair packer_6561c6f1-8a1e-4bd5-07f3-3c2a9b1d4e5f');
		expect(new State(state).latestBuild(kit)).toMatchObject({outcome: 'cancelled', leftovers: [{kind: 'keypair'}]});
	});

	for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
		it(`${signal} to build cancels as Ctrl+C does and waits for the clean-up; the end is recorded`, async () => {
			cloud.use('healthy');
			const {kit, standin, state, env} = await standinKit(`sig-${signal.toLowerCase()}`);
			const {cli} = await startBuilding(kit, env, standin);
			cli.signal(signal);
			const code = await cli.exited;
			expect(existsSync(path.join(standin, 'cleanup-finished')), cli.output()).toBe(true);
			expect(code).toBe(1);
			expect(cli.output()).toContain('Build cancelled');
			const record = new State(state).latestBuild(kit)!;
			expect(record).toMatchObject({outcome: 'cancelled', endedAt: expect.any(String)});
			expect(record.leftovers).toEqual([]);
		});
	}

	it('after SIGKILL of build, Packer runs on, the workspace stays locked, and the next start records the end', async () => {
		cloud.use('healthy');
		const {kit, standin, state, env} = await standinKit('sig-kill');
		const {cli, packer} = await startBuilding(kit, env, standin);
		cli.signal('SIGKILL');
		await cli.exited;
		// Packer lives on: not killed by SIGPIPE at its next line.
		const record = new State(state).latestBuild(kit)!;
		const wrapper = record.runner!.pid;
		expect(alive(packer)).toBe(true);
		expect(alive(wrapper)).toBe(true);

		const second = await runCliAsync(['build', '--preset', 'ci', '--yes'], {cwd: kit, env, timeoutMs: LONG});
		expect(second.code).toBe(1);
		expect(second.stderr).toContain(`its packer.sh (process ${wrapper}`);
		expect(second.stderr).toContain('outlived the wizard');
		expect(readdirSync(path.join(kit, 'logs')).filter(f => f.startsWith('output_'))).toHaveLength(1);

		// Packer still writes its output where the next wizard can read it.
		process.kill(wrapper, 'SIGTERM');
		await vi.waitFor(() => expect(alive(wrapper)).toBe(false), {timeout: LONG, interval: 100});
		expect(existsSync(path.join(standin, 'cleanup-finished'))).toBe(true);
		expect(readFileSync(path.join(kit, 'logs', `output_${record.runner!.timestamp}.log`), 'utf8')).toContain('packer.sh: finished: cancelled, status 1');

		// The next start finds the build and records how it ended.
		const cleanup = await runCliAsync(['cleanup', '--json'], {cwd: kit, env, timeoutMs: LONG});
		expect(cleanup.code, cleanup.stderr).toBe(0);
		expect(JSON.parse(cleanup.stdout).build).toMatchObject({id: record.id, outcome: 'cancelled', endedAt: expect.any(String)});
		expect(new State(state).build(record.id)).toMatchObject({outcome: 'cancelled', leftovers: []});
	});

	it('an image name that looks like an access key: the build is recorded and finishes', async () => {
		cloud.use('healthy');
		const imageName = 'cce_ABCDEFGHIJ0123456789';
		// Given in the environment: a preset refuses key-shaped values, the environment cannot.
		const {kit, state, env} = await standinKit('key-like');
		const run = await runCliAsync(['build', '--preset', 'ci', '--yes'], {cwd: kit, env: {...env, PKR_VAR_image_name: imageName, STANDIN_IMAGE_NAME: imageName}, timeoutMs: LONG});
		expect(run.code, run.stdout + run.stderr).toBe(0);
		expect(run.stdout).toContain('Image built');
		expect(new State(state).latestBuild(kit)).toMatchObject({outcome: 'success', imageName, imageId: '5f1c8a7e-3d2b-4c9a-8e7f-6a5b4c3d2e1f'});
	});

	it('real Packer: a shell-local step leaves a child holding the output; the command ends with packer.sh, not with the child', async () => {
		cloud.use('healthy');
		const kit = await layTestKit('holder');
		writeFileSync(path.join(kit, 'presets', 'ci.json'), JSON.stringify({schemaVersion: 1, settings: cloud.scenario.answers}));
		const holder = path.join(tempDir('holder'), 'pid');
		// The child inherits Packer's stdout and stderr (Packer 1.6.6 passes them on), and outlives the step.
		const step = `  provisioner "shell-local" {\n    inline = ["echo local step started", "sleep 300 & echo $! > ${holder}", "sleep 300"]\n  }`;
		writeFileSync(path.join(kit, 'test-null.pkr.hcl'), nullTemplate(sshd, '>= 1.6.0', step));
		const env = {...TEST_KEYS, ...cloud.env, PACKER_TEMPLATE: path.join(kit, 'test-null.pkr.hcl'), CCE_WIZARD_STATE_DIR: tempDir('state'), HOME: tempDir('home')};
		const cli = spawnCli(['build', '--preset', 'ci', '--yes'], {cwd: kit, env});
		try {
			await vi.waitFor(() => expect(existsSync(holder), cli.output()).toBe(true), {timeout: LONG * 2, interval: 100});
			const child = Number(readFileSync(holder, 'utf8'));
			strays.push(child);
			cli.signal('SIGINT');
			expect(await cli.exited).toBe(1);
			// packer.sh has exited and the build is over, while the child still holds what was Packer's output.
			expect(alive(child)).toBe(true);
			expect(cli.output()).toContain('Build cancelled');
			const output = readdirSync(path.join(kit, 'logs')).find(f => f.startsWith('output_'))!;
			expect(readFileSync(path.join(kit, 'logs', output), 'utf8')).toContain('packer.sh: finished: cancelled, status 1');
		} finally {
			cli.signal('SIGKILL');
		}
	});
});
