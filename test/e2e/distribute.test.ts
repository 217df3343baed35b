/**
 * Handing the finished image on, against the local Huawei Cloud API server: copies to two
 * regions followed through their IMS jobs, a share with one project, tags — the requests
 * as the IMS API reference documents them, and stages and a result with every image.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {resolveAnswers} from '../../source/core/answers.js';
import {distribute, distributionPlan, distributionStages, type DistributeOptions} from '../../source/core/run/distribute.js';
import type {Stage} from '../../source/core/run/progress.js';
import {TEST_KEYS} from '../helpers/kit.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';

const HOME_PROJECT = '0a1b2c3d4e5f40718293a4b5c6d7e8f9';
const BUILT = '8f7e6d5c-4b3a-4291-8e7f-6a5b4c3d2e1f';
const SHARE_WITH = '7d6c5b4a39284756a1b2c3d4e5f60718';

let server: CloudServer;
beforeAll(async () => {
	server = await startCloudServer({scenario: 'distribute', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
});
afterAll(async () => {
	await server?.close();
});

/** Runs the distribution of the scenario's answers; returns the result and the stages as the panes would hold them. */
async function run(scenario: string, extra: Partial<DistributeOptions> = {}) {
	server.use(scenario);
	server.requests.length = 0;
	const answers = resolveAnswers({preset: new Map(Object.entries(server.scenario.answers).map(([k, v]) => [k, String(v)]))});
	const plan = distributionPlan(answers);
	let stages: Stage[] = distributionStages(plan);
	const result = await distribute({
		plan,
		region: 'ap-southeast-1',
		projectId: HOME_PROJECT,
		image: {id: BUILT, name: 'cce-custom-20261125120000', description: 'CCE custom node image'},
		credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY},
		env: server.env,
		pollMs: 20,
		onStage: (id, change) => {
			stages = stages.map(s => (s.id === id ? {...s, ...change} : s));
		},
		...extra,
	});
	return {result, stages, plan};
}

describe('distribution after the image is active', () => {
	it('copies to two regions and shares with one project with the documented requests, follows the jobs to image IDs, tags every image', async () => {
		const {result, stages} = await run('distribute');
		expect(server.requests.every(r => r.verified)).toBe(true);

		// Cross-region copy: POST /v1/cloudimages/{image_id}/cross_region_copy, agency_name included (required by the SDK model).
		const copies = server.requests.filter(r => r.method === 'POST' && r.path === `/v1/cloudimages/${BUILT}/cross_region_copy`);
		expect(copies.map(r => r.body)).toEqual(
			expect.arrayContaining([
				{name: 'cce-custom-20261125120000', description: 'CCE custom node image', region: 'cn-north-4', project_name: 'cn-north-4', agency_name: 'ims_admin_agency'},
				{name: 'cce-custom-20261125120000', description: 'CCE custom node image', region: 'ap-southeast-3', project_name: 'ap-southeast-3', agency_name: 'ims_admin_agency'},
			]),
		);
		expect(copies).toHaveLength(2);
		// Members: POST /v1/cloudimages/members with images and projects.
		const members = server.requests.filter(r => r.method === 'POST' && r.path === '/v1/cloudimages/members');
		expect(members.map(r => r.body)).toEqual([{images: [BUILT], projects: [SHARE_WITH]}]);
		// Jobs: GET /v1/{project_id}/jobs/{job_id} in the build's project, polled past RUNNING.
		const polls = server.requests.filter(r => r.method === 'GET' && r.path.startsWith(`/v1/${HOME_PROJECT}/jobs/`));
		expect(new Set(polls.map(r => r.path)).size).toBe(3);
		expect(polls.length).toBeGreaterThanOrEqual(6);

		// The result: all three images, by region.
		expect(result.ok).toBe(true);
		expect(result.images.map(i => [i.region, i.kind, i.status])).toEqual([
			['ap-southeast-1', 'built', 'active'],
			['cn-north-4', 'copy', 'active'],
			['ap-southeast-3', 'copy', 'active'],
		]);
		const northCopy = server.distribution.copies.get('1b2c3d4e5f6a47b8c9d0e1f2a3b4c5d6')![0]!;
		const southCopy = server.distribution.copies.get('2c3d4e5f6a7b48c9d0e1f2a3b4c5d6e7')![0]!;
		expect(result.images.find(i => i.region === 'cn-north-4')!.id).toBe(northCopy['id']);
		expect(result.images.find(i => i.region === 'ap-southeast-3')!.id).toBe(southCopy['id']);
		expect(result.sharedWith).toEqual([SHARE_WITH]);
		expect(server.distribution.members.get(BUILT)).toEqual([SHARE_WITH]);

		// Tags: POST /v2/{project_id}/images/{image_id}/tags/action, each image in its own region's project.
		const tagged = server.requests.filter(r => r.method === 'POST' && r.path.endsWith('/tags/action'));
		expect(tagged.map(r => r.path).sort()).toEqual(
			[`/v2/${HOME_PROJECT}/images/${BUILT}/tags/action`, `/v2/1b2c3d4e5f6a47b8c9d0e1f2a3b4c5d6/images/${northCopy['id']}/tags/action`, `/v2/2c3d4e5f6a7b48c9d0e1f2a3b4c5d6e7/images/${southCopy['id']}/tags/action`].sort(),
		);
		expect(tagged[0]!.body).toEqual({action: 'create', tags: [{key: 'team', value: 'infra'}, {key: 'release', value: '2026.11'}]});
		expect(server.distribution.tags.get(BUILT)).toEqual([{key: 'team', value: 'infra'}, {key: 'release', value: '2026.11'}]);

		// The stages: each its own, each done with what it made.
		expect(stages.map(s => [s.id, s.status])).toEqual([
			['copy:cn-north-4', 'done'],
			['copy:ap-southeast-3', 'done'],
			['share', 'done'],
			['tags', 'done'],
		]);
		expect(stages[0]!.detail).toContain(String(northCopy['id']));
	});

	it('a failing copy: the built image and the other copy stay reported, the failure is named, its stage failed', async () => {
		const {result, stages} = await run('copy-fails');
		expect(result.ok).toBe(false);
		expect(result.images.find(i => i.kind === 'built')).toMatchObject({region: 'ap-southeast-1', id: BUILT, status: 'active'});
		expect(result.images.find(i => i.region === 'cn-north-4')).toMatchObject({status: 'active', id: expect.any(String)});
		const failed = result.images.find(i => i.region === 'ap-southeast-3')!;
		expect(failed).toMatchObject({kind: 'copy', status: 'failed', error: expect.stringContaining('out of image storage')});
		expect(failed.id).toBeUndefined();
		expect(result.errors).toEqual([expect.stringMatching(/^Copy to ap-southeast-3 failed: IMS job \S+ \(imsCrossRegionCopyImageJob\) failed: .*out of image storage/)]);
		expect(stages.find(s => s.id === 'copy:ap-southeast-3')).toMatchObject({status: 'failed', detail: expect.stringContaining('out of image storage')});
		expect(stages.find(s => s.id === 'copy:cn-north-4')!.status).toBe('done');
		// The failed copy is not tagged; the others are.
		expect(server.requests.filter(r => r.path.endsWith('/tags/action'))).toHaveLength(2);
	});

	it('without the replication agency the copy jobs fail and say which agency is missing', async () => {
		const {result} = await run('no-agency');
		expect(result.ok).toBe(false);
		expect(result.errors.filter(e => e.startsWith('Copy to'))).toHaveLength(2);
		expect(result.errors[0]).toContain('ims_admin_agency');
	});

	it('a region without a project fails its copy before any request to IMS', async () => {
		const {result} = await run('distribute', {projects: {}, plan: {copies: ['la-south-2'], shareWith: [], tags: [], agency: 'ims_admin_agency'}});
		expect(result.errors).toEqual([expect.stringContaining('no project for region la-south-2')]);
		expect(server.requests.some(r => r.path.includes('cross_region_copy'))).toBe(false);
	});
});
