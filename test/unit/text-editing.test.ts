import {describe, expect, it} from 'vitest';
import {applyEdits, edit, editsOf, startEditing, type Editing, type InkKey} from '../../source/ui/components/text-field/editing.js';

/** Feeds events as Ink reports them (input, key) and returns the state and whether Enter came. */
function feed(start: Editing, ...events: Array<[string, InkKey?]>): {state: Editing; submitted: boolean} {
	let state = start;
	for (const [input, key = {}] of events) {
		const result = applyEdits(state, editsOf(input, key));
		state = result.state;
		if (result.submitted) return {state, submitted: true};
	}
	return {state, submitted: false};
}

const ctrl = (letter: string): [string, InkKey] => [letter, {ctrl: true}];

describe('editing a one-line field', () => {
	it('reads every key of a multi-key chunk: text, two Backspaces, text', () => {
		expect(feed(startEditing(''), ['abcd\u007F\u007Fxy']).state).toEqual({value: 'abxy', cursor: 4});
		// tmux send-keys BSpace BSpace: one chunk of two DELs.
		expect(feed(startEditing('cn-north-44x'), ['\u007F\u007F']).state.value).toBe('cn-north-4');
	});

	it('submits a paste that ends in a newline, with the text before it', () => {
		expect(feed(startEditing(''), ['vpc-123\n'])).toEqual({state: {value: 'vpc-123', cursor: 7}, submitted: true});
		expect(feed(startEditing(''), ['vpc-123\r\n']).submitted).toBe(true);
		// What follows the newline is not this field's.
		expect(feed(startEditing(''), ['one\ntwo']).state.value).toBe('one');
	});

	it('moves and deletes as a shell does: Ctrl+A/E/U/K/W, Alt+B/F, arrows', () => {
		const start = startEditing('alpha beta gamma');
		expect(feed(start, ctrl('a'), ['X']).state.value).toBe('Xalpha beta gamma');
		expect(feed(start, ctrl('a'), ctrl('e'), ['!']).state.value).toBe('alpha beta gamma!');
		expect(feed(start, ctrl('w')).state).toEqual({value: 'alpha beta ', cursor: 11});
		expect(feed(start, ctrl('w'), ctrl('w')).state.value).toBe('alpha ');
		expect(feed(start, ['', {leftArrow: true}], ['', {leftArrow: true}], ctrl('u')).state).toEqual({value: 'ma', cursor: 0});
		expect(feed(start, ctrl('a'), ['', {rightArrow: true}], ctrl('k')).state.value).toBe('a');
		expect(feed(start, ['b', {meta: true}], ['b', {meta: true}], ['_']).state.value).toBe('alpha _beta gamma');
		expect(feed(start, ctrl('a'), ['f', {meta: true}], ['_']).state.value).toBe('alpha_ beta gamma');
		expect(feed(start, ['', {home: true}], ctrl('d')).state.value).toBe('lpha beta gamma');
		// Control characters inside a chunk work too (a terminal that sends them together).
		expect(feed(start, ['\u0015new']).state.value).toBe('new');
	});

	it('does not insert letters for control keys, nor take the keys a screen owns', () => {
		expect(editsOf('c', {ctrl: true})).toEqual([]);
		expect(editsOf('', {escape: true})).toEqual([]);
		expect(editsOf('', {upArrow: true})).toEqual([]);
		expect(editsOf('', {downArrow: true})).toEqual([]);
		expect(editsOf('\t', {tab: true})).toEqual([]);
		expect(feed(startEditing('ab'), ['\u0007\u001B']).state.value).toBe('ab');
	});

	it('counts characters, not UTF-16 units, and never moves past either end', () => {
		const state = startEditing('né😀');
		expect(state.cursor).toBe(3);
		expect(edit(state, {type: 'backspace'})).toEqual({value: 'né', cursor: 2});
		expect(edit(startEditing(''), {type: 'backspace'})).toEqual({value: '', cursor: 0});
		expect(edit({value: 'ab', cursor: 0}, {type: 'left'}).cursor).toBe(0);
		expect(edit({value: 'ab', cursor: 2}, {type: 'right'}).cursor).toBe(2);
		expect(edit({value: 'ab', cursor: 2}, {type: 'delete'}).value).toBe('ab');
	});
});
