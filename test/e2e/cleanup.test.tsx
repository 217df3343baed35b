/**
 * The cleanup checklist against the local Huawei Cloud API server: leftovers from the
 * ledger and from the name scan, confirmed deletions, the access key, keys in files.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {deleteLeftover, deleteTheAccessKey, ITEM_ORDER, redactFiles, verifyChecklist, type CleanupContext} from '../../source/core/cleanup/checklist.js';
import {State, type BuildRecord} from '../../source/core/state.js';
import {runCliAsync} from '../helpers/cli.js';
import {layTestKit, tempDir, TEST_KEYS} from '../helpers/kit.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';
import {render} from 'ink-testing-library';
import {ChecklistScreen} from '../../source/ui/cleanup/ChecklistScreen.js';
import {frameShowing} from '../helpers/ink.js';

const KEYS = {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY};
const FAILED_BUILD: BuildRecord = {
	id: '20261125100000-abcd',
	workspace: '',
	region: 'ap-southeast-1',
	startedAt: '2026-11-25T10:00:00.000Z',
	endedAt: '2026-11-25T10:06:00.000Z',
	outcome: 'failed',
	imageName: 'cce-custom-20261125100000',
	leftovers: [{kind: 'volume', id: '8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d', name: 'packer_6561c6f2-1b2c-4d3e-8f40-5a6b7c8d9e0f', detail: 'deletion failed'}],
};

let server: CloudServer;
beforeAll(async () => {
	server = await startCloudServer({scenario: 'leftovers', credentials: KEYS});
});
afterAll(async () => server?.close());

async function context(extra: Partial<CleanupContext> = {}): Promise<CleanupContext> {
	const workspace = await layTestKit('cleanup');
	return {workspace, build: {...FAILED_BUILD, workspace}, keys: KEYS, region: 'ap-southeast-1', env: {...server.env}, home: tempDir('home'), exported: [], ...extra};
}

describe('leftover resources', () => {
	it('lists the ledger and what the name scan finds, and nothing unrelated', async () => {
		server.use('leftovers-network');
		const items = await verifyChecklist(await context(), {});
		const leftovers = items.find(i => i.id === 'leftovers')!;
		expect(leftovers.state).toBe('todo');
		expect(leftovers.actions).toEqual(['delete-resources']);
		const found = leftovers.findings.map(f => `${f.resource!.kind} ${f.resource!.id}`).sort();
		expect(found).toEqual([
			'eip e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9',
			'image 4b3a2918-0716-4f5e-8d4c-3b2a19081726',
			'keypair packer_6561c6f1-8a1e-4bd5-07f3-3c2a9b1d4e5f',
			'server 3f2e1d0c-9b8a-4765-8432-1f0e9d8c7b6a',
			'subnet 8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1',
			'volume 8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d',
			'vpc 3a2b1c0d-9e8f-4a7b-b6c5-d4e3f2a1b0c9',
		]);
		expect(leftovers.findings.find(f => f.resource?.kind === 'volume')!.message).toContain('console: EVS → Disks');
	});

	it('a confirmed delete sends the right request, and the item verifies once all are gone', async () => {
		server.use('leftovers-network');
		const ctx = await context();
		const items = await verifyChecklist(ctx, {});
		server.requests.length = 0;
		for (const finding of items.find(i => i.id === 'leftovers')!.findings) await deleteLeftover(ctx, finding.resource!);
		const deletions = server.requests.filter(r => r.method === 'DELETE' || r.path.endsWith('/cloudservers/delete')).map(r => `${r.method} ${r.service} ${r.path}`);
		expect(deletions.sort()).toEqual([
			'DELETE ecs /v2.1/0a1b2c3d4e5f40718293a4b5c6d7e8f9/os-keypairs/packer_6561c6f1-8a1e-4bd5-07f3-3c2a9b1d4e5f',
			'DELETE evs /v2/0a1b2c3d4e5f40718293a4b5c6d7e8f9/cloudvolumes/8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d',
			'DELETE ims /v2/images/4b3a2918-0716-4f5e-8d4c-3b2a19081726',
			'DELETE vpc /v1/0a1b2c3d4e5f40718293a4b5c6d7e8f9/publicips/e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9',
			'DELETE vpc /v1/0a1b2c3d4e5f40718293a4b5c6d7e8f9/vpcs/3a2b1c0d-9e8f-4a7b-b6c5-d4e3f2a1b0c9',
			'DELETE vpc /v1/0a1b2c3d4e5f40718293a4b5c6d7e8f9/vpcs/3a2b1c0d-9e8f-4a7b-b6c5-d4e3f2a1b0c9/subnets/8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1',
			'POST ecs /v1/0a1b2c3d4e5f40718293a4b5c6d7e8f9/cloudservers/delete',
		]);
		const after = await verifyChecklist(ctx, {});
		expect(after.find(i => i.id === 'leftovers')).toMatchObject({state: 'verified', detail: 'nothing left in the account'});
		expect(server.scenario.keypairs!.map(k => k['name'])).toEqual(['ops-admin']);
	});

	it('without keys, the ledger is still listed and the API items say they need keys', async () => {
		const items = await verifyChecklist(await context({keys: undefined}), {});
		const leftovers = items.find(i => i.id === 'leftovers')!;
		expect(leftovers).toMatchObject({state: 'todo', needsKeys: true, actions: []});
		expect(leftovers.findings).toHaveLength(1);
		expect(items.find(i => i.id === 'access-key')).toMatchObject({needsKeys: true});
		expect(items.find(i => i.id === 'logs')!.state).toBe('verified');
		expect(items.map(i => i.id)).toEqual(ITEM_ORDER);
	});
});

describe('the temporary access key', () => {
	it('verifies only once the server refuses the key', async () => {
		server.use('healthy');
		const ctx = await context();
		const before = (await verifyChecklist(ctx, {})).find(i => i.id === 'access-key')!;
		expect(before).toMatchObject({state: 'todo', detail: 'the key still works', actions: ['delete-access-key']});
		server.requests.length = 0;
		await deleteTheAccessKey(ctx);
		expect(server.requests.map(r => `${r.method} ${r.service} ${r.path}`)).toEqual([`DELETE iam /v3.0/OS-CREDENTIAL/credentials/${TEST_KEYS.IAM_ACCESS_KEY}`]);
		const after = (await verifyChecklist(ctx, {})).find(i => i.id === 'access-key')!;
		expect(after).toMatchObject({state: 'verified', detail: 'the key is refused: deleted'});
	});

	it('a 403 on the key check cannot tell, and is never taken for "still works"', async () => {
		server.use('healthy');
		server.scenario.authProjectsForbidden = true;
		const item = (await verifyChecklist(await context(), {})).find(i => i.id === 'access-key')!;
		expect(item).toMatchObject({state: 'todo', actions: []});
		expect(item.detail).toMatch(/^cannot tell whether the key still works: IAM answered HTTP 403/);
	});
});

describe('the project the cleanup works in', () => {
	it('falls back to /v3/auth/projects when listing projects is forbidden, as the credentials check does', async () => {
		server.use('leftovers');
		server.scenario.iamListForbidden = true;
		const leftovers = (await verifyChecklist(await context(), {})).find(i => i.id === 'leftovers')!;
		expect(leftovers.detail).toMatch(/resource\(s\) may still exist/);
		expect(server.requests.some(r => r.path === '/v3/auth/projects' && r.verified)).toBe(true);
	});

	it('uses the project the build recorded, without asking IAM', async () => {
		server.use('leftovers');
		const ctx = await context();
		ctx.build = {...ctx.build, projectId: '0a1b2c3d4e5f40718293a4b5c6d7e8f9'};
		server.requests.length = 0;
		await verifyChecklist(ctx, {});
		expect(server.requests.filter(r => r.path === '/v3/projects')).toEqual([]);
		expect(server.requests.some(r => r.path === '/v2.1/0a1b2c3d4e5f40718293a4b5c6d7e8f9/os-keypairs')).toBe(true);
	});
});

describe('keys in logs, files and history', () => {
	it('finds a planted key (masked) in a log, build.env, a preset and a history file, and redacts only that', async () => {
		const ctx = await context();
		const ws = ctx.workspace;
		mkdirSync(path.join(ws, 'logs'), {recursive: true});
		const planted: Record<string, string> = {
			[path.join(ws, 'logs', 'packer_20261125100000.log')]: `2026/11/25 10:00:01 line one\n2026/11/25 10:00:02 Authorization: secret=${TEST_KEYS.IAM_SECRET_KEY}\nlast line\n`,
			[path.join(ws, 'build.env')]: `export REGION_NAME=ap-southeast-1\nexport IAM_ACCESS_KEY=${TEST_KEYS.IAM_ACCESS_KEY}\n`,
			[path.join(ws, 'presets', 'leaky.json')]: `{\n  "schemaVersion": 1,\n  "settings": {"image_description": "key ${TEST_KEYS.IAM_ACCESS_KEY}"}\n}\n`,
			[path.join(ctx.home!, '.bash_history')]: `ls\nexport IAM_SECRET_KEY=${TEST_KEYS.IAM_SECRET_KEY}\nmake image\n`,
		};
		for (const [file, text] of Object.entries(planted)) writeFileSync(file, text, {mode: 0o600});
		const items = await verifyChecklist(ctx, {});
		const logs = items.find(i => i.id === 'logs')!;
		const files = items.find(i => i.id === 'files')!;
		expect(logs.findings).toEqual([{file: path.join(ws, 'logs', 'packer_20261125100000.log'), line: 2, message: `the secret key (****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)})`}]);
		expect(files.findings.map(f => `${path.basename(f.file!)}:${f.line}`).sort()).toEqual(['.bash_history:2', 'build.env:2', 'leaky.json:3']);
		expect(JSON.stringify(items)).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(JSON.stringify(items)).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);

		const changed = await redactFiles(Object.keys(planted), KEYS);
		expect(changed.sort()).toEqual(Object.keys(planted).sort());
		for (const [file, text] of Object.entries(planted)) {
			const expected = text.replaceAll(TEST_KEYS.IAM_SECRET_KEY, '<secret key redacted>').replaceAll(TEST_KEYS.IAM_ACCESS_KEY, '<access key redacted>');
			expect(readFileSync(file, 'utf8')).toBe(expected);
		}
		const again = await verifyChecklist(ctx, {});
		expect(again.find(i => i.id === 'logs')!.state).toBe('verified');
		expect(again.find(i => i.id === 'files')!.state).toBe('verified');
	});
});

describe('cce-image-wizard cleanup', () => {
	it('--json lists the items and their states; --yes verifies and never deletes', async () => {
		server.use('leftovers');
		const ws = await layTestKit('cleanup-cli');
		const stateDir = tempDir('state');
		new State(stateDir).saveBuild({...FAILED_BUILD, workspace: ws});
		server.requests.length = 0;
		const run = await runCliAsync(['cleanup', '--json', '--yes'], {cwd: ws, env: {...server.env, IAM_ACCESS_KEY: KEYS.accessKey, IAM_SECRET_KEY: KEYS.secretKey, CCE_WIZARD_STATE_DIR: stateDir, HOME: tempDir('home')}});
		expect(run.code, run.stderr).toBe(0);
		const report = JSON.parse(run.stdout);
		expect(report.build).toMatchObject({id: FAILED_BUILD.id, outcome: 'failed'});
		expect(report.items.map((i: {id: string; state: string}) => `${i.id}:${i.state}`)).toEqual([
			'leftovers:todo', 'logs:verified', 'files:verified', 'environment:todo', 'access-key:todo', 'executor:todo',
		]);
		expect(server.requests.filter(r => r.method !== 'GET')).toEqual([]);
		expect(run.stdout).not.toContain(KEYS.secretKey);
		// Progress is saved.
		expect(new State(stateDir).checklist(FAILED_BUILD.id)).toMatchObject({logs: {state: 'verified'}, files: {state: 'verified'}});
	});

	it('without a recorded build (a classic make image) still runs the checklist and says so', async () => {
		const run = await runCliAsync(['cleanup', '--yes'], {cwd: tempDir('ws'), env: {CCE_WIZARD_STATE_DIR: tempDir('state'), HOME: tempDir('home')}});
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toContain('no build recorded here');
		expect(run.stdout).toContain('Keys in Packer logs');
	});
});

describe('ChecklistScreen', () => {
	it('deletes leftovers one by one, each confirmed, and saves the progress', async () => {
		server.use('leftovers');
		const ctx = await context();
		const state = new State(tempDir('state'));
		state.saveBuild(ctx.build);
		const {stdin, lastFrame, unmount} = render(<ChecklistScreen context={ctx} state={state} onDone={() => {}} />);
		await frameShowing(lastFrame, '5 resource(s) may still exist');
		expect(lastFrame()).toContain('d delete (asks each)');
		stdin.write('d');
		// Each question names its resource: wait for the next one by name, never for a frame
		// that merely still shows the previous question.
		const PROMPT = /Delete (eip|image|keypair|server|volume) (\S+)[\s\S]*\?\s+y\/n/;
		const named = (frame: string) => PROMPT.exec(frame)?.slice(1, 3).join(' ');
		let asked = named(await frameShowing(lastFrame, PROMPT));
		stdin.write('n'); // keep the first
		for (let i = 0; i < 4; i++) {
			const previous = asked;
			asked = named(await frameShowing(lastFrame, frame => (named(frame) ?? previous) !== previous));
			stdin.write('y');
		}
		await frameShowing(lastFrame, /Deleted: [\s\S]*\./);
		await frameShowing(lastFrame, '1 resource(s) may still exist');
		stdin.write('s');
		await frameShowing(lastFrame, 'Skip it because:');
		stdin.write('kept on purpose');
		await frameShowing(lastFrame, 'kept on purpose');
		stdin.write('\r');
		await frameShowing(lastFrame, 'Leftover resources: skipped: kept on purpose');
		expect(state.checklist(ctx.build.id)['leftovers']).toMatchObject({state: 'skipped', note: 'kept on purpose'});
		unmount();
	});
});
