import {describe, expect, it} from 'vitest';
import {resolveAnswers} from '../../source/core/answers.js';
import {usesEip} from '../../source/core/checks/cloud.js';
import {cloudDomain, endpointFor, pluginAuthUrl} from '../../source/core/cloud/endpoints.js';

describe('the IAM endpoint the plugin gets (HW_AUTH_URL)', () => {
	it('plugin 0.4.0: the region IAM with /v3 off the .com site, none on it', () => {
		expect(pluginAuthUrl('eu-west-101', 0)).toBe('https://iam.eu-west-101.myhuaweicloud.eu/v3');
		expect(pluginAuthUrl('eu-west-102', 0)).toBe('https://iam.eu-west-102.myhuaweicloud.eu/v3');
		expect(pluginAuthUrl('ap-southeast-1', 0)).toBeUndefined();
		expect(pluginAuthUrl('eu-west-0', 0)).toBeUndefined();
		expect(pluginAuthUrl('ap-southeast-1', 0, {cloud: 'example-cloud.com'})).toBe('https://iam.ap-southeast-1.example-cloud.com/v3');
		expect(pluginAuthUrl('ap-southeast-1', 0, {env: {CCE_ENDPOINT_IAM: 'https://iam.private.example/'}})).toBe('https://iam.private.example/v3');
	});

	it('plugin 1.2.2: none where it derives the same itself, and never a /v3', () => {
		expect(pluginAuthUrl('eu-west-101', 1)).toBeUndefined();
		expect(pluginAuthUrl('ap-southeast-1', 1)).toBeUndefined();
		expect(pluginAuthUrl('ap-southeast-1', 1, {cloud: 'example-cloud.com'})).toBe('https://iam.ap-southeast-1.example-cloud.com');
		expect(pluginAuthUrl('ap-southeast-1', 1, {env: {CCE_ENDPOINT_IAM: 'https://iam.private.example'}})).toBe('https://iam.private.example');
	});

	it("an operator's HW_AUTH_URL wins, and the wizard's own IAM calls go there too", () => {
		const env = {HW_AUTH_URL: 'https://iam.eu-west-101.myhuaweicloud.eu/v3'};
		expect(pluginAuthUrl('eu-west-101', 1, {env})).toBe(env.HW_AUTH_URL);
		expect(endpointFor('iam', 'eu-west-101', {env}).href).toBe('https://iam.eu-west-101.myhuaweicloud.eu/');
		expect(endpointFor('iam', 'eu-west-101', {env: {...env, CCE_ENDPOINT_IAM: 'http://127.0.0.1:9'}}).href).toBe('http://127.0.0.1:9/');
		expect(endpointFor('vpc', 'eu-west-101', {env}).href).toBe('https://vpc.eu-west-101.myhuaweicloud.eu/');
		expect(() => endpointFor('iam', 'eu-west-101', {env: {HW_AUTH_URL: 'http://iam.example.com/v3'}})).toThrow(/HW_AUTH_URL/);
		expect(cloudDomain('eu-west-101')).toBe('myhuaweicloud.eu');
	});
});

describe('the EIP rule follows the plugin generation', () => {
	const answers = (type: string, bandwidth: string) => resolveAnswers({flags: new Map([['eip_type', type], ['eip_bandwidth_size', bandwidth]])});
	it('0.4.0: a public IP only when both eip_type and eip_bandwidth_size are set', () => {
		expect(usesEip(answers('5_bgp', '5'), 0)).toBe(true);
		expect(usesEip(answers('', '5'), 0)).toBe(false);
		expect(usesEip(answers('5_bgp', '0'), 0)).toBe(false);
	});
	it('1.2.2: whenever the bandwidth is not 0 (eip_type defaults to 5_bgp), never with associate_public_ip_address = false', () => {
		expect(usesEip(answers('5_bgp', '5'), 1)).toBe(true);
		expect(usesEip(answers('', '5'), 1)).toBe(true);
		expect(usesEip(answers('5_bgp', '0'), 1)).toBe(false);
		expect(usesEip(answers('5_bgp', '5'), 1, false)).toBe(false);
	});
});
