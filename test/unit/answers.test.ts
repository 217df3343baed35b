import {describe, expect, it} from 'vitest';
import {AnswerError, answersJson, parseSetFlags, resolveAnswers, withAnswer} from '../../source/core/answers.js';
import {SETTINGS} from '../../source/core/settings.js';
import {PROCEDURE_ENV, TEST_KEYS} from '../helpers/kit.js';

/** A valid value per setting, distinct per source so that the winner is visible. */
function valueFor(key: string, source: 'flag' | 'env' | 'preset'): string {
	const n = {flag: '1', env: '2', preset: '3'}[source];
	const values: Record<string, string> = {
		region_name: `cn-north-${n}`,
		access_key: `TESTAKQ2WIZARD0NLY7${n}`,
		secret_key: `${TEST_KEYS.IAM_SECRET_KEY.slice(0, 39)}${n}`,
		vpc_id: `0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e9${n}`,
		network_id: `5b8c1e2f-7d4a-4c3b-8e9f-1a2b3c4d5e6${n}`,
		security_group_id: `9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5${n}`,
		source_image_id: `1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5${n}`,
		project_id: `77b6a44cba5143ab91d13ab9a8ff44f${n}`,
		ecs_az: `cn-north-${n}a`,
		ecs_flavor: `c7.large.${n}`,
		image_name: `image-${n}`,
		image_description: `description ${n}`,
		ssh_username: `user${n}`,
		ssh_timeout: `${n}0m`,
		eip_type: `5_bgp${'x'.repeat(Number(n))}`,
		eip_bandwidth_size: `1${n}`,
		volume_type: ['SAS', 'SSD', 'GPSSD'][Number(n) - 1]!,
		volume_size: `4${n}`,
		upload_build_log: source === 'env' ? 'true' : 'false',
		copy_to_regions: `cn-north-${n},ap-southeast-${n}`,
		share_with_projects: `77b6a44cba5143ab91d13ab9a8ff44f${n}`,
		image_tags: `team=infra${n}`,
		copy_agency: `agency_${n}`,
		cloud: `cloud${n}.example.com`,
		executor_ip: `192.168.0.${n}`,
		security_token: `${'gQ'.repeat(20)}token${n}`,
		credentials: ['key', 'temporary', 'agency'][Number(n) - 1]!,
		credential_duration: `${n}600`,
	};
	return values[key]!;
}

describe('answers', () => {
	for (const s of SETTINGS) {
		it(`${s.key}: flag > env > preset > default, and each remembers its source`, () => {
			const flags = s.secret ? new Map<string, string>() : new Map([[s.key, valueFor(s.key, 'flag')]]);
			const env = {[s.env]: valueFor(s.key, 'env')};
			const preset = s.secret ? new Map<string, string>() : new Map([[s.key, valueFor(s.key, 'preset')]]);

			if (!s.secret) {
				expect(resolveAnswers({flags, env, preset}).get(s.key)).toMatchObject({value: valueFor(s.key, 'flag'), source: 'flag'});
			}
			expect(resolveAnswers({env, preset}).get(s.key)).toMatchObject({value: valueFor(s.key, 'env'), source: 'env'});
			if (!s.secret) {
				expect(resolveAnswers({preset}).get(s.key)).toMatchObject({value: valueFor(s.key, 'preset'), source: 'preset'});
			}
			const none = resolveAnswers({}).get(s.key)!;
			if (s.default === undefined) expect(none).toMatchObject({value: '', source: 'unset'});
			else expect(none).toMatchObject({value: s.default, source: 'default'});
			// An exported but empty variable does not hide the preset.
			if (!s.secret) expect(resolveAnswers({env: {[s.env]: ''}, preset}).get(s.key)?.source).toBe('preset');
		});
	}

	it('valid values from every source resolve without problems', () => {
		const env = {...PROCEDURE_ENV};
		const answers = resolveAnswers({env});
		expect([...answers.values()].filter(a => a.problem)).toEqual([]);
	});

	it('trims pasted values and names the problem of a bad one', () => {
		const answers = resolveAnswers({env: {...PROCEDURE_ENV, ECS_VPC_ID: '  0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e90 \n', REGION_NAME: 'ap-southeast-1a'}});
		expect(answers.get('vpc_id')).toMatchObject({value: '0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e90'});
		expect(answers.get('vpc_id')?.problem).toBeUndefined();
		expect(answers.get('region_name')?.problem).toContain('REGION_NAME');
	});

	it('withAnswer changes one value, marks it typed, and re-checks the pairs', () => {
		const answers = resolveAnswers({env: {...PROCEDURE_ENV, PKR_VAR_ecs_az: 'ap-southeast-1a'}});
		const moved = withAnswer(answers, 'region_name', 'cn-north-4');
		expect(moved.get('region_name')).toMatchObject({value: 'cn-north-4', source: 'prompt'});
		expect(moved.get('ecs_az')?.problem).toContain('not in region cn-north-4');
		expect(answers.get('region_name')?.value).toBe('ap-southeast-1');
	});

	it('--set refuses keys and unknown settings', () => {
		expect(parseSetFlags(['ecs_flavor=c7.xlarge.2', 'image_description=a=b'])).toEqual(
			new Map([['ecs_flavor', 'c7.xlarge.2'], ['image_description', 'a=b']]),
		);
		expect(() => parseSetFlags([`secret_key=${TEST_KEYS.IAM_SECRET_KEY}`])).toThrow(/never taken from the command line/);
		expect(() => parseSetFlags([`secret_key=${TEST_KEYS.IAM_SECRET_KEY}`])).toThrow(AnswerError);
		expect(() => parseSetFlags(['flavour=x'])).toThrow(/unknown setting 'flavour'/);
		expect(() => parseSetFlags(['ecs_flavor'])).toThrow(/needs a value/);
	});

	it('--json output masks the keys', () => {
		const json = JSON.stringify(answersJson(resolveAnswers({env: PROCEDURE_ENV})));
		expect(json).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(json).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
		expect(json).toContain(`****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)}`);
	});
});
