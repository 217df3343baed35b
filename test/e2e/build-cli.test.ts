/**
 * `cce-image-wizard build --preset X --yes`: checks against the local Huawei Cloud API
 * server, then a real Packer 1.6.6 null build over SSH to a real sshd — without a terminal
 * (plain lines, JSON events) and in tmux (the panes, and Ctrl+C).
 */
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {State} from '../../source/core/state.js';
import {CLI, runCliAsync} from '../helpers/cli.js';
import {layTestKit, tempDir, TEST_KEYS, writeNullTemplate} from '../helpers/kit.js';
import {filesContaining} from '../helpers/scan.js';
import {startSshd, type Sshd} from '../helpers/sshd.js';
import {openTerminal} from '../helpers/tmux.js';
import {missing, processesMentioning, titled} from '../helpers/tools.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';

const reason = missing({tools: ['packer', 'ssh-keygen', '/usr/sbin/sshd', 'tmux'], root: true});


describe.skipIf(reason)(titled('build, end to end', reason), () => {
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

	/** A kit with the healthy scenario's answers as preset `ci`, and the null test template. */
	async function prepareKit(prefix: string) {
		const kit = await layTestKit(prefix);
		writeFileSync(path.join(kit, 'presets', 'ci.json'), JSON.stringify({schemaVersion: 1, settings: cloud.scenario.answers}));
		const template = writeNullTemplate(kit, sshd);
		const state = tempDir('state');
		const env = {...TEST_KEYS, ...cloud.env, PACKER_TEMPLATE: template, CCE_WIZARD_STATE_DIR: state, HOME: tempDir('home')};
		return {kit, state, env};
	}

	it('without a terminal: checks, then stage changes as plain lines, the result, exit 0, a history record', async () => {
		cloud.use('healthy');
		const {kit, state, env} = await prepareKit('build-plain');
		const run = await runCliAsync(['build', '--preset', 'ci', '--yes'], {cwd: kit, env, timeoutMs: 240_000});
		expect(run.code, run.stdout + run.stderr).toBe(0);
		expect(run.stdout).toContain('Security group allows SSH from the executor');
		expect(run.stdout).toMatch(/\] ▶ Wait for SSH/);
		expect(run.stdout).toMatch(/\] ✔ Run example\.sh/);
		expect(run.stdout).toMatch(/Image built in (\d+m )?\d+s: Null/);
		const record = new State(state).latestBuild(kit)!;
		expect(record).toMatchObject({preset: 'ci', outcome: 'success', region: 'ap-southeast-1'});
		expect(readFileSync(record.logPath!, 'utf8')).toContain('Packer version: 1.6.6');
		expect(filesContaining([kit, state], [TEST_KEYS.IAM_SECRET_KEY, TEST_KEYS.IAM_ACCESS_KEY])).toEqual([]);
		expect(run.stdout + run.stderr).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
	});

	it('--json: one event per line, ending with the result', async () => {
		cloud.use('healthy');
		const {kit, env} = await prepareKit('build-json');
		const run = await runCliAsync(['build', '--preset', 'ci', '--yes', '--json'], {cwd: kit, env, timeoutMs: 240_000});
		expect(run.code, run.stderr).toBe(0);
		const events = run.stdout.trim().split('\n').map(line => JSON.parse(line) as {type: string; [key: string]: unknown});
		expect(events[0]).toMatchObject({type: 'checks', ok: true});
		expect(events.filter(e => e.type === 'stage').map(e => `${e['id']}:${e['status']}`)).toEqual(expect.arrayContaining(['ssh:running', 'ssh:done', 'script:example.sh:done']));
		expect(events.at(-1)).toMatchObject({type: 'result', result: {outcome: 'success', imageId: 'Null'}});
	});

	it('credentials=temporary: Packer gets only the temporary AK, SK and token; no secret reaches a file or --json', async () => {
		cloud.use('healthy');
		const kit = await layTestKit('build-temporary');
		writeFileSync(path.join(kit, 'presets', 'ci.json'), JSON.stringify({schemaVersion: 1, settings: {...cloud.scenario.answers, credentials: 'temporary'}}));
		// What Packer's own environment holds, written where no scan of the kit looks.
		const dump = path.join(tempDir('child-env'), 'env.txt');
		const template = writeNullTemplate(kit, sshd, `  provisioner "shell-local" {\n    inline = ["env > ${dump}"]\n  }`);
		const state = tempDir('state');
		const env = {...TEST_KEYS, HW_ACCESS_KEY: TEST_KEYS.IAM_ACCESS_KEY, ...cloud.env, PACKER_TEMPLATE: template, CCE_WIZARD_STATE_DIR: state, HOME: tempDir('home')};
		const run = await runCliAsync(['build', '--preset', 'ci', '--yes', '--json'], {cwd: kit, env, timeoutMs: 280_000});
		expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(0);
		const minted = cloud.temporaryCredentials().at(-1)!;
		const childEnv = new Map(readFileSync(dump, 'utf8').split('\n').map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
		expect(childEnv.get('IAM_ACCESS_KEY')).toBe(minted.access);
		expect(childEnv.get('IAM_SECRET_KEY')).toBe(minted.secret);
		expect(childEnv.get('IAM_SECURITY_TOKEN')).toBe(minted.securitytoken);
		expect(childEnv.get('HW_SECURITY_TOKEN')).toBe(minted.securitytoken);
		expect(childEnv.has('HW_ACCESS_KEY')).toBe(false);
		const whole = readFileSync(dump, 'utf8');
		expect(whole).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
		expect(whole).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		const secrets = [TEST_KEYS.IAM_ACCESS_KEY, TEST_KEYS.IAM_SECRET_KEY, minted.access, minted.secret, minted.securitytoken];
		expect(filesContaining([kit, state], secrets)).toEqual([]);
		for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
		const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {result: {outcome: string}};
		expect(result.result.outcome).toBe('success');
		const record = new State(state).latestBuild(kit)!;
		expect(record.credential).toMatchObject({mode: 'temporary', accessKey: `****${minted.access.slice(-4)}`, mintedWith: `****${TEST_KEYS.IAM_ACCESS_KEY.slice(-4)}`});
		expect(Date.parse(record.credential!.expiresAt!)).toBe(Date.parse(minted.expires_at));
	}, 300_000);

	it('refuses to build when a check fails, and says so', async () => {
		cloud.use('no-port-22');
		const {kit, env} = await prepareKit('build-blocked');
		const run = await runCliAsync(['build', '--preset', 'ci', '--yes'], {cwd: kit, env, timeoutMs: 60_000});
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('no inbound rule allows TCP 22');
		expect(run.stderr).toContain('Not building');
		expect(run.stdout).not.toContain('Wait for SSH');
	});

	it('in tmux: Ctrl+C during a long provisioner cancels cleanly, exits non-zero after Packer, terminal restored', async () => {
		cloud.use('healthy');
		const {kit, env} = await prepareKit('build-tmux');
		const pidFile = path.join(sshd.workDir, 'long-step.pid');
		writeFileSync(path.join(kit, 'user-scripts', '50-long.sh'), `#!/usr/bin/env bash\necho "long step started"\necho $$ > ${pidFile}\nexec sleep 120\n`, {mode: 0o755});
		const terminal = openTerminal({columns: 100, rows: 30, env, cwd: kit});
		try {
			terminal.type(`node ${CLI} build --preset ci --yes; echo "EXIT=$?"`);
			terminal.send('Enter');
			await terminal.waitFor('long step started', 180_000);
			expect(terminal.screen()).toContain('In your account now');
			expect(terminal.screen()).toMatch(/Ctrl\+C cancel/);
			terminal.send('C-c');
			const end = await terminal.waitFor(/EXIT=\d+/, 180_000);
			expect(end).toMatch(/EXIT=1\b/);
			expect(terminal.history()).toMatch(/Cleanly cancel/);
			expect(terminal.history()).toContain('Build cancelled');
			expect(processesMentioning(kit)).toBe('');
			// The shell works and the terminal is back in cooked mode.
			terminal.type(`echo "MODE=$(stty -a | tr ' ' '\\n' | grep -x -E -- '-?(icanon|echo)' | paste -sd,)"`);
			terminal.send('Enter');
			const mode = /MODE=([-a-z,]+)/.exec(await terminal.waitFor(/MODE=[-a-z]/))![1];
			expect(mode!.split(',').sort()).toEqual(['echo', 'icanon']);
			expect(terminal.history()).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		} finally {
			terminal.kill();
			try {
				process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
			} catch {}
		}
	});
});
