/**
 * `cce-image-wizard check --preset X --json` against the local Huawei Cloud API server,
 * one scenario at a time, as an operator's CI job would run it.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {resolveAnswers} from '../../source/core/answers.js';
import {checkForBuild} from '../../source/core/run/prepare.js';
import {CloudClient, CloudError} from '../../source/core/cloud/client.js';
import {buildEnvironment} from '../../source/core/env.js';
import {runCliAsync} from '../helpers/cli.js';
import {layTestKit, tempDir, TEST_KEYS} from '../helpers/kit.js';
import {loadScenario, startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';

type Expectation = Record<string, {status: string; detail?: string | RegExp; fix?: string | RegExp}>;

let server: CloudServer;
let kit: string;

beforeAll(async () => {
	server = await startCloudServer({scenario: 'healthy', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
	kit = await layTestKit('cloud');
});
afterAll(async () => {
	await server?.close();
});

/** Runs the checks of a scenario through the CLI; returns the cloud results by id, and all output. */
async function checkScenario(scenario: string, keys: {IAM_ACCESS_KEY: string; IAM_SECRET_KEY: string} = TEST_KEYS) {
	server.use(scenario);
	server.requests.length = 0;
	const name = `scenario-${scenario}`;
	writeFileSync(path.join(kit, 'presets', `${name}.json`), JSON.stringify({schemaVersion: 1, settings: server.scenario.answers}));
	const run = await runCliAsync(['check', '--preset', name, '--json'], {
		cwd: kit,
		env: {...keys, ...server.env, HOME: tempDir('home'), CCE_WIZARD_STATE_DIR: tempDir('state'), CCE_HTTP_TIMEOUT_MS: '1000'},
	});
	const report = JSON.parse(run.stdout) as {results: Array<{id: string; status: string; detail: string; fix?: string; correction?: {key: string; value: string}}>};
	const cloud = new Map(report.results.filter(r => r.id.startsWith('cloud.')).map(r => [r.id, r]));
	return {cloud, output: run.stdout + run.stderr, code: run.code};
}

function expectResults(cloud: Map<string, {status: string; detail: string; fix?: string}>, expected: Expectation) {
	for (const [id, want] of Object.entries(expected)) {
		const got = cloud.get(id);
		expect(got, id).toBeDefined();
		expect(got!.status, `${id}: ${got!.detail}`).toBe(want.status);
		if (want.detail) expect(got!.detail, id).toMatch(want.detail);
		if (want.fix) expect(got!.fix, id).toMatch(want.fix);
	}
}

const ALL_PASS: Expectation = Object.fromEntries(
	['cloud.credentials', 'cloud.clock', 'cloud.vpc', 'cloud.network', 'cloud.port22', 'cloud.image', 'cloud.flavor', 'cloud.quota'].map(id => [id, {status: 'pass'}]),
);

const SCENARIOS: Array<[string, Expectation]> = [
	['healthy', {...ALL_PASS, 'cloud.credentials': {status: 'pass', detail: 'project 0a1b2c3d4e5f40718293a4b5c6d7e8f9 (ap-southeast-1)'}, 'cloud.port22': {status: 'pass', detail: /lets 203\.0\.113\.10 \(executor EIP, bound to /}}],
	[
		'subnet-id-instead-of-network-id',
		{
			'cloud.network': {
				status: 'fail',
				detail: '7f3e2d1c-4b5a-4978-8695-a4b3c2d1e0f9 is the Subnet ID of subnet-nodes; the Network ID to use is 5b8c1e2f-7d4a-4c3b-8e9f-1a2b3c4d5e6f',
				fix: 'ECS_NETWORK_ID=5b8c1e2f-7d4a-4c3b-8e9f-1a2b3c4d5e6f',
			},
			'cloud.vpc': {status: 'pass'},
		},
	],
	['no-port-22', {'cloud.port22': {status: 'fail', detail: 'no inbound rule allows TCP 22 from 203.0.113.10', fix: /Add an inbound rule to sg-image-build: protocol TCP, port 22, source 203\.0\.113\.10\/32/}}],
	['deny-rule-wins', {'cloud.port22': {status: 'fail', detail: /deny \(priority 1\) tcp 1-1024 from 203\.0\.113\.0\/24 blocks 203\.0\.113\.10, and wins over allow \(priority 100\)/, fix: /deny rule/}}],
	['image-queued', {'cloud.image': {status: 'fail', detail: 'is queued, not active'}}],
	['arm-image', {'cloud.image': {status: 'fail', detail: 'is an ARM image', fix: 'x86'}}],
	['flavor-sold-out', {'cloud.flavor': {status: 'fail', detail: 'c7.large.2 is sold out or not offered in ap-southeast-1a (sellout)'}}],
	['quota-exhausted', {'cloud.quota': {status: 'fail', detail: 'servers: 20 of 20 used'}}],
	['eip-quota-exhausted', {'cloud.quota': {status: 'fail', detail: 'quota exhausted: EIPs: 10 of 10 used'}}],
	['port-22-disabled', {'cloud.port22': {status: 'fail', detail: 'no inbound rule allows TCP 22 from 203.0.113.10'}}],
	[
		'clock-skew',
		{
			'cloud.credentials': {status: 'fail', detail: /clock is 20 minutes behind the cloud/, fix: 'timedatectl set-ntp true'},
			'cloud.clock': {status: 'fail', detail: '20 minutes behind the cloud'},
			'cloud.vpc': {status: 'skip'},
		},
	],
	['clock-drift', {'cloud.credentials': {status: 'pass'}, 'cloud.clock': {status: 'warn', detail: '7 minutes behind the cloud'}}],
	['flaky-5xx', ALL_PASS],
	['ims-hangs', {...ALL_PASS, 'cloud.image': {status: 'fail', detail: 'IMS: IMS did not answer: no answer within 1 s'}}],
	['key-disabled', {'cloud.credentials': {status: 'fail', detail: 'disabled, expired or locked', fix: 'Access Keys'}, 'cloud.image': {status: 'skip'}}],
	['region-without-project', {'cloud.credentials': {status: 'fail', detail: 'no project for region ap-southeast-1', fix: 'REGION_NAME'}}],
	['iam-list-forbidden', {'cloud.credentials': {status: 'pass', detail: 'project 0a1b2c3d4e5f40718293a4b5c6d7e8f9'}}],
];

describe('cloud checks against the local Huawei Cloud API server', () => {
	for (const [scenario, expected] of SCENARIOS) {
		it(`${scenario}: ${loadScenario(scenario).description}`, async () => {
			const {cloud, output} = await checkScenario(scenario);
			expectResults(cloud, expected);
			expect(output).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
			expect(output).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
		});
	}

	it('the subnet-ID scenario offers the right Network ID as a correction', async () => {
		const {cloud} = await checkScenario('subnet-id-instead-of-network-id');
		expect(cloud.get('cloud.network')!.correction).toEqual({key: 'network_id', value: '5b8c1e2f-7d4a-4c3b-8e9f-1a2b3c4d5e6f', reason: 'the Network ID of subnet subnet-nodes'});
	});

	it('retries once after a 503, and every request it sent was signed correctly', async () => {
		await checkScenario('flaky-5xx');
		const vpcGets = server.requests.filter(r => r.service === 'vpc' && /\/vpcs\//.test(r.path));
		expect(vpcGets).toHaveLength(2);
		expect(server.requests.length).toBeGreaterThan(8);
		expect(server.requests.every(r => r.verified)).toBe(true);
	});

	it('falls back to /v3/auth/projects when listing projects is forbidden', async () => {
		await checkScenario('iam-list-forbidden');
		expect(server.requests.map(r => r.path)).toEqual(expect.arrayContaining(['/v3/projects', '/v3/auth/projects']));
	});

	it('a wrong secret key is named as such, and never shown', async () => {
		const wrong = `${TEST_KEYS.IAM_SECRET_KEY.slice(0, -1)}Z`;
		const {cloud, output} = await checkScenario('healthy', {IAM_ACCESS_KEY: TEST_KEYS.IAM_ACCESS_KEY, IAM_SECRET_KEY: wrong});
		expectResults(cloud, {'cloud.credentials': {status: 'fail', detail: 'the secret key does not match the access key', fix: 'IAM_SECRET_KEY'}, 'cloud.vpc': {status: 'skip'}});
		expect(server.requests.every(r => !r.verified)).toBe(true);
		expect(output).not.toContain(wrong);
		expect(output).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
	});

	it('an unknown access key is named as such', async () => {
		const {cloud, output} = await checkScenario('healthy', {IAM_ACCESS_KEY: 'UNKNOWNAK00000000001', IAM_SECRET_KEY: TEST_KEYS.IAM_SECRET_KEY});
		expectResults(cloud, {'cloud.credentials': {status: 'fail', detail: 'the access key is unknown', fix: 'IAM_ACCESS_KEY'}});
		expect(output).not.toContain('UNKNOWNAK00000000001');
	});

	it('without keys the cloud checks skip, saying they need keys', async () => {
		server.use('healthy');
		const run = await runCliAsync(['check', '--json', ...Object.entries(server.scenario.answers).flatMap(([k, v]) => ['--set', `${k}=${v}`])], {
			cwd: kit,
			env: {...server.env, HOME: tempDir('home'), CCE_WIZARD_STATE_DIR: tempDir('state')},
		});
		const credentials = JSON.parse(run.stdout).results.find((r: {id: string}) => r.id === 'cloud.credentials');
		expect(credentials).toMatchObject({status: 'skip'});
		expect(credentials.detail).toContain('needs keys');
	});
});

describe('before a build', () => {
	it('hands the project ID the checks found to Packer as HW_PROJECT_ID', async () => {
		server.use('healthy');
		const env = {...TEST_KEYS, ...server.env};
		const preset = new Map(Object.entries(server.scenario.answers).map(([k, v]) => [k, String(v)]));
		const prepared = await checkForBuild(kit, resolveAnswers({env, preset}), env);
		expect(prepared.answers.get('project_id')).toMatchObject({value: '0a1b2c3d4e5f40718293a4b5c6d7e8f9', source: 'cloud'});
		expect(buildEnvironment(prepared.answers)['HW_PROJECT_ID']).toBe('0a1b2c3d4e5f40718293a4b5c6d7e8f9');
	});
});

describe('the cloud client', () => {
	it('errors carry the service, HTTP status, Huawei error code and message, and the request ID', async () => {
		server.use('healthy');
		const client = new CloudClient({region: 'ap-southeast-1', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: 'x'.repeat(40)}, env: server.env});
		const error = await client.request('vpc', 'GET', '/v1/p/vpcs/v').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(CloudError);
		const cloudError = error as CloudError;
		expect(cloudError).toMatchObject({service: 'vpc', status: 401, code: 'APIGW.0301'});
		expect(cloudError.huaweiMessage).toContain('verify aksk signature fail');
		expect(cloudError.requestId).toMatch(/^[0-9a-f]{32}$/);
		expect(cloudError.message).toMatch(/^VPC answered HTTP 401: APIGW\.0301: Incorrect IAM authentication information: verify aksk signature fail \(request ID [0-9a-f]{32}\)$/);
	});

	it('a query with a space goes as %20, is signed as sent, and is accepted', async () => {
		server.use('healthy');
		const client = new CloudClient({region: 'ap-southeast-1', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}, env: server.env});
		const before = server.requests.length;
		const response = await client.request<{projects: unknown[]}>('iam', 'GET', '/v3/projects', {query: {name: 'my project+1'}});
		expect(response.status).toBe(200);
		const sent = server.requests.slice(before).find(r => r.path === '/v3/projects')!;
		expect(sent).toMatchObject({verified: true, query: {name: 'my project+1'}});
		expect(sent.rawQuery).toBe('?name=my%20project%2B1');
	});

	it("gives the message of Neutron's and Nova's error bodies", async () => {
		server.use('healthy');
		const client = new CloudClient({region: 'ap-southeast-1', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}, env: server.env});
		const project = server.scenario.projects[0]!['id'] as string;
		const neutron = (await client.request('vpc', 'GET', '/v2.0/subnets/00000000-0000-4000-8000-000000000000').catch((e: unknown) => e)) as CloudError;
		expect(neutron).toMatchObject({status: 404, code: 'SubnetNotFound'});
		expect(neutron.huaweiMessage).toBe('Subnet 00000000-0000-4000-8000-000000000000 could not be found.');
		const nova = (await client.request('ecs', 'DELETE', `/v2.1/${project}/os-keypairs/packer_gone`).catch((e: unknown) => e)) as CloudError;
		expect(nova).toMatchObject({status: 404, code: '404', huaweiMessage: 'Keypair packer_gone could not be found.'});
	});

	it('refuses plain http to anything but loopback', () => {
		const client = new CloudClient({region: 'ap-southeast-1', credentials: {accessKey: 'A', secretKey: 'B'}, env: {CCE_ENDPOINT_VPC: 'http://10.0.0.5:9001'}});
		expect(() => client.url('vpc', '/v1/x')).toThrow(/http:\/\/ is allowed only for loopback/);
		const local = new CloudClient({region: 'ap-southeast-1', credentials: {accessKey: 'A', secretKey: 'B'}, env: {CCE_ENDPOINT_VPC: 'http://127.0.0.1:9001/vpc'}});
		expect(local.url('vpc', '/v1/x', {a: 'b'}).href).toBe('http://127.0.0.1:9001/vpc/v1/x?a=b');
		const defaults = new CloudClient({region: 'eu-west-101', credentials: {accessKey: 'A', secretKey: 'B'}});
		expect(defaults.url('ims', '/v2/cloudimages').href).toBe('https://ims.eu-west-101.myhuaweicloud.eu/v2/cloudimages');
	});
});
