import {describe, expect, it} from 'vitest';
import {temporaryCredentialNote, verifyChecklist} from '../../source/core/cleanup/checklist.js';
import type {BuildRecord} from '../../source/core/state.js';
import {tempDir} from '../helpers/kit.js';

const now = new Date('2026-11-25T19:00:00Z');

describe('the access-key item with a temporary credential', () => {
	it('is done by itself and says when the credential expires', () => {
		const note = temporaryCredentialNote({mode: 'agency', accessKey: '****Q2C0', expiresAt: '2026-11-25T20:00:00.000Z'}, undefined, now);
		expect(note).toBe("done by itself: Packer had the executor's agency credential ****Q2C0, which expires 2026-11-25 20:00 UTC (in 60 min); nothing to delete.");
	});

	it('for a long-term key that only minted it: never reached Packer, the operator decides', () => {
		const note = temporaryCredentialNote({mode: 'temporary', accessKey: '****8MST', expiresAt: '2026-11-25T18:00:00.000Z', mintedWith: '****LY7X'}, true, now);
		expect(note).toContain('expires 2026-11-25 18:00 UTC (expired)');
		expect(note).toContain('Your key ****LY7X only minted it and never reached Packer');
		expect(note).toContain('keep it or delete it as you see fit (it still works)');
	});

	it('the checklist marks it verified without any key, and offers no deletion', async () => {
		const workspace = tempDir('cleanup-credential');
		const build: BuildRecord = {id: 'b1', workspace, startedAt: now.toISOString(), endedAt: now.toISOString(), outcome: 'success', credential: {mode: 'agency', accessKey: '****Q2C0', expiresAt: '2026-11-26T19:00:00.000Z'}};
		const items = await verifyChecklist({workspace, build, env: {}, home: tempDir('home')}, {});
		const item = items.find(i => i.id === 'access-key')!;
		expect(item).toMatchObject({state: 'verified', actions: []});
		expect(item.detail).toMatch(/^done by itself: Packer had the executor's agency credential \*{4}Q2C0/);
	});
});
