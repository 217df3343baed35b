import {describe, expect, it} from 'vitest';
import {ITEM_ORDER, leftToDo, recordItem} from '../../source/core/cleanup/checklist.js';
import {State} from '../../source/core/state.js';
import {tempDir} from '../helpers/kit.js';

describe('what is left when the wizard ends', () => {
	it('names the open items, the live key first among them, and how to come back; nothing once all are done', () => {
		const state = new State(tempDir('left'));
		const build = {id: 'b1', workspace: '/ws', startedAt: '2026-11-25T10:00:00Z', endedAt: '2026-11-25T10:20:00Z', outcome: 'success' as const};
		state.saveBuild(build);
		for (const id of ['leftovers', 'logs', 'files', 'environment'] as const) recordItem(state, 'b1', id, 'verified');
		const line = leftToDo(state, build, 'npx ./cce-image-wizard-0.1.0.tgz cleanup')!;
		expect(line).toBe('Build b1: 2 of 6 cleanup items still open: the temporary access key (still to delete), release the executor. Come back to them with: npx ./cce-image-wizard-0.1.0.tgz cleanup');
		expect(line.split('\n')).toHaveLength(1);
		recordItem(state, 'b1', 'access-key', 'verified');
		recordItem(state, 'b1', 'executor', 'skipped', 'kept');
		expect(leftToDo(state, build)).toBeUndefined();
		expect(ITEM_ORDER).toHaveLength(6);
	});

	it('a build with no recorded end says resources may be left', () => {
		const state = new State(tempDir('left'));
		const build = {id: 'b2', workspace: '/ws', startedAt: '2026-11-25T10:00:00Z'};
		expect(leftToDo(state, build)).toContain('never recorded an end');
		expect(leftToDo(state, build)).toContain('cce-image-wizard cleanup');
	});
});
