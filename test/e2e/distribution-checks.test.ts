/** The checks for copies before the build, against the local Huawei Cloud API server. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {resolveAnswers} from '../../source/core/answers.js';
import {cloudChecks} from '../../source/core/checks/cloud.js';
import {distributionChecks} from '../../source/core/checks/distribution.js';
import {runChecks} from '../../source/core/checks/engine.js';
import {TEST_KEYS} from '../helpers/kit.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';

let server: CloudServer;
beforeAll(async () => {
	server = await startCloudServer({scenario: 'distribute', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
});
afterAll(async () => {
	await server?.close();
});

async function check(scenario: string, change: Record<string, string> = {}, patch?: () => void) {
	server.use(scenario);
	patch?.();
	const env = {...server.env, ...TEST_KEYS};
	const preset = new Map(Object.entries({...server.scenario.answers, ...change}).map(([k, v]) => [k, String(v)]));
	const answers = resolveAnswers({env, preset});
	const checks = [cloudChecks(env)[0]!, ...distributionChecks(env)];
	const results = await runChecks(checks, {workspace: '/nonexistent', env, answers});
	return new Map(results.map(r => [r.id, r]));
}

describe('checks before a build that copies its image', () => {
	it('pass with a project in each target region, the limits held and the agency there', async () => {
		const results = await check('distribute');
		expect(results.get('cloud.copy-projects')).toMatchObject({status: 'pass', detail: 'cn-north-4: 1b2c3d4e5f6a47b8c9d0e1f2a3b4c5d6; ap-southeast-3: 2c3d4e5f6a7b48c9d0e1f2a3b4c5d6e7'});
		expect(results.get('cloud.copy-limits')!.status).toBe('pass');
		expect(results.get('cloud.copy-agency')).toMatchObject({status: 'pass', detail: expect.stringContaining('ims_admin_agency exists')});
		const agencyCall = server.requests.find(r => r.path === '/v3.0/OS-AGENCY/agencies')!;
		expect(agencyCall.query).toEqual({domain_id: 'd78cbac186b744899480f25bd022f468', name: 'ims_admin_agency'});
	});

	it('skip when nothing is copied', async () => {
		const results = await check('distribute', {copy_to_regions: ''});
		for (const id of ['cloud.copy-projects', 'cloud.copy-limits', 'cloud.copy-agency']) expect(results.get(id)!.status, id).toBe('skip');
	});

	it('fail for a region the account has no project in, naming it', async () => {
		const results = await check('distribute', {copy_to_regions: 'cn-north-4,la-south-2'});
		expect(results.get('cloud.copy-projects')).toMatchObject({status: 'fail', detail: 'no project for la-south-2 in this account'});
	});

	it('fail for a disk over the copy limit and for an encrypted source image', async () => {
		expect((await check('distribute', {volume_size: '200'})).get('cloud.copy-limits')).toMatchObject({status: 'fail', detail: expect.stringContaining('only up to 128 GiB')});
		expect((await check('distribute', {volume_size: '200', region_name: 'cn-north-4', copy_to_regions: 'ap-southeast-3'})).get('cloud.copy-limits')!.detail).not.toContain('only up to');
		const encrypted = await check('distribute', {}, () => {
			server.scenario.images[0]!['__system__cmkid'] = '83cdb52d-9ebf-4469-9cfa-e7b5b80da846';
		});
		expect(encrypted.get('cloud.copy-limits')).toMatchObject({status: 'fail', detail: expect.stringContaining('is encrypted')});
	});

	it('fail without the agency, warn when the key cannot list agencies', async () => {
		expect((await check('no-agency')).get('cloud.copy-agency')).toMatchObject({status: 'fail', detail: 'no agency ims_admin_agency in the account: every copy would fail'});
		const forbidden = await check('distribute', {}, () => {
			server.scenario.agenciesForbidden = true;
		});
		expect(forbidden.get('cloud.copy-agency')).toMatchObject({status: 'warn', detail: expect.stringContaining('cannot tell')});
	});
});
