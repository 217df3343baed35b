/**
 * The build runner with real parts: Debian's Packer 1.6.6 runs the kit's real build block
 * (null builder) over SSH to a real sshd on 127.0.0.1.
 */
import {spawn} from 'node:child_process';
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {resolveAnswers} from '../../source/core/answers.js';
import {launchBuild} from '../../source/core/run/launch.js';
import {followSession, type BuildReportEvent} from '../../source/core/run/report.js';
import {packageRoot} from '../../source/core/kit.js';
import {State} from '../../source/core/state.js';
import {ECHO_KEYS_PROVISIONER, layTestKit, PROCEDURE_ENV, tempDir, TEST_KEYS, writeNullTemplate} from '../helpers/kit.js';
import {filesContaining} from '../helpers/scan.js';
import {startSshd, type Sshd} from '../helpers/sshd.js';
import {missing, titled} from '../helpers/tools.js';

const reason = missing({tools: ['packer', 'ssh-keygen', '/usr/sbin/sshd'], root: true});

describe.skipIf(reason)(titled('the runner with Packer 1.6.6 and a real sshd', reason), () => {
	let sshd: Sshd;
	beforeAll(async () => {
		sshd = await startSshd(tempDir('sshd'));
	});
	afterAll(async () => {
		await sshd?.stop();
	});

	it('streams a real build into stages, artifact and history, and no key reaches anything written or shown', async () => {
		const kit = await layTestKit('runner');
		const template = writeNullTemplate(kit, sshd, ECHO_KEYS_PROVISIONER);
		const stateDir = tempDir('state');
		const state = new State(stateDir);
		const answers = resolveAnswers({env: PROCEDURE_ENV});
		const launched = await launchBuild({workspace: kit, answers, state, baseEnv: {PATH: process.env['PATH'], HOME: process.env['HOME'], PACKER_TEMPLATE: template}});
		const events: BuildReportEvent[] = [];
		const shown: string[] = [];
		followSession(launched.handle.session, event => events.push(event));
		launched.handle.session.subscribe((_event, text) => text !== undefined && shown.push(text));

		// While it runs, the history holds a record without an end.
		expect(state.latestBuild(kit)).toMatchObject({id: launched.record.id, workspace: kit});
		expect(state.latestBuild(kit)?.endedAt).toBeUndefined();

		const {result, record} = await launched.finished;
		expect(result.outcome, result.errors.join('\n')).toBe('success');
		expect(result.exitCode).toBe(0);
		const status = Object.fromEntries(launched.handle.session.progress.stages.map(s => [s.id, s.status]));
		expect(status).toMatchObject({
			ssh: 'done',
			'script:00-prepare.sh': 'done',
			'upload:example.package': 'done',
			'script:example.sh': 'done',
			'script:99-finalize.sh': 'done',
			az: 'skipped',
			image: 'skipped',
		});
		expect(launched.handle.session.progress.artifact).toMatchObject({builderId: expect.stringContaining('null'), id: 'Null'});
		expect(events.filter(e => e.type === 'stage' && e.status === 'done').map(e => (e as {id: string}).id)).toEqual(
			expect.arrayContaining(['ssh', 'script:00-prepare.sh', 'upload:example.package', 'script:example.sh', 'script:99-finalize.sh']),
		);
		expect(result.leftovers).toEqual([]);
		expect(record).toMatchObject({outcome: 'success', imageId: 'Null', logPath: result.packerLog});
		expect(new State(stateDir).build(record.id)?.endedAt).toBeDefined();

		// Packer 1.6.6 printed the sensitive variables in clear; we replaced them before anyone saw them.
		const wizardLog = readFileSync(result.wizardLog, 'utf8');
		expect(wizardLog).toContain('leak-check secret=<secret key redacted> access=<access key redacted>');
		expect(shown.join('\n')).toContain('leak-check secret=<secret key redacted>');
		const keys = [TEST_KEYS.IAM_SECRET_KEY, TEST_KEYS.IAM_ACCESS_KEY];
		expect(shown.join('\n')).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(filesContaining([kit, stateDir], keys)).toEqual([]);
		expect(readdirSync(path.join(kit, 'logs')).sort()).toEqual([path.basename(result.packerLog), path.basename(result.wizardLog), path.basename(launched.handle.outputLog)].sort());
		// The lock was released.
		expect(() => state.lockWorkspace(kit).release()).not.toThrow();
	});

	it('a failing user script fails its stage, and the build reports why', async () => {
		const kit = await layTestKit('runner-fail');
		const {writeFileSync} = await import('node:fs');
		writeFileSync(path.join(kit, 'user-scripts', '20-broken.sh'), '#!/usr/bin/env bash\necho "about to fail"\nexit 3\n', {mode: 0o755});
		const template = writeNullTemplate(kit, sshd);
		const state = new State(tempDir('state'));
		// A lock left by a wizard that died: taken over, and said so.
		const dead = spawn('true');
		await new Promise(resolve => dead.once('exit', resolve));
		state.lockWorkspace(kit, dead.pid);
		const launched = await launchBuild({workspace: kit, answers: resolveAnswers({env: PROCEDURE_ENV}), state, baseEnv: {PATH: process.env['PATH'], HOME: process.env['HOME'], PACKER_TEMPLATE: template}});
		expect(launched.tookOverLock).toContain(`Took over the workspace lock left by process ${dead.pid}`);
		const {result, record} = await launched.finished;
		expect(result.outcome).toBe('failed');
		expect(result.failedStage?.id).toBe('script:20-broken.sh');
		expect(result.errors.join('\n')).toMatch(/non-zero exit status: 3/);
		expect(record.outcome).toBe('failed');
		const status = Object.fromEntries(launched.handle.session.progress.stages.map(s => [s.id, s.status]));
		expect(status['script:99-finalize.sh']).toBe('skipped');
	});
});

describe('the history while a build runs', () => {
	it('holds what Packer created so far, so a killed wizard leaves the checklist a list', async () => {
		const kit = await layTestKit('ledger');
		// Packer's huaweicloud builder cannot run here: packer.sh replays the start of a recorded
		// ECS build (up to the EIP), then waits, as Packer waits for SSH.
		const transcript = readFileSync(path.join(packageRoot, 'test', 'fixtures', 'transcripts', 'ecs-success.txt'), 'utf8').split('\n');
		const upToEip = transcript.slice(0, transcript.findIndex(l => l.includes('Waiting for SSH')) + 1).join('\n');
		writeFileSync(path.join(kit, 'transcript.txt'), `${upToEip}\n`);
		writeFileSync(path.join(kit, 'packer.sh'), '#!/usr/bin/env bash\ncat transcript.txt\nexec sleep 60\n', {mode: 0o755});
		const stateDir = tempDir('state');
		const launched = await launchBuild({workspace: kit, answers: resolveAnswers({env: PROCEDURE_ENV}), state: new State(stateDir), baseEnv: {PATH: process.env['PATH']}});
		try {
			await vi.waitFor(() => {
				const record = new State(stateDir).build(launched.record.id)!;
				expect(record.endedAt).toBeUndefined();
				expect(record.leftovers?.map(e => e.kind)).toEqual(['keypair', 'volume', 'server', 'eip']);
			}, {timeout: 10_000, interval: 50});
		} finally {
			launched.handle.forceStop();
			await launched.finished;
		}
		const ended = new State(stateDir).build(launched.record.id)!;
		expect(ended).toMatchObject({outcome: 'cancelled'});
		expect(ended.leftovers?.map(e => e.kind)).toEqual(['keypair', 'volume', 'server', 'eip']);
	});

	it('a history that cannot be saved (a full disk) is said in the log, and the build goes on to its end', async () => {
		const kit = await layTestKit('full-disk');
		const transcript = readFileSync(path.join(packageRoot, 'test', 'fixtures', 'transcripts', 'ecs-success.txt'), 'utf8');
		writeFileSync(path.join(kit, 'transcript.txt'), transcript);
		writeFileSync(path.join(kit, 'packer.sh'), '#!/usr/bin/env bash\ncat transcript.txt\necho "packer.sh: finished: status 0" >&2\n', {mode: 0o755});
		// The state's disk is full: every save fails as the file system would say it.
		class FullDisk extends State {
			override saveBuild(): void {
				throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'});
			}
		}
		const launched = await launchBuild({workspace: kit, answers: resolveAnswers({env: PROCEDURE_ENV}), state: new FullDisk(tempDir('state')), baseEnv: {PATH: process.env['PATH']}});
		const {result} = await launched.finished;
		expect(result.outcome).toBe('success');
		expect(result.imageId).toBeTruthy();
		const log = launched.handle.session.log.tail().join('\n');
		expect(log).toContain('could not save the build history (ENOSPC)');
		expect(log).toContain('The build goes on');
	});
});
