/**
 * Fitting text to the terminal, as pure functions: word-wrapping to a width, the step
 * trail and the footer shortened to one line, a window onto a list that is taller than
 * its room. Widths count characters (the wizard's text is Latin, marks and box drawing).
 */

const width = (text: string) => [...text].length;

/** Words wrapped to `columns`; a word longer than a line is cut into pieces. `indent` starts every line after the first. */
export function wrapText(text: string, columns: number, indent = ''): string[] {
	const room = Math.max(8, columns);
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = lines.length === 0 ? '' : indent;
		let empty = true;
		const startLine = () => {
			line = indent;
			empty = true;
		};
		const leading = /^\s*/.exec(paragraph)![0];
		line += leading;
		for (const word of paragraph.slice(leading.length).split(/\s+/).filter(Boolean)) {
			let rest = word;
			while (rest) {
				const gap = empty ? '' : ' ';
				if (width(line) + width(gap) + width(rest) <= room) {
					line += gap + rest;
					empty = false;
					rest = '';
				} else if (!empty) {
					lines.push(line);
					startLine();
				} else {
					// A word longer than the line: cut it.
					const fits = Math.max(1, room - width(line));
					line += [...rest].slice(0, fits).join('');
					rest = [...rest].slice(fits).join('');
					lines.push(line);
					startLine();
				}
			}
		}
		if (!empty || line.trim() === '') lines.push(line);
	}
	return lines;
}

/**
 * The step trail on one line: every step when it fits, else the current step with its
 * neighbours (and … where steps are left out), else the current step alone.
 */
export function fitTrail(steps: string[], current: number, columns: number): Array<{title: string; current: boolean} | {gap: true}> {
	const all = steps.map((title, index) => ({title, current: index === current}));
	const length = (items: Array<{title: string} | {gap: true}>) => items.reduce((sum, item, index) => sum + (index > 0 ? 3 : 0) + ('gap' in item ? 1 : width(item.title)), 0);
	if (length(all) <= columns) return all;
	const from = Math.max(0, current - 1);
	const to = Math.min(steps.length - 1, current + 1);
	const near: Array<{title: string; current: boolean} | {gap: true}> = [
		...(from > 0 ? [{gap: true as const}] : []),
		...all.slice(from, to + 1),
		...(to < steps.length - 1 ? [{gap: true as const}] : []),
	];
	if (length(near) <= columns) return near;
	return [all[current]!];
}

export type FooterKey = [key: string, what: string];

/**
 * The footer's keys on one line: all of them when they fit; else the keys are dropped from
 * the end of the list, except the last `keep` (help, quit), which always stay.
 */
export function fitFooter(keys: FooterKey[], columns: number, keep = 2): FooterKey[] {
	const text = (list: FooterKey[]) => list.map(([key, what]) => `${key} ${what}`).join(' · ');
	const kept = keys.slice(Math.max(0, keys.length - keep));
	let optional = keys.slice(0, Math.max(0, keys.length - keep));
	while (optional.length > 0 && width(text([...optional, ...kept])) > columns) optional = optional.slice(0, -1);
	return [...optional, ...kept];
}

/** The lines of a list that fit in `height` rows from `offset`, with how many are above and below. */
export function windowOf<T>(items: readonly T[], height: number, offset: number): {shown: T[]; above: number; below: number; offset: number} {
	if (items.length <= height) return {shown: [...items], above: 0, below: 0, offset: 0};
	// One row each for the "↑ n more" and "↓ n more" lines when they are needed.
	const room = Math.max(1, height - 2);
	const start = Math.min(Math.max(0, offset), items.length - room);
	return {shown: items.slice(start, start + room), above: start, below: items.length - start - room, offset: start};
}
