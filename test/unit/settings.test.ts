import {describe, expect, it} from 'vitest';
import {checkValue, crossCheck, setting, SETTINGS} from '../../source/core/settings.js';
import {templateVariables} from '../../source/core/template.js';
import {realTemplate, TEST_KEYS} from '../helpers/kit.js';

/** Real examples each setting must accept, and near-misses it must reject. */
const EXAMPLES: Record<string, {good: string[]; bad: string[]}> = {
	region_name: {good: ['ap-southeast-1', 'cn-north-4', 'eu-west-101', 'la-south-2', 'ap-southeast-3', 'cn-southwest-2'], bad: ['ap-southeast', 'AP-SOUTHEAST-1', 'apsoutheast1', 'ap-southeast-1a', 'ap_southeast_1', 'ap-southeast-1 x']},
	access_key: {good: [TEST_KEYS.IAM_ACCESS_KEY, 'QTWAOYTTINDUT2QVKYUC'], bad: ['QTWAOYTTINDUT2QVKYU', 'qtwaoyttindut2qvkyuc', 'QTWAOYTTINDUT2QVKYUCX', 'QTWAOYTTINDUT2QVKYU-']},
	secret_key: {good: [TEST_KEYS.IAM_SECRET_KEY], bad: [TEST_KEYS.IAM_SECRET_KEY.slice(1), `${TEST_KEYS.IAM_SECRET_KEY}x`, `${TEST_KEYS.IAM_SECRET_KEY.slice(1)}/`]},
	vpc_id: {good: ['0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e90', '0D4A2D7C-6A3E-4B9C-9D2E-3C1F5B7A8E90'], bad: ['0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e9', '0d4a2d7c6a3e4b9c9d2e3c1f5b7a8e90', 'vpc-0d4a2d7c', '0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e9g']},
	network_id: {good: ['5b8c1e2f-7d4a-4c3b-8e9f-1a2b3c4d5e6f'], bad: ['5b8c1e2f-7d4a-4c3b-8e9f', 'subnet-1']},
	security_group_id: {good: ['9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b'], bad: ['default', '9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5']},
	source_image_id: {good: ['1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'], bad: ['CentOS 7.6', '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5']},
	project_id: {good: ['', '77b6a44cba5143ab91d13ab9a8ff44fd'], bad: ['77b6a44c-ba51-43ab-91d1-3ab9a8ff44fd', '77B6A44CBA5143AB91D13AB9A8FF44FD', '77b6a44cba5143ab91d13ab9a8ff44f']},
	ecs_az: {good: ['', 'ap-southeast-1a', 'cn-north-4b', 'eu-west-101a'], bad: ['ap-southeast-1', 'az1', 'ap-southeast-1-a']},
	ecs_flavor: {good: ['c7.large.2', 's6.xlarge.2', 'c7n.2xlarge.4', 'm6.large.8'], bad: ['c7.large', 'C7.LARGE.2', 'c7 large 2', '']},
	image_name: {good: ['', 'cce-node-2026.11', 'my image_v2', '自定义镜像'], bad: ['a/b', ' padded', 'x'.repeat(129), 'name;rm']},
	image_description: {good: ['', 'Node image with agent 1.2'], bad: ['<script>', 'x'.repeat(1025), 'two\nlines']},
	ssh_username: {good: ['root', 'linux', 'paas_user'], bad: ['Root', '1user', 'a b', '']},
	ssh_timeout: {good: ['15m', '1h', '90s', '1h30m'], bad: ['15', '15 minutes', 'm15', '']},
	eip_type: {good: ['', '5_bgp', '5_sbgp'], bad: ['bgp', '5-bgp', '5_BGP']},
	eip_bandwidth_size: {good: ['0', '1', '5', '2000'], bad: ['2001', '-1', '1.5', 'five', '']},
	volume_type: {good: ['SAS', 'SSD', 'GPSSD', 'ESSD'], bad: ['ssd', 'NVME', '']},
	volume_size: {good: ['40', '50', '1024'], bad: ['39', '20', '1025', '50GB', '']},
	upload_build_log: {good: ['true', 'false'], bad: ['yes', '1', 'TRUE', '']},
	copy_to_regions: {good: ['', 'cn-north-4', 'cn-north-4,ap-southeast-3', 'cn-north-4, ap-southeast-3', 'cn-north-4,cn-north-1,cn-east-3,ap-southeast-2,ap-southeast-3'], bad: ['cn-north-4a', 'cn-north-4,cn-north-4', 'cn-north-4,cn-north-1,cn-east-3,ap-southeast-2,ap-southeast-3,eu-west-101', ',', 'CN-NORTH-4']},
	share_with_projects: {good: ['', '77b6a44cba5143ab91d13ab9a8ff44fd', '77b6a44cba5143ab91d13ab9a8ff44fd,0a1b2c3d4e5f40718293a4b5c6d7e8f9'], bad: ['77b6a44c-ba51-43ab-91d1-3ab9a8ff44fd', 'project-a', '77b6a44cba5143ab91d13ab9a8ff44fd,77b6a44cba5143ab91d13ab9a8ff44fd']},
	image_tags: {good: ['', 'team=infra', 'team=infra,release=2026.11', 'empty=', '部门=运维'], bad: ['team', 'team=infra,team=ops', 'a/b=c', `${'k'.repeat(37)}=v`, `k=${'v'.repeat(44)}`, 'k=a*b', Array.from({length: 11}, (_, i) => `k${i}=v`).join(',')]},
	copy_agency: {good: ['ims_admin_agency', 'my-agency.1'], bad: ['', 'has space', 'a/b']},
	cloud: {good: ['', 'myhuaweicloud.com', 'myhuaweicloud.eu', 'cloud.example.org'], bad: ['https://myhuaweicloud.com', 'myhuaweicloud', 'MyHuaweiCloud.com']},
	executor_ip: {good: ['', '192.168.0.10', '10.0.0.1', '203.0.113.7'], bad: ['192.168.0.256', '192.168.0', '10.0.0.1/32', 'executor']},
	security_token: {good: ['', `gQpjbi1ub3J0aC00${'Ab9+/'.repeat(80)}==`, 'a_b-c.d'.repeat(4)], bad: ['short', 'has space inside the token value', `${'x'.repeat(40)}\n`]},
	credentials: {good: ['key', 'temporary', 'agency'], bad: ['', 'temp', 'Key', 'token']},
	credential_duration: {good: ['900', '3600', '86400'], bad: ['899', '86401', '1h', '']},
};

describe('the settings table', () => {
	it('has examples for every setting', () => {
		expect(Object.keys(EXAMPLES).sort()).toEqual(SETTINGS.map(s => s.key).sort());
	});

	for (const s of SETTINGS) {
		it(`${s.key}: accepts real values, rejects near-misses naming the setting`, () => {
			const {good, bad} = EXAMPLES[s.key]!;
			for (const value of good) expect(checkValue(s, value), `${s.key} = ${JSON.stringify(value)}`).toBeUndefined();
			for (const value of bad) {
				const message = checkValue(s, value);
				expect(message, `${s.key} = ${JSON.stringify(value)}`).toBeDefined();
				expect(message).toContain(s.env);
				expect(message).toContain(s.label);
				if (s.secret) expect(message).not.toContain(value);
				// Short printable values are quoted; long ones cut, control characters never echoed.
				else if (value !== '' && value.length <= 60 && !/[\u0000-\u001F]/.test(value)) expect(message).toContain(`'${value}'`);
				else if (value !== '') expect(message).not.toContain(value);
			}
		});
	}

	it('says what a near-miss should be', () => {
		expect(checkValue(setting('region_name'), 'ap-southeast-1a')).toContain('the region is ap-southeast-1');
		expect(checkValue(setting('vpc_id'), '0d4a2d7c6a3e4b9c9d2e3c1f5b7a8e90')).toContain('with dashes');
		expect(checkValue(setting('eip_bandwidth_size'), '2001')).toContain('1 to 2000 Mbit/s');
		expect(checkValue(setting('volume_size'), '39')).toContain('40 to 1024 GB');
		expect(checkValue(setting('secret_key'), 'short')).toContain('got 5 characters');
	});

	it('checks the settings that go together', () => {
		const base = new Map([['region_name', 'ap-southeast-1'], ['ecs_az', 'ap-southeast-1a'], ['eip_type', '5_bgp'], ['eip_bandwidth_size', '5']]);
		expect(crossCheck(base)).toEqual([]);
		expect(crossCheck(new Map([...base, ['ecs_az', 'cn-north-4a']])).map(p => p.key)).toEqual(['ecs_az']);
		expect(crossCheck(new Map([...base, ['eip_type', '']])).map(p => p.key)).toEqual(['eip_bandwidth_size']);
		expect(crossCheck(new Map([...base, ['eip_type', ''], ['eip_bandwidth_size', '0']]))).toEqual([]);
		expect(crossCheck(new Map([...base, ['copy_to_regions', 'cn-north-4,ap-southeast-1']])).map(p => p.key)).toEqual(['copy_to_regions']);
		expect(crossCheck(new Map([...base, ['copy_to_regions', 'cn-north-4']]))).toEqual([]);
	});

	it('matches the template: one setting per variable, same environment names and defaults', () => {
		const variables = templateVariables(realTemplate());
		const withVariable = SETTINGS.filter(s => s.variable);
		expect(withVariable.map(s => s.variable).sort()).toEqual(variables.map(v => v.name).sort());
		for (const variable of variables) {
			const s = withVariable.find(x => x.variable === variable.name)!;
			if (variable.default?.kind === 'env') {
				expect(s.env, variable.name).toBe(variable.default.name);
			} else {
				expect(s.env, variable.name).toBe(`PKR_VAR_${variable.name}`);
				const templateDefault = variable.default && 'value' in variable.default ? String(variable.default.value) : undefined;
				expect(s.default, variable.name).toBe(templateDefault);
			}
			expect(s.secret, variable.name).toBe(variable.sensitive);
		}
	});
});
