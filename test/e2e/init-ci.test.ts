/**
 * `cce-image-wizard init --ci github|gitlab`: the workflow file parses as YAML, runs the
 * preset's build on a self-hosted runner, keeps the JSON as an artifact, ends with the
 * cleanup, and holds no secret value — only the names the CI's secret store fills in.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {keysInText} from '../../source/core/secrets.js';
import {runCli} from '../helpers/cli.js';
import {tempDir, TEST_KEYS} from '../helpers/kit.js';

const PRESET = {schemaVersion: 1, settings: {region_name: 'ap-southeast-1', copy_to_regions: 'cn-north-4'}};

/** A kit with one preset, laid out by init (pinned as asked), then the workflow. */
function initCi(kind: 'github' | 'gitlab', plugin?: string) {
	const dir = path.join(tempDir(`ci-${kind}`), 'kit');
	const env = {...TEST_KEYS};
	expect(runCli(['init', ...(plugin ? ['--plugin', plugin] : []), dir], {env}).code).toBe(0);
	writeFileSync(path.join(dir, 'presets', 'monthly.json'), JSON.stringify(PRESET));
	const run = runCli(['init', '--ci', kind, dir], {env});
	expect(run.code, run.stderr).toBe(0);
	const file = path.join(dir, kind === 'github' ? '.github/workflows/cce-image.yml' : '.gitlab-ci.yml');
	const text = readFileSync(file, 'utf8');
	return {dir, text, yaml: parse(text) as any, run};
}

function expectNoSecret(text: string) {
	expect(text).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
	expect(text).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
	expect(keysInText(text)).toEqual([]);
}

describe('init --ci', () => {
	it('github: a workflow that parses, builds the preset on a self-hosted runner with keys from secrets, keeps the JSON, cleans up', () => {
		const {yaml, text, run} = initCi('github', '1.2.2');
		expect(run.stdout).toContain('.github/workflows/cce-image.yml (builds preset monthly, credentials=temporary)');
		const job = yaml.jobs.build;
		expect(job['runs-on']).toEqual(['self-hosted', 'linux', 'x64']);
		expect(job.env).toEqual({CCE_CREDENTIALS: 'temporary', IAM_ACCESS_KEY: '${{ secrets.IAM_ACCESS_KEY }}', IAM_SECRET_KEY: '${{ secrets.IAM_SECRET_KEY }}'});
		const runs = job.steps.filter((s: any) => s.run).map((s: any) => s.run as string);
		expect(runs[0]).toMatch(/^npx --yes cce-image-wizard@\S+ build --preset monthly --yes --json > cce-image-build\.jsonl$/);
		expect(runs.at(-1)).toMatch(/cleanup --json > cce-image-cleanup\.json$/);
		const upload = job.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact'));
		expect(upload.if).toBe('always()');
		expect(upload.with.path).toContain('cce-image-build.jsonl');
		expect(Object.keys(yaml.on)).toEqual(['workflow_dispatch', 'schedule']);
		expectNoSecret(text);
	});

	it('gitlab: a job that parses, with the keys from CI/CD variables, the artifact kept always, the cleanup after', () => {
		const {yaml, text} = initCi('gitlab', '1.2.2');
		const job = yaml['cce-image'];
		expect(job.variables).toEqual({CCE_CREDENTIALS: 'temporary'});
		expect(job.script).toEqual([expect.stringMatching(/build --preset monthly --yes --json > cce-image-build\.jsonl$/)]);
		expect(job.after_script).toEqual([expect.stringMatching(/cleanup --json > cce-image-cleanup\.json$/)]);
		expect(job.artifacts).toMatchObject({when: 'always', paths: ['cce-image-build.jsonl', 'cce-image-cleanup.json']});
		expect(job.tags).toEqual(['cce-executor']);
		expectNoSecret(text);
	});

	it('with the procedure\'s 0.4.0 pin, the key goes to Packer as it is, and the file says how to change that', () => {
		const {yaml, text} = initCi('github');
		expect(yaml.jobs.build.env.CCE_CREDENTIALS).toBe('key');
		expect(text).toContain('init --plugin 1.2.2');
		expectNoSecret(text);
	});

	it('keeps an existing workflow, and needs a preset when there is not exactly one', () => {
		const {dir} = initCi('gitlab');
		const again = runCli(['init', '--ci', 'gitlab', dir]);
		expect(again.code).toBe(1);
		expect(again.stderr).toContain('.gitlab-ci.yml exists; not overwritten');
		writeFileSync(path.join(dir, 'presets', 'weekly.json'), JSON.stringify(PRESET));
		const ambiguous = runCli(['init', '--ci', 'github', dir]);
		expect(ambiguous.code).toBe(2);
		expect(ambiguous.stderr).toContain('--preset NAME (one of monthly, weekly)');
		expect(runCli(['init', '--ci', 'jenkins', dir]).stderr).toContain('expected github or gitlab');
		expect(runCli(['init', '--ci', 'github', '--preset', 'weekly', dir]).code).toBe(0);
	});
});
