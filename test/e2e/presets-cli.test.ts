/** presets and env commands, run as the built CLI, with the keys exported as operators do. */
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {PROCEDURE_ENV, tempDir, TEST_KEYS} from '../helpers/kit.js';
import {filesContaining} from '../helpers/scan.js';

describe('presets and env commands', () => {
	it('a full flow writes no key anywhere: workspace, state, temporary files', () => {
		const workspace = tempDir('ws');
		const home = tempDir('home');
		const state = tempDir('state');
		const tmp = tempDir('tmp');
		const env = {...PROCEDURE_ENV, HOME: home, CCE_WIZARD_STATE_DIR: state, TMPDIR: tmp};
		const run = (...args: string[]) => runCli(args, {cwd: workspace, env});
		const outputs: string[] = [];
		const ok = (...args: string[]) => {
			const result = run(...args);
			outputs.push(result.stdout, result.stderr);
			expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
			return result.stdout;
		};

		expect(ok('presets', 'save', 'prod', '--set', 'ecs_flavor=c7.xlarge.2')).toContain('Saved');
		const saved = JSON.parse(readFileSync(path.join(workspace, 'presets', 'prod.json'), 'utf8'));
		expect(saved.settings).toMatchObject({region_name: 'ap-southeast-1', ecs_flavor: 'c7.xlarge.2', vpc_id: PROCEDURE_ENV.ECS_VPC_ID});
		expect(saved.settings).not.toHaveProperty('secret_key');

		const refused = run('presets', 'save', 'prod');
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('--force');
		ok('presets', 'save', 'prod', '--force', '--set', 'volume_size=80');

		// show: the preset as it resolves, with sources (env wins over preset).
		const shown = ok('presets', 'show', 'prod');
		expect(shown).toMatch(/Flavor\s+c7\.large\.2\s+default/); // the forced save had no flavor flag
		expect(shown).toMatch(/System disk size \(GB\)\s+80\s+preset/);
		expect(shown).toMatch(/Region\s+ap-southeast-1\s+env/);
		expect(shown).toContain(`****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)}`);
		const json = JSON.parse(ok('presets', 'show', 'prod', '--json'));
		expect(json.settings.find((s: {key: string}) => s.key === 'volume_size')).toMatchObject({value: '80', source: 'preset'});
		expect(json.problems).toEqual([]);

		expect(ok('presets', 'list')).toContain('prod');
		expect(JSON.parse(ok('presets', 'list', '--json')).presets[0]).toMatchObject({name: 'prod', region: 'ap-southeast-1'});

		ok('env', '--preset', 'prod');
		const envFile = path.join(workspace, 'build.env');
		expect(statSync(envFile).mode & 0o777).toBe(0o600);
		expect(readFileSync(envFile, 'utf8')).toContain('export PKR_VAR_volume_size=80');

		ok('presets', 'save', 'scratch');
		ok('presets', 'delete', 'scratch');

		const keys = [TEST_KEYS.IAM_SECRET_KEY, TEST_KEYS.IAM_ACCESS_KEY];
		expect(filesContaining([workspace, home, state, tmp], keys)).toEqual([]);
		for (const output of outputs) for (const key of keys) expect(output).not.toContain(key);
	});

	it('a broken preset is reported with file and field, exit 1', () => {
		const workspace = tempDir('ws');
		const env = {CCE_WIZARD_STATE_DIR: tempDir('state')};
		runCli(['presets', 'save', 'p', '--set', 'region_name=cn-north-4'], {cwd: workspace, env});
		const file = path.join(workspace, 'presets', 'p.json');
		writeFileSync(file, '{"schemaVersion": 1, "settings": {"volume_size": "big"}}');
		const shown = runCli(['presets', 'show', 'p'], {cwd: workspace, env});
		expect(shown.code).toBe(1);
		expect(shown.stderr).toContain(`${file}:1: settings.volume_size: expected a number, got string`);
		const listed = runCli(['presets', 'list'], {cwd: workspace, env});
		expect(listed.stdout).toContain('p  UNREADABLE');
	});

	it('lines up the list whatever the names, and refuses to save a preset with nothing in it', () => {
		const workspace = tempDir('ws');
		const env = {CCE_WIZARD_STATE_DIR: tempDir('state')};
		const empty = runCli(['presets', 'save', 'empty'], {cwd: workspace, env});
		expect(empty.code).toBe(1);
		expect(empty.stderr).toContain('Nothing to save');
		expect(existsSync(path.join(workspace, 'presets', 'empty.json'))).toBe(false);
		runCli(['presets', 'save', 'a', '--set', 'region_name=cn-north-4'], {cwd: workspace, env});
		runCli(['presets', 'save', 'a-much-longer-preset-name', '--set', 'region_name=ap-southeast-1'], {cwd: workspace, env});
		const rows = runCli(['presets', 'list'], {cwd: workspace, env}).stdout.split('\n').filter(line => line.includes('image '));
		expect(rows).toHaveLength(2);
		const columnOf = (text: string) => rows.map(row => row.indexOf(text));
		expect(new Set(columnOf('image ')).size).toBe(1);
		expect(rows.map(row => row.search(/cn-north-4|ap-southeast-1/))[0]).toBe(rows.map(row => row.search(/cn-north-4|ap-southeast-1/))[1]);
	});

	it('refuses a key on the command line and bad usage', () => {
		const workspace = tempDir('ws');
		const leaked = runCli(['presets', 'save', 'x', '--set', `secret_key=${TEST_KEYS.IAM_SECRET_KEY}`], {cwd: workspace});
		expect(leaked.code).toBe(2);
		expect(leaked.stderr).toContain('never taken from the command line');
		expect(leaked.stderr).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(runCli(['presets'], {cwd: workspace}).code).toBe(2);
		expect(runCli(['presets', 'show'], {cwd: workspace}).code).toBe(2);
		expect(runCli(['presets', 'show', '../etc/passwd'], {cwd: workspace}).code).toBe(2);
	});
});
