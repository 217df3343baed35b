import {describe, expect, it} from 'vitest';
import {fitFooter, fitTrail, windowOf, wrapText} from '../../source/ui/layout.js';

const STEPS = ['Preset', 'Settings', 'Access keys', 'Checks', 'Review', 'Build', 'Result', 'Cleanup'];
const trailText = (items: ReturnType<typeof fitTrail>) => items.map(i => ('gap' in i ? '…' : i.title)).join(' › ');

describe('fitting the screen', () => {
	it('wraps words to the width, cuts a word longer than a line, and indents what follows', () => {
		expect(wrapText('Install HashiCorp Packer from its repository', 20)).toEqual(['Install HashiCorp', 'Packer from its', 'repository']);
		expect(wrapText('fix: a b', 20, '     ')).toEqual(['fix: a b']);
		expect(wrapText('one two three four', 10, '  ')).toEqual(['one two', '  three', '  four']);
		expect(wrapText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
		expect(wrapText('first\nsecond', 40)).toEqual(['first', 'second']);
		for (const line of wrapText('a '.repeat(200), 30, '    ')) expect(line.length).toBeLessThanOrEqual(30);
	});

	it('shortens the step trail to the current step and its neighbours', () => {
		expect(trailText(fitTrail(STEPS, 3, 200))).toBe(STEPS.join(' › '));
		expect(trailText(fitTrail(STEPS, 3, 50))).toBe('… › Access keys › Checks › Review › …');
		expect(trailText(fitTrail(STEPS, 0, 50))).toBe('Preset › Settings › …');
		expect(trailText(fitTrail(STEPS, 7, 50))).toBe('… › Result › Cleanup');
		expect(trailText(fitTrail(STEPS, 3, 12))).toBe('Checks');
		expect(fitTrail(STEPS, 3, 50).filter(i => 'title' in i && i.current)).toHaveLength(1);
	});

	it('keeps the footer on one line, dropping keys from the end but never help and quit', () => {
		const keys: Array<[string, string]> = [['Enter', 'build'], ['s', 'save preset'], ['e', 'edit a setting'], ['w', 'write build.env'], ['Esc', 'back'], ['?', 'help'], ['q', 'quit']];
		expect(fitFooter(keys, 200)).toEqual(keys);
		const fitted = fitFooter(keys, 60);
		expect(fitted.map(([k, w]) => `${k} ${w}`).join(' · ').length).toBeLessThanOrEqual(60);
		expect(fitted.slice(-2)).toEqual([['?', 'help'], ['q', 'quit']]);
		expect(fitted[0]).toEqual(['Enter', 'build']);
	});

	it('shows a window of a long list with what is above and below', () => {
		const items = Array.from({length: 30}, (_, i) => i);
		expect(windowOf(items, 40, 0)).toEqual({shown: items, above: 0, below: 0, offset: 0});
		const top = windowOf(items, 10, 0);
		expect(top).toMatchObject({above: 0, below: 22, offset: 0});
		expect(top.shown).toHaveLength(8);
		expect(windowOf(items, 10, 100)).toMatchObject({above: 22, below: 0, offset: 22});
		expect(windowOf(items, 10, -5).offset).toBe(0);
	});
});
