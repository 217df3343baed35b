import {spawn} from 'node:child_process';
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {State, StateSecretError, WorkspaceLockedError} from '../../source/core/state.js';
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

	it('refuses anything that looks like a key', () => {
		const state = new State(tempDir('state'));
		expect(() => state.saveBuild({id: 'b', workspace: '/ws', startedAt: 'x', errors: [`auth failed for ${TEST_KEYS.IAM_ACCESS_KEY}`]})).toThrow(StateSecretError);
		expect(() => state.saveChecklist('b', {keys: {state: 'done', note: TEST_KEYS.IAM_SECRET_KEY, at: 'x'}})).toThrow(StateSecretError);
		expect(readFileSync(state.file, 'utf8')).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
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

	it('takes over a lock file that is not readable as a lock', () => {
		const state = new State(tempDir('state'));
		const workspace = tempDir('ws');
		const file = state.lockFile(workspace);
		state.lockWorkspace(workspace).release();
		writeFileSync(file, 'garbage');
		expect(state.lockWorkspace(workspace).stale).toBeDefined();
	});
});
