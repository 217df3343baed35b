/**
 * The checklist attacked and used the classic way: a symlinked history, key-shaped strings
 * that are not the key, one failing list call, and a workspace where only `make image` ran —
 * against the local Huawei Cloud API server.
 */
import {lstatSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {filesToScan, redactFiles, scanForKeys, verifyChecklist, type CleanupContext} from '../../source/core/cleanup/checklist.js';
import {runCliAsync} from '../helpers/cli.js';
import {layTestKit, tempDir, TEST_KEYS} from '../helpers/kit.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';

const KEYS = {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY};

let server: CloudServer;
beforeAll(async () => {
	server = await startCloudServer({scenario: 'leftovers', credentials: KEYS});
});
afterAll(async () => server?.close());

describe('keys in files and shell history', () => {
	it('redacts the real file behind a symlinked history, keeps the link, and leaves key-shaped strings that are not the key', async () => {
		const workspace = await layTestKit('hist');
		const home = tempDir('home');
		const real = path.join(tempDir('dotfiles'), 'zsh_history');
		writeFileSync(real, `: 1:0;export IAM_SECRET_KEY=${KEYS.secretKey}\n: 2:0;ls\n`, {mode: 0o600});
		symlinkSync(real, path.join(home, '.zsh_history'));
		const bash = `echo serial ABCDEFGHIJ0123456789\nexport IAM_ACCESS_KEY=${KEYS.accessKey}\n`;
		writeFileSync(path.join(home, '.bash_history'), bash);
		const context: CleanupContext = {workspace, build: {id: 'b', workspace, startedAt: ''}, keys: KEYS, env: {}, home, tempDir: tempDir('systmp'), exported: []};
		const files = await filesToScan(context);
		const findings = await scanForKeys(files, KEYS);
		expect(findings.find(f => f.file === path.join(home, '.zsh_history'))!.message).toContain(`is a link to ${real}`);
		await redactFiles(files, KEYS);
		expect(lstatSync(path.join(home, '.zsh_history')).isSymbolicLink()).toBe(true);
		expect(readFileSync(real, 'utf8')).toBe(': 1:0;export IAM_SECRET_KEY=<secret key redacted>\n: 2:0;ls\n');
		expect(readFileSync(path.join(home, '.bash_history'), 'utf8')).toBe('echo serial ABCDEFGHIJ0123456789\nexport IAM_ACCESS_KEY=<access key redacted>\n');
		// The key-shaped serial is still reported, and changed only when asked.
		const after = await scanForKeys(files, KEYS);
		expect(after.map(f => f.message).join('\n')).toContain('looks like an access key');
		await redactFiles(files, KEYS, {keyShaped: true});
		expect(readFileSync(path.join(home, '.bash_history'), 'utf8')).toContain('serial <access key redacted>');
	});

	it("scans Packer's temp files in the system temp folder", async () => {
		const workspace = await layTestKit('systmp');
		const systemTemp = tempDir('systmp');
		writeFileSync(path.join(systemTemp, 'packer-log123'), `HW_SECRET_KEY=${KEYS.secretKey}\n`);
		const context: CleanupContext = {workspace, build: {id: 'b', workspace, startedAt: ''}, keys: KEYS, env: {}, home: tempDir('home'), tempDir: systemTemp, exported: []};
		const items = await verifyChecklist(context, {});
		expect(items.find(i => i.id === 'files')!.findings.map(f => f.file)).toContain(path.join(systemTemp, 'packer-log123'));
	});
});

describe('leftovers, one kind at a time', () => {
	it('a 404 on the key-pair list names key pairs and keeps every other kind scanned', async () => {
		server.use('leftovers');
		server.scenario.faults = [{service: 'ecs', path: 'os-keypairs$', status: 404, times: 100}];
		const workspace = await layTestKit('per-kind');
		const context: CleanupContext = {workspace, build: {id: 'b', workspace, startedAt: '', region: 'ap-southeast-1', imageName: 'cce-custom-20261125100000'}, keys: KEYS, region: 'ap-southeast-1', env: {...server.env}, home: tempDir('home'), tempDir: tempDir('systmp'), exported: []};
		const leftovers = (await verifyChecklist(context, {})).find(i => i.id === 'leftovers')!;
		expect(leftovers.state).toBe('todo');
		expect(leftovers.detail).toContain('could not scan key pairs');
		const kinds = leftovers.findings.map(f => f.resource!.kind).sort();
		expect(kinds).toEqual(['eip', 'image', 'server', 'volume']);
	});
});

describe('cleanup where only make image ran', () => {
	it('cleanup --json finds the leftovers by the names the kit uses, never the executor\'s own', async () => {
		server.use('leftovers');
		const workspace = await layTestKit('classic');
		const state = tempDir('state');
		const run = await runCliAsync(['cleanup', '--json'], {
			cwd: workspace,
			env: {...server.env, IAM_ACCESS_KEY: KEYS.accessKey, IAM_SECRET_KEY: KEYS.secretKey, REGION_NAME: 'ap-southeast-1', CCE_WIZARD_STATE_DIR: state, HOME: tempDir('home'), TMPDIR: tempDir('systmp')},
		});
		expect(run.code, run.stderr).toBe(0);
		const report = JSON.parse(run.stdout) as {build: {recorded: boolean}; items: Array<{id: string; findings: Array<{resource?: {kind: string; id: string; name?: string}}>}>};
		expect(report.build.recorded).toBe(false);
		const found = report.items.find(i => i.id === 'leftovers')!.findings.map(f => `${f.resource!.kind} ${f.resource!.name ?? f.resource!.id}`).sort();
		expect(found).toEqual([
			'eip e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9',
			'image cce-custom-20261125100000',
			'keypair packer_6561c6f1-8a1e-4bd5-07f3-3c2a9b1d4e5f',
			'server cce-custom-20261125100000',
			'volume packer_6561c6f2-1b2c-4d3e-8f40-5a6b7c8d9e0f',
		]);
		// The executor's own server and EIP (in the same scenario) are never offered.
		expect(run.stdout).not.toContain('99999999-8888-4777-8666-555555555555');
		expect(run.stdout).not.toContain('e5d4c3b2-a190-4876-9543-210fedcba987');
		expect(run.stdout).not.toContain('ops-admin');
		expect(run.stdout).not.toContain(KEYS.secretKey);
	});

	it('cleanup --json prints an error as JSON', async () => {
		const run = await runCliAsync(['cleanup', '--json', '--build', 'nope'], {cwd: await layTestKit('json-error'), env: {CCE_WIZARD_STATE_DIR: tempDir('state')}});
		expect(run.code).not.toBe(0);
		expect(JSON.parse(run.stdout)).toEqual({error: 'No build nope in the history.'});
	});
});
