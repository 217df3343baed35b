import {spawn} from 'node:child_process';
import {readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {State, WorkspaceLockedError} from '../../source/core/state.js';
import {packageRoot} from '../../source/core/kit.js';
import {tempDir, TEST_KEYS} from '../helpers/kit.js';

describe('state', () => {
	it('lives where it is pointed, with mode 0600, and remembers builds and the last preset', () => {
		const dir = tempDir('state');
		const state = new State(dir);
		state.setLastPreset('/ws', 'prod');
		state.saveBuild({id: 'b1', workspace: '/ws', preset: 'prod', startedAt: '2026-11-25T10:00:00Z'});
		state.saveBuild({id: 'b1', workspace: '/ws', preset: 'prod', startedAt: '2026-11-25T10:00:00Z', outcome: 'success', imageId: 'img'});
		state.saveChecklist('b1', {logs: {state: 'verified', at: '2026-11-25T10:10:00Z'}});
		expect(state.file.startsWith(dir)).toBe(true);
		expect(statSync(state.file).mode & 0o777).toBe(0o600);
		const again = new State(dir);
		expect(again.lastPreset('/ws')).toBe('prod');
		expect(again.builds()).toHaveLength(1);
		expect(again.latestBuild('/ws')).toMatchObject({outcome: 'success', imageId: 'img'});
		expect(again.checklist('b1')).toMatchObject({logs: {state: 'verified'}});
	});

	it('replaces the keys it knows wherever they appear, and stores key-shaped names as they are', () => {
		const state = new State(tempDir('state'));
		state.protect([TEST_KEYS.IAM_ACCESS_KEY, TEST_KEYS.IAM_SECRET_KEY]);
		// What the real plugin prints for a valid image_name, and a path that looks like a key.
		const lookalike = 'cce_ABCDEFGHIJ0123456789';
		state.saveBuild({id: 'b', workspace: `/srv/${lookalike.slice(4)}`, startedAt: 'x', imageName: lookalike, errors: [`auth failed for ${TEST_KEYS.IAM_ACCESS_KEY}`]});
		state.saveChecklist('b', {keys: {state: 'done', note: TEST_KEYS.IAM_SECRET_KEY, at: 'x'}});
		const text = readFileSync(state.file, 'utf8');
		expect(text).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
		expect(text).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(state.build('b')).toMatchObject({imageName: lookalike, workspace: '/srv/ABCDEFGHIJ0123456789', errors: ['auth failed for <key redacted>']});
	});

	it('keeps every record when builds in several workspaces save at once', async () => {
		const dir = tempDir('state');
		new State(dir).saveBuild({id: 'first', workspace: '/ws0', startedAt: 'x'});
		// Four processes (the built CLI's module), each saving ten records of its own as fast as it can.
		const script = `
			const {State} = await import(${JSON.stringify(path.join(packageRoot, 'dist', 'core', 'state.js'))});
			const state = new State(process.argv[1]);
			for (let i = 0; i < 10; i++) state.saveBuild({id: process.argv[2] + '-' + i, workspace: '/ws-' + process.argv[2], startedAt: 'x', endedAt: 'y'});
		`;
		const runs = ['a', 'b', 'c', 'd'].map(
			name =>
				new Promise<number | null>(resolve => {
					const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir, name], {stdio: 'inherit'});
					child.once('exit', resolve);
				}),
		);
		expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
		expect(new State(dir).builds().map(b => b.id).sort()).toEqual(['first', ...['a', 'b', 'c', 'd'].flatMap(n => Array.from({length: 10}, (_, i) => `${n}-${i}`))].sort());
	});

	it('the workspace lock refuses a second holder while the first lives', async () => {
		const state = new State(tempDir('state'));
		const workspace = tempDir('ws');
		const other = spawn('sleep', ['30']);
		try {
			const first = state.lockWorkspace(workspace, other.pid);
			expect(first.stale).toBeUndefined();
			expect(() => state.lockWorkspace(workspace)).toThrow(WorkspaceLockedError);
			expect(() => state.lockWorkspace(workspace)).toThrow(`process ${other.pid} on ${os.hostname()}`);
			// Another workspace is not affected.
			state.lockWorkspace(tempDir('ws2')).release();
		} finally {
			other.kill();
		}
	});

	it('takes over a stale lock from a dead process, and says whose it was', async () => {
		const state = new State(tempDir('state'));
		const workspace = tempDir('ws');
		const dead = spawn('true');
		await new Promise(resolve => dead.once('exit', resolve));
		state.lockWorkspace(workspace, dead.pid);
		const lock = state.lockWorkspace(workspace);
		expect(lock.stale?.pid).toBe(dead.pid);
		expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
		lock.release();
		expect(readdirSync(path.dirname(lock.file))).toEqual([]);
	});

	it('is one lock for a workspace and a link to it', () => {
		const state = new State(tempDir('state'));
		const workspace = tempDir('ws');
		const link = path.join(tempDir('links'), 'ws-link');
		symlinkSync(workspace, link);
		const lock = state.lockWorkspace(workspace);
		expect(() => state.lockWorkspace(link)).toThrow(WorkspaceLockedError);
		lock.release();
	});

	it('stays held while the build it started runs, after the wizard that took it died', async () => {
		const state = new State(tempDir('state'));
		const workspace = tempDir('ws');
		const dead = spawn('true');
		await new Promise(resolve => dead.once('exit', resolve));
		// A process named as packer.sh is (the lock checks the name, against reused process IDs).
		const packer = spawn('bash', ['-c', 'exec -a packer.sh sleep 30']);
		await vi.waitFor(() => expect(readFileSync(`/proc/${packer.pid}/cmdline`, 'utf8')).toContain('packer.sh'));
		try {
			state.lockWorkspace(workspace, dead.pid).attach(packer.pid!);
			expect(() => state.lockWorkspace(workspace)).toThrow(`its packer.sh (process ${packer.pid} on ${os.hostname()}) outlived the wizard`);
			expect(state.lockHolder(workspace)?.runner).toBe(packer.pid);
			// A wizard that follows that build takes the lock over, keeping packer.sh in it.
			const adopted = state.lockWorkspace(workspace, process.pid, {adopt: packer.pid});
			expect(JSON.parse(readFileSync(adopted.file, 'utf8'))).toMatchObject({pid: process.pid, runner: packer.pid});
			adopted.release();
		} finally {
			packer.kill();
		}
	});

	it('takes over a lock file that is not readable as a lock', () => {
		const state = new State(tempDir('state'));
		const workspace = tempDir('ws');
		const file = state.lockFile(workspace);
		state.lockWorkspace(workspace).release();
		writeFileSync(file, 'garbage');
		expect(state.lockWorkspace(workspace).stale).toBeDefined();
	});
});
