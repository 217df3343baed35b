/**
 * Credentials that need no deleting: the local API server mints temporary credentials and
 * serves the metadata service's securitykey on loopback; `check` runs with the credential
 * the build will use; the long-term key and every secret stay out of the output.
 */
import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CloudClient, CloudError} from '../../source/core/cloud/client.js';
import {agencyCredential, metadataEndpoint, mintTemporary, parseExpiry} from '../../source/core/cloud/credential.js';
import {runCliAsync} from '../helpers/cli.js';
import {layTestKit, PROCEDURE_ENV, tempDir, TEST_KEYS} from '../helpers/kit.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';
import {missing, titled} from '../helpers/tools.js';

const noPacker = missing({tools: ['packer']});

let server: CloudServer;
let kit: string;

beforeAll(async () => {
	server = await startCloudServer({scenario: 'healthy', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
	kit = await layTestKit('credentials');
});
afterAll(async () => {
	await server?.close();
});

const longTerm = () => new CloudClient({region: 'ap-southeast-1', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}, env: server.env});

/** Every secret the server handed out or was given: none may be shown. */
const allSecrets = () => [TEST_KEYS.IAM_ACCESS_KEY, TEST_KEYS.IAM_SECRET_KEY, ...server.temporaryCredentials().flatMap(c => [c.access, c.secret, c.securitytoken])];

describe('the local API server', () => {
	it('mints a temporary credential for the signed long-term key, for the duration asked', async () => {
		server.use('healthy');
		const before = Date.now();
		const credential = await mintTemporary(longTerm(), 3600);
		expect(credential.accessKey).toMatch(/^[A-Z0-9]{20}$/);
		expect(credential.secretKey).toMatch(/^[A-Za-z0-9]{40}$/);
		expect(credential.securityToken!.length).toBeGreaterThan(300);
		const lifetime = credential.expiresAt!.getTime() - before;
		expect(lifetime).toBeGreaterThan(3590_000);
		expect(lifetime).toBeLessThan(3610_000);
	});

	it('refuses a duration outside 900-86400 seconds', async () => {
		const error = await mintTemporary(longTerm(), 600).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(CloudError);
		expect((error as CloudError).status).toBe(400);
		expect((error as CloudError).huaweiMessage).toContain('duration_seconds');
	});

	it('accepts a temporary AK with its token, and refuses it without', async () => {
		const credential = await mintTemporary(longTerm(), 900);
		const withToken = new CloudClient({region: 'ap-southeast-1', credentials: credential, env: server.env});
		await expect(withToken.request('iam', 'GET', '/v3/auth/projects')).resolves.toMatchObject({status: 200});
		const withoutToken = new CloudClient({region: 'ap-southeast-1', credentials: {accessKey: credential.accessKey, secretKey: credential.secretKey}, env: server.env});
		const error = (await withoutToken.request('iam', 'GET', '/v3/auth/projects').catch((e: unknown) => e)) as CloudError;
		expect(error).toBeInstanceOf(CloudError);
		expect(error.status).toBe(401);
		expect(error.huaweiMessage).toContain('security token');
		// The token in the header is part of what was signed.
		const last = server.requests.at(-2)!;
		expect(last).toMatchObject({verified: true, accessKey: credential.accessKey, securityToken: true});
	});

	it('serves the metadata securitykey on loopback, and refuses it without an agency', async () => {
		server.use('healthy');
		const credential = await agencyCredential(server.env);
		expect(credential).toMatchObject({mode: 'agency'});
		expect(credential.securityToken).toBeTruthy();
		expect(server.requests.filter(r => r.service === 'metadata').map(r => `${r.method} ${r.path}`)).toEqual(['PUT /meta-data/latest/api/token', 'GET /openstack/latest/securitykey']);
		server.use('no-executor-agency');
		await expect(agencyCredential(server.env)).rejects.toThrow(/no IAM agency.*Please configure Cloud Service Agency first/);
	});
});

describe('the metadata address', () => {
	it('is 169.254.169.254 unless CCE_ENDPOINT_METADATA says otherwise; tests always say otherwise', () => {
		expect(metadataEndpoint({}).href).toBe('http://169.254.169.254/');
		expect(process.env['CCE_ENDPOINT_METADATA']).toMatch(/^http:\/\/127\./);
		expect(() => metadataEndpoint({CCE_ENDPOINT_METADATA: 'http://10.1.2.3'})).toThrow(/loopback/);
	});

	it('reads IAM expiry times with microseconds', () => {
		expect(parseExpiry('2026-11-25T19:41:07.123000Z')?.toISOString()).toBe('2026-11-25T19:41:07.123Z');
		expect(parseExpiry('not a date')).toBeUndefined();
	});
});

/** `check --json` with the healthy answers and the given credentials mode. */
async function check(mode: string, env: Record<string, string>, scenario = 'healthy', template?: string) {
	server.use(scenario);
	server.requests.length = 0;
	writeFileSync(path.join(kit, 'presets', 'creds.json'), JSON.stringify({schemaVersion: 1, settings: {...server.scenario.answers, credentials: mode}}));
	const run = await runCliAsync(['check', '--preset', 'creds', '--json'], {
		cwd: kit,
		env: {...server.env, HOME: tempDir('home'), CCE_WIZARD_STATE_DIR: tempDir('state'), CCE_HTTP_TIMEOUT_MS: '2000', ...(template ? {PACKER_TEMPLATE: template} : {}), ...env},
	});
	const report = JSON.parse(run.stdout) as {results: Array<{id: string; status: string; detail: string; fix?: string}>};
	return {results: new Map(report.results.map(r => [r.id, r])), output: run.stdout + run.stderr};
}

/** The kit's template pinned to another plugin version. */
function templatePinned(version: string): string {
	const file = path.join(tempDir('pin'), 'turbo-node.pkr.hcl');
	const text = readFileSync(path.join(kit, 'turbo-node.pkr.hcl'), 'utf8').replace(/version = "= 0\.4\.0"/, `version = "= ${version}"`);
	writeFileSync(file, text);
	return file;
}

describe('check with credentials=temporary', () => {
	it('mints with the long-term key, then signs every other call with the temporary credential and its token', async () => {
		const {results, output} = await check('temporary', TEST_KEYS, 'healthy', templatePinned('1.2.2'));
		const cloud = [...results.values()].filter(r => r.id.startsWith('cloud.'));
		expect(cloud.filter(r => r.status === 'fail' || r.status === 'warn'), JSON.stringify(cloud)).toEqual([]);
		expect(cloud.filter(r => r.status === 'pass')).toHaveLength(8);
		expect(results.get('cloud.credentials')!.detail).toMatch(/^temporary credential \*{4}[A-Z0-9]{4} \(minted with \*{4}[A-Z0-9]{4}\), expires .* UTC \(in 60 min\); project /);
		expect(results.get('plugin.credentials')).toMatchObject({status: 'pass'});
		const [mint, ...rest] = server.requests;
		expect(mint).toMatchObject({service: 'iam', method: 'POST', path: '/v3.0/OS-CREDENTIAL/securitytokens', accessKey: TEST_KEYS.IAM_ACCESS_KEY, securityToken: false, verified: true});
		const temporary = server.temporaryCredentials().at(-1)!;
		expect(rest.length).toBeGreaterThan(6);
		for (const request of rest) expect(request, `${request.method} ${request.path}`).toMatchObject({accessKey: temporary.access, securityToken: true, verified: true});
		for (const secret of allSecrets()) expect(output).not.toContain(secret);
	});

	it('a 0.4.0 pin fails a check naming the plugin version and offering the re-pin', async () => {
		const {results} = await check('temporary', TEST_KEYS);
		expect(results.get('plugin.credentials')).toMatchObject({status: 'fail'});
		expect(results.get('plugin.credentials')!.detail).toContain('plugin 0.4.0');
		expect(results.get('plugin.credentials')!.fix).toContain('= 1.2.2');
		expect(results.get('plugin.credentials')).toMatchObject({correction: {key: 'plugin', value: '1.2.2', applies: 'plugin-pin'}});
	});

	it.skipIf(noPacker)(titled('packer.sh refuses a security token with a 0.4.0 pin, before Packer builds', noPacker), () => {
		const run = spawnSync(path.join(kit, 'packer.sh'), [], {
			cwd: kit,
			env: {PATH: process.env['PATH'], HOME: tempDir('home'), ...PROCEDURE_ENV, IAM_SECURITY_TOKEN: 'gQ'.repeat(200)},
			encoding: 'utf8',
			timeout: 60_000,
		});
		expect(run.status).not.toBe(0);
		expect(run.stderr).toContain('the template pins plugin 0.4.0, which takes no security token');
		expect(run.stderr).not.toContain('gQgQ');
	});

	it('a short lifetime against a long ssh_timeout is warned about', async () => {
		const {results} = await check('temporary', {...TEST_KEYS, CCE_CREDENTIAL_DURATION: '900', PKR_VAR_ssh_timeout: '30m'}, 'healthy', templatePinned('1.2.2'));
		expect(results.get('cloud.credentials')).toMatchObject({status: 'warn'});
		expect(results.get('cloud.credentials')!.fix).toMatch(/credential_duration .* to \d+ or more/);
	});
});

describe('check with credentials=agency', () => {
	it('with no keys exported, the checks pass, signed with the metadata credential', async () => {
		const {results, output} = await check('agency', {}, 'healthy', templatePinned('1.2.2'));
		const cloud = [...results.values()].filter(r => r.id.startsWith('cloud.'));
		expect(cloud.filter(r => r.status === 'fail' || r.status === 'warn'), JSON.stringify(cloud)).toEqual([]);
		expect(cloud.filter(r => r.status === 'pass')).toHaveLength(8);
		expect(results.get('settings.valid')).toMatchObject({status: 'pass'});
		expect(results.get('cloud.credentials')!.detail).toMatch(/^agency credential \*{4}[A-Z0-9]{4} from the metadata service, expires/);
		const signed = server.requests.filter(r => r.service !== 'metadata');
		const agency = server.temporaryCredentials().at(-1)!;
		expect(signed.length).toBeGreaterThan(6);
		for (const request of signed) expect(request).toMatchObject({accessKey: agency.access, securityToken: true, verified: true});
		expect(server.requests.some(r => r.accessKey === TEST_KEYS.IAM_ACCESS_KEY)).toBe(false);
		for (const secret of allSecrets()) expect(output).not.toContain(secret);
	});

	it('an executor without an agency fails the credentials check, saying how to attach one', async () => {
		const {results} = await check('agency', {}, 'no-executor-agency', templatePinned('1.2.2'));
		expect(results.get('cloud.credentials')).toMatchObject({status: 'fail'});
		expect(results.get('cloud.credentials')!.detail).toContain('no IAM agency');
		expect(results.get('cloud.credentials')!.fix).toContain('Agency');
		expect(results.get('cloud.vpc')).toMatchObject({status: 'skip'});
	});

	it('a refused call says which permissions the agency needs', async () => {
		const {results} = await check('agency', {}, 'agency-without-vpc', templatePinned('1.2.2'));
		expect(results.get('cloud.vpc')).toMatchObject({status: 'fail'});
		expect(results.get('cloud.vpc')!.fix).toMatch(/agency what the build needs: .*VPC FullAccess/);
	});
});

describe('cleanup after an agency build', () => {
	it('with no key exported, scans the account with the agency credential; the access-key item is done by itself', async () => {
		server.use('healthy');
		server.requests.length = 0;
		const stateDir = tempDir('state');
		const ws = await layTestKit('cleanup-agency');
		const {State} = await import('../../source/core/state.js');
		new State(stateDir).saveBuild({
			id: '20261125190000-a9e1',
			workspace: ws,
			region: 'ap-southeast-1',
			startedAt: new Date().toISOString(),
			endedAt: new Date().toISOString(),
			outcome: 'success',
			imageId: '9a8b7c6d-0000-4000-8000-000000000001',
			credential: {mode: 'agency', accessKey: '****Q2C0', expiresAt: new Date(Date.now() + 3600_000).toISOString()},
		});
		const run = await runCliAsync(['cleanup', '--json'], {cwd: ws, env: {...server.env, CCE_WIZARD_STATE_DIR: stateDir, HOME: tempDir('home'), HW_PROJECT_ID: '0a1b2c3d4e5f40718293a4b5c6d7e8f9'}});
		expect(run.code, run.stderr).toBe(0);
		const items = new Map((JSON.parse(run.stdout) as {items: Array<{id: string; state: string; detail: string}>}).items.map(i => [i.id, i]));
		expect(items.get('leftovers')).toMatchObject({state: 'verified'});
		expect(items.get('access-key')).toMatchObject({state: 'verified'});
		expect(items.get('access-key')!.detail).toContain("the executor's agency credential ****Q2C0");
		const agency = server.temporaryCredentials().at(-1)!;
		const signed = server.requests.filter(r => r.service !== 'metadata');
		expect(signed.length).toBeGreaterThan(3);
		for (const request of signed) expect(request).toMatchObject({accessKey: agency.access, securityToken: true, verified: true});
		for (const secret of allSecrets()) expect(run.stdout + run.stderr).not.toContain(secret);
	});
});
