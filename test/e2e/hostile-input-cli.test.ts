/**
 * The CLI fed what an attacker or a broken machine gives it: a FIFO or a device as a preset,
 * escapes in a preset, a key pasted into a setting, a read-only workspace.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, NO_CLOUD, runCli, runCliAsync} from '../helpers/cli.js';
import {layTestKit, PROCEDURE_ENV, tempDir, TEST_KEYS} from '../helpers/kit.js';
import {missing, titled} from '../helpers/tools.js';

const ESC = '\u001B';
const env = () => ({CCE_WIZARD_STATE_DIR: tempDir('state')});

describe('presets that are not small regular files', () => {
	it('a FIFO at presets/x.json is named, not waited on, by presets list', () => {
		const workspace = tempDir('fifo');
		mkdirSync(path.join(workspace, 'presets'));
		execFileSync('mkfifo', [path.join(workspace, 'presets', 'x.json')]);
		const run = runCli(['presets', 'list'], {cwd: workspace, env: env()});
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toMatch(/x\s+UNREADABLE: .*named pipe \(FIFO\)/);
	});

	it('a preset linked to /dev/zero is refused at once', () => {
		const workspace = tempDir('zero');
		mkdirSync(path.join(workspace, 'presets'));
		symlinkSync('/dev/zero', path.join(workspace, 'presets', 'z.json'));
		const run = runCli(['presets', 'show', 'z'], {cwd: workspace, env: env()});
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('is a device');
		expect(run.stderr).not.toContain('    at ');
	});

	it('a preset with escapes is refused and nothing printed carries them', () => {
		const workspace = tempDir('esc');
		mkdirSync(path.join(workspace, 'presets'));
		writeFileSync(path.join(workspace, 'presets', 'e.json'), JSON.stringify({schemaVersion: 1, settings: {image_name: `x${ESC}]0;PWNED\u0007`, image_description: `a\rb`}}));
		for (const args of [['presets', 'show', 'e'], ['presets', 'list'], ['env', '--preset', 'e']]) {
			const run = runCli(args, {cwd: workspace, env: env()});
			expect(run.stdout + run.stderr).not.toContain(ESC);
			expect(run.stdout + run.stderr).not.toContain('\r');
		}
	});
});

describe('a key pasted into another setting', () => {
	it('check --set vpc_id=<the SK> never prints it', async () => {
		const workspace = await layTestKit('pasted');
		const run = await runCliAsync(['check', '--set', `vpc_id=${TEST_KEYS.IAM_SECRET_KEY}`], {cwd: workspace, env: {...PROCEDURE_ENV, ...NO_CLOUD, ...env()}, timeoutMs: 180_000});
		expect(run.stdout).toContain('looks like a secret key');
		expect(run.stdout + run.stderr).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
	}, 200_000);

	it('env refuses PKR_VAR_image_name=<the SK> and writes no build.env', () => {
		const workspace = tempDir('pasted-env');
		const run = runCli(['env'], {cwd: workspace, env: {...PROCEDURE_ENV, PKR_VAR_image_name: TEST_KEYS.IAM_SECRET_KEY, ...env()}});
		expect(run.code).toBe(1);
		expect(run.stdout + run.stderr).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(spawnSync('test', ['-e', path.join(workspace, 'build.env')]).status).not.toBe(0);
	});
});

const readOnly = missing({tools: ['unshare', 'mount'], root: true});

describe('a read-only workspace', () => {
	it.skipIf(readOnly)(
		titled('check fails the writable check with words, not a stack', readOnly),
		async () => {
			const workspace = await layTestKit('ro');
			// A private mount namespace: the read-only bind mount goes away with the process.
			const run = spawnSync(
				'unshare',
				['-m', '--propagation', 'private', 'sh', '-c', 'mount --bind -o ro "$1" "$1" && cd "$1" && exec "$2" "$3" check --json', 'sh', workspace, process.execPath, CLI],
				{env: {PATH: process.env['PATH'], HOME: process.env['HOME'], ...PROCEDURE_ENV, ...NO_CLOUD, ...env()}, encoding: 'utf8', timeout: 180_000},
			);
			const report = JSON.parse(run.stdout) as {results: Array<{id: string; status: string; detail: string}>};
			const writable = report.results.find(r => r.id === 'executor.writable')!;
			expect(writable.status).toBe('fail');
			expect(writable.detail).toContain('read-only');
			expect(run.stderr).not.toContain('    at ');
		},
		200_000,
	);
});
