import {execFileSync} from 'node:child_process';
import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolveAnswers} from '../../source/core/answers.js';
import {buildEnvironment, childEnvironment, shellQuote, writeEnvFile} from '../../source/core/env.js';
import {templateVariables} from '../../source/core/template.js';
import {PROCEDURE_ENV, realTemplate, tempDir, TEST_KEYS} from '../helpers/kit.js';

const PRESET = new Map([
	['region_name', 'ap-southeast-1'],
	['vpc_id', PROCEDURE_ENV.ECS_VPC_ID],
	['network_id', PROCEDURE_ENV.ECS_NETWORK_ID],
	['security_group_id', PROCEDURE_ENV.ECS_SECGRP_ID],
	['source_image_id', PROCEDURE_ENV.CCE_SOURCE_IMAGE_ID],
	['ecs_flavor', 'c7.xlarge.2'],
	['image_description', "Node image: agent's \"v2\" $HOME `x`"],
	['volume_size', '100'],
]);

describe('the build environment', () => {
	const answers = resolveAnswers({preset: PRESET, env: {...TEST_KEYS, HW_PROJECT_ID: '77b6a44cba5143ab91d13ab9a8ff44fd'}});
	const env = buildEnvironment(answers);

	it('is exactly what the template reads: its env() names and PKR_VAR_ for changed defaults', () => {
		const variables = templateVariables(realTemplate());
		const envNames = variables.flatMap(v => (v.default?.kind === 'env' ? [v.default.name] : []));
		const overridable = new Set(variables.filter(v => v.default?.kind !== 'env').map(v => `PKR_VAR_${v.name}`));
		// Every name we pass is one the template reads.
		for (const name of Object.keys(env)) expect(envNames.includes(name) || overridable.has(name), name).toBe(true);
		// Every env() the template reads is passed (all are known here; a security token only with a temporary credential).
		for (const name of envNames.filter(n => n !== 'IAM_SECURITY_TOKEN')) expect(env, name).toHaveProperty(name);
		expect(env).toEqual({
			REGION_NAME: 'ap-southeast-1',
			IAM_ACCESS_KEY: TEST_KEYS.IAM_ACCESS_KEY,
			IAM_SECRET_KEY: TEST_KEYS.IAM_SECRET_KEY,
			ECS_VPC_ID: PROCEDURE_ENV.ECS_VPC_ID,
			ECS_NETWORK_ID: PROCEDURE_ENV.ECS_NETWORK_ID,
			ECS_SECGRP_ID: PROCEDURE_ENV.ECS_SECGRP_ID,
			CCE_SOURCE_IMAGE_ID: PROCEDURE_ENV.CCE_SOURCE_IMAGE_ID,
			HW_PROJECT_ID: '77b6a44cba5143ab91d13ab9a8ff44fd',
			PKR_VAR_ecs_flavor: 'c7.xlarge.2',
			PKR_VAR_image_description: PRESET.get('image_description'),
			PKR_VAR_volume_size: '100',
		});
	});

	it('leaves HW_PROJECT_ID out while it is unknown', () => {
		expect(buildEnvironment(resolveAnswers({preset: PRESET, env: TEST_KEYS}))).not.toHaveProperty('HW_PROJECT_ID');
	});

	it('build.env has mode 0600, no key, and sourcing it in bash sets the variables', async () => {
		const file = path.join(tempDir('env'), 'build.env');
		await writeEnvFile(file, answers, 'preset prod');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const text = readFileSync(file, 'utf8');
		expect(text).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(text).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
		expect(text).toContain('read -rsp');
		const names = Object.keys(env).filter(n => !n.startsWith('IAM_'));
		const script = `set -eu; source "$1"; shift; for n in "$@"; do printf '%s=%s\\0' "$n" "\${!n}"; done`;
		const out = execFileSync('bash', ['-c', script, 'bash', file, ...names, 'IAM_SECRET_KEY'], {
			encoding: 'utf8',
			env: {PATH: process.env['PATH'], IAM_SECRET_KEY: ''},
		});
		const sourced = Object.fromEntries(out.split('\0').filter(Boolean).map(kv => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
		expect(sourced).toEqual({...Object.fromEntries(names.map(n => [n, env[n]])), IAM_SECRET_KEY: ''});
	});

	it('quotes values for bash', () => {
		expect(shellQuote('c7.large.2')).toBe('c7.large.2');
		expect(shellQuote("it's")).toBe(`'it'\\''s'`);
		expect(shellQuote('')).toBe("''");
	});
});

describe('the child environment and the credentials mode', () => {
	const base = {PATH: '/usr/bin', HW_ACCESS_KEY: TEST_KEYS.IAM_ACCESS_KEY, HW_SECRET_KEY: TEST_KEYS.IAM_SECRET_KEY, ...TEST_KEYS};
	const temporary = {mode: 'temporary' as const, accessKey: 'TEMPAK00000000000001', secretKey: 'tEmP'.repeat(10), securityToken: 'gQ'.repeat(200)};

	it('credentials=key: the operator keys go to Packer, and no HW_* key of the shell', () => {
		const env = childEnvironment(resolveAnswers({preset: PRESET, env: TEST_KEYS}), undefined, base);
		expect(env).toMatchObject({PATH: '/usr/bin', ...TEST_KEYS});
		expect(env).not.toHaveProperty('HW_ACCESS_KEY');
		expect(env).not.toHaveProperty('HW_SECRET_KEY');
	});

	it('credentials=temporary: only the temporary AK, SK and token; the long-term key nowhere', () => {
		const answers = resolveAnswers({preset: new Map([...PRESET, ['credentials', 'temporary']]), env: TEST_KEYS});
		const env = childEnvironment(answers, temporary, base);
		expect(env).toMatchObject({IAM_ACCESS_KEY: temporary.accessKey, IAM_SECRET_KEY: temporary.secretKey, IAM_SECURITY_TOKEN: temporary.securityToken});
		const text = JSON.stringify(env);
		expect(text).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
		expect(text).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(() => childEnvironment(answers, undefined, base)).toThrow(/no temporary credential yet/);
		expect(() => childEnvironment(answers, {...temporary, expiresAt: new Date(Date.now() - 1000)}, base)).toThrow(/expired at .* run the checks again/);
		expect(buildEnvironment(answers)).not.toHaveProperty('IAM_ACCESS_KEY');
	});

	it('credentials=agency: no key is needed, and an exported one is not a problem', () => {
		const none = resolveAnswers({preset: new Map([...PRESET, ['credentials', 'agency']]), env: {}});
		expect([...none.values()].filter(a => a.problem)).toEqual([]);
		const bad = resolveAnswers({preset: new Map([...PRESET, ['credentials', 'agency']]), env: {IAM_ACCESS_KEY: 'not-a-key'}});
		expect(bad.get('access_key')?.problem).toBeUndefined();
		expect(resolveAnswers({preset: PRESET, env: {}}).get('access_key')?.problem).toContain('IAM_ACCESS_KEY');
	});
});
