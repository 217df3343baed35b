/**
 * The files a build writes, attacked: links planted where the logs and the redaction's temp
 * file go, Packer's log read while it runs, and Packer's own temp files after a finished,
 * a failed and a cancelled build. Real packer.sh, real Packer, real sshd.
 */
import {spawn} from 'node:child_process';
import {existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startBuild} from '../../source/core/run/runner.js';
import {buildRedactor} from '../../source/core/run/redact.js';
import {ECHO_KEYS_PROVISIONER, layTestKit, PROCEDURE_ENV, tempDir, TEST_KEYS, writeNullTemplate} from '../helpers/kit.js';
import {filesContaining} from '../helpers/scan.js';
import {startSshd, type Sshd} from '../helpers/sshd.js';
import {missing, titled} from '../helpers/tools.js';

const KEYS = [TEST_KEYS.IAM_ACCESS_KEY, TEST_KEYS.IAM_SECRET_KEY];
const TIMESTAMP = '20261125120000';
/** A build over SSH takes tens of seconds on a loaded machine. */
const BUILD_TIMEOUT = 240_000;

type Run = {code: number | null; output: string};

/** packer.sh in its own process group, with `env` only (and PATH, HOME). */
function runPackerSh(kit: string, env: Record<string, string>, onOutput?: (output: string, pid: number) => void): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(path.join(kit, 'packer.sh'), [], {
			cwd: kit,
			env: {PATH: process.env['PATH'], HOME: process.env['HOME'], ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let output = '';
		const collect = (chunk: Buffer) => {
			output += chunk.toString();
			onOutput?.(output, child.pid!);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.once('error', reject);
		child.once('close', code => resolve({code, output}));
	});
}

/** A file outside the workspace that an attacker wants written: its content and mode must not change. */
function victim(): {file: string; unchanged: () => void} {
	const file = path.join(tempDir('victim'), 'target');
	writeFileSync(file, 'precious\n', {mode: 0o644});
	return {
		file,
		unchanged() {
			expect(readFileSync(file, 'utf8')).toBe('precious\n');
			expect(statSync(file).mode & 0o777).toBe(0o644);
		},
	};
}

const needs = missing({tools: ['packer', 'ssh-keygen', '/usr/sbin/sshd'], root: true});

describe('files a build writes, with links planted and keys printed', () => {
	let sshd: Sshd;
	beforeAll(async () => {
		if (needs) return;
		sshd = await startSshd(tempDir('sshd'));
	});
	afterAll(async () => {
		await sshd?.stop();
	});

	async function kitPrintingKeys(prefix: string): Promise<{kit: string; template: string}> {
		const kit = await layTestKit(prefix);
		return {kit, template: writeNullTemplate(kit, sshd, ECHO_KEYS_PROVISIONER)};
	}

	it.skipIf(needs)(titled("packer.sh refuses a link planted at Packer's log and writes nothing through it", needs), async () => {
		const {kit, template} = await kitPrintingKeys('plant-log');
		const target = victim();
		// The link exists before packer.sh runs (planted for "the coming seconds").
		const {mkdirSync} = await import('node:fs');
		mkdirSync(path.join(kit, 'logs'));
		symlinkSync(target.file, path.join(kit, 'logs', `packer_${TIMESTAMP}.log`));
		const run = await runPackerSh(kit, {...PROCEDURE_ENV, PACKER_TEMPLATE: template, PACKER_BUILD_TIMESTAMP: TIMESTAMP});
		expect(run.code).not.toBe(0);
		expect(run.output).toContain('already exists (a link planted there?)');
		target.unchanged();
		expect(lstatSync(path.join(kit, 'logs', `packer_${TIMESTAMP}.log`)).isSymbolicLink()).toBe(true);
	});

	it.skipIf(needs)(titled("a link planted at the redaction's old temp name is left alone; Packer's log is 0600 while Packer runs", needs), async () => {
		const {kit, template} = await kitPrintingKeys('plant-redact');
		const target = victim();
		const log = path.join(kit, 'logs', `packer_${TIMESTAMP}.log`);
		const modes: number[] = [];
		let planted = false;
		const run = await runPackerSh(kit, {...PROCEDURE_ENV, PACKER_TEMPLATE: template, PACKER_BUILD_TIMESTAMP: TIMESTAMP}, (output, pid) => {
			if (!planted && output.includes('debug log:')) {
				planted = true;
				// The temp name the redaction used to take: the log's name plus packer.sh's PID.
				symlinkSync(target.file, `${log}.redact.${pid}`);
			}
			if (output.includes('leak-check') && existsSync(log)) modes.push(statSync(log).mode & 0o777);
		});
		expect(run.code, run.output).toBe(0);
		expect(planted).toBe(true);
		target.unchanged();
		expect(modes.length).toBeGreaterThan(0);
		expect(new Set(modes)).toEqual(new Set([0o600]));
		expect(statSync(log).mode & 0o777).toBe(0o600);
		const text = readFileSync(log, 'utf8');
		expect(text).toContain('leak-check');
		for (const key of KEYS) expect(text).not.toContain(key);
	}, BUILD_TIMEOUT);

	it.skipIf(needs)(titled("the runner refuses a link planted at the wizard's log", needs), async () => {
		const {kit, template} = await kitPrintingKeys('plant-wizard-log');
		const target = victim();
		const {mkdirSync} = await import('node:fs');
		mkdirSync(path.join(kit, 'logs'));
		symlinkSync(target.file, path.join(kit, 'logs', `wizard_${TIMESTAMP}.log`));
		await expect(
			startBuild({
				workspace: kit,
				env: {...PROCEDURE_ENV, PACKER_TEMPLATE: template},
				baseEnv: {PATH: process.env['PATH'], HOME: process.env['HOME']},
				redact: buildRedactor({accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}),
				timestamp: TIMESTAMP,
			}),
		).rejects.toThrow(/wizard_20261125120000\.log: already exists/);
		target.unchanged();
	});

	describe("Packer's temporary files hold no key once the build is over", () => {
		/** Runs a build with its own system temp folder; returns what holds a key afterwards. */
		async function keysLeftAfter(kind: 'finished' | 'failed' | 'cancelled'): Promise<{run: Run; holders: string[]; kit: string}> {
			const kit = await layTestKit(`tmp-${kind}`);
			if (kind === 'failed') writeFileSync(path.join(kit, 'user-scripts', '50-fail.sh'), '#!/usr/bin/env bash\necho "about to fail"\nexit 3\n', {mode: 0o755});
			if (kind === 'cancelled') writeFileSync(path.join(kit, 'user-scripts', '50-long.sh'), '#!/usr/bin/env bash\necho "long step started"\nexec sleep 60\n', {mode: 0o755});
			const template = writeNullTemplate(kit, sshd, ECHO_KEYS_PROVISIONER);
			const systemTemp = tempDir(`systmp-${kind}`);
			let signalled = false;
			const run = await runPackerSh(kit, {...PROCEDURE_ENV, PACKER_TEMPLATE: template, TMPDIR: systemTemp}, (output, pid) => {
				if (kind === 'cancelled' && !signalled && output.includes('long step started')) {
					signalled = true;
					process.kill(-pid, 'SIGINT');
				}
			});
			// The remote side of the null builder is this machine: its /tmp is not Packer's temp folder.
			return {run, kit, holders: filesContaining([systemTemp, kit], KEYS)};
		}

		for (const kind of ['finished', 'failed', 'cancelled'] as const) {
			it.skipIf(needs)(titled(`after a ${kind} build`, needs), async () => {
				const {run, holders, kit} = await keysLeftAfter(kind);
				expect(run.code === 0, run.output).toBe(kind === 'finished');
				expect(holders).toEqual([]);
				// packer.sh removed its private temp folder.
				expect(readdirSync(kit).filter(name => name.startsWith('.packer-tmp.'))).toEqual([]);
			}, BUILD_TIMEOUT);
		}

		it.skipIf(needs)(
			titled('after a build stopped hard (the whole process group killed)', needs),
			async () => {
				const kit = await layTestKit('tmp-killed');
				writeFileSync(path.join(kit, 'user-scripts', '50-long.sh'), '#!/usr/bin/env bash\necho "long step started"\nexec sleep 60\n', {mode: 0o755});
				const template = writeNullTemplate(kit, sshd, ECHO_KEYS_PROVISIONER);
				const systemTemp = tempDir('systmp-killed');
				const handle = await startBuild({
					workspace: kit,
					env: {...PROCEDURE_ENV, PACKER_TEMPLATE: template},
					baseEnv: {PATH: process.env['PATH'], HOME: process.env['HOME'], TMPDIR: systemTemp},
					redact: buildRedactor({accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}),
					keys: KEYS,
				});
				const stop = handle.session.subscribe((_event, text) => {
					if (text?.includes('long step started')) handle.forceStop();
				});
				const result = await handle.result;
				stop();
				expect(result.forced).toBe(true);
				expect(filesContaining([systemTemp, kit], KEYS)).toEqual([]);
				expect(readdirSync(kit).filter(name => name.startsWith('.packer-tmp.'))).toEqual([]);
			},
			BUILD_TIMEOUT,
		);
	});
});
