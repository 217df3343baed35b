/**
 * Editing a one-line text field as a shell does, as a pure reducer: what arrives from the
 * terminal (a key, or a chunk of several keys at once: fast typing, a paste, tmux
 * `send-keys BSpace BSpace`) becomes a list of edits, and each edit maps a state to the next.
 */

export type Editing = {value: string; cursor: number};

export type Edit =
	| {type: 'insert'; text: string}
	| {type: 'backspace'}
	| {type: 'delete'}
	| {type: 'left'}
	| {type: 'right'}
	| {type: 'home'}
	| {type: 'end'}
	| {type: 'word-left'}
	| {type: 'word-right'}
	/** Ctrl+W, Alt+Backspace: the word before the cursor. */
	| {type: 'delete-word'}
	/** Ctrl+U: everything before the cursor. */
	| {type: 'kill-start'}
	/** Ctrl+K: everything after the cursor. */
	| {type: 'kill-end'}
	| {type: 'submit'};

/** What Ink's useInput reports about one input event (the fields the field needs). */
export type InkKey = {
	leftArrow?: boolean;
	rightArrow?: boolean;
	upArrow?: boolean;
	downArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	tab?: boolean;
	backspace?: boolean;
	delete?: boolean;
	ctrl?: boolean;
	meta?: boolean;
};

export const startEditing = (value: string): Editing => ({value, cursor: [...value].length});

/** Ctrl+letter as a shell's line editor reads it; letters not listed are not the field's. */
const CONTROL: Record<string, Edit['type']> = {
	a: 'home',
	e: 'end',
	b: 'left',
	f: 'right',
	h: 'backspace',
	d: 'delete',
	u: 'kill-start',
	k: 'kill-end',
	w: 'delete-word',
	j: 'submit',
	m: 'submit',
};

/** The edits in a run of raw characters (a chunk that held several keys). */
function editsOfText(text: string): Edit[] {
	const edits: Edit[] = [];
	let pending = '';
	const flush = () => {
		if (pending) edits.push({type: 'insert', text: pending});
		pending = '';
	};
	for (const char of text) {
		const code = char.codePointAt(0)!;
		if (code >= 0x20 && code !== 0x7f) {
			pending += char;
			continue;
		}
		flush();
		if (char === '\u007F' || char === '\b') edits.push({type: 'backspace'});
		else if (char === '\r' || char === '\n') edits.push({type: 'submit'});
		else if (code >= 1 && code <= 26) {
			const type = CONTROL[String.fromCharCode(code + 96)];
			if (type) edits.push({type} as Edit);
		}
		// Other control characters (Tab, Esc remnants) are not text: dropped.
	}
	flush();
	return edits;
}

/**
 * The edits one useInput event carries. Keys the field does not own (Esc, ↑↓, Tab, Ctrl+C,
 * PgUp/PgDn) give none, so the screen around the field can use them.
 */
export function editsOf(input: string, key: InkKey): Edit[] {
	if (key.escape || key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.tab) return [];
	if (key.return) return [{type: 'submit'}];
	if (key.leftArrow) return [{type: key.ctrl || key.meta ? 'word-left' : 'left'}];
	if (key.rightArrow) return [{type: key.ctrl || key.meta ? 'word-right' : 'right'}];
	if (key.home) return [{type: 'home'}];
	if (key.end) return [{type: 'end'}];
	// Ink names both Backspace (\x7f) and Delete (\e[3~) "delete": a terminal's Backspace
	// sends \x7f, so both erase backwards, as in most terminal fields; Ctrl+D erases forwards.
	if (key.backspace || key.delete) return [{type: key.meta ? 'delete-word' : 'backspace'}];
	if (key.ctrl) {
		const type = CONTROL[input];
		return type ? [{type} as Edit] : [];
	}
	if (key.meta) {
		if (input === 'b') return [{type: 'word-left'}];
		if (input === 'f') return [{type: 'word-right'}];
		if (input === '\u007F' || input === '\b') return [{type: 'delete-word'}];
		return [];
	}
	return editsOfText(input);
}

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);

/** Where the word before `cursor` starts (spaces before it are part of the jump). */
function wordStart(chars: string[], cursor: number): number {
	let i = cursor;
	while (i > 0 && isSpace(chars[i - 1])) i--;
	while (i > 0 && !isSpace(chars[i - 1])) i--;
	return i;
}

function wordEnd(chars: string[], cursor: number): number {
	let i = cursor;
	while (i < chars.length && isSpace(chars[i])) i++;
	while (i < chars.length && !isSpace(chars[i])) i++;
	return i;
}

/** One edit. Positions count characters (code points), so a cursor never splits one. */
export function edit(state: Editing, change: Edit): Editing {
	const chars = [...state.value];
	const cursor = Math.min(Math.max(state.cursor, 0), chars.length);
	const at = (next: string[], position: number): Editing => ({value: next.join(''), cursor: position});
	switch (change.type) {
		case 'insert': {
			const text = [...change.text];
			return at([...chars.slice(0, cursor), ...text, ...chars.slice(cursor)], cursor + text.length);
		}
		case 'backspace':
			return cursor === 0 ? state : at([...chars.slice(0, cursor - 1), ...chars.slice(cursor)], cursor - 1);
		case 'delete':
			return cursor === chars.length ? state : at([...chars.slice(0, cursor), ...chars.slice(cursor + 1)], cursor);
		case 'left':
			return {...state, cursor: Math.max(0, cursor - 1)};
		case 'right':
			return {...state, cursor: Math.min(chars.length, cursor + 1)};
		case 'home':
			return {...state, cursor: 0};
		case 'end':
			return {...state, cursor: chars.length};
		case 'word-left':
			return {...state, cursor: wordStart(chars, cursor)};
		case 'word-right':
			return {...state, cursor: wordEnd(chars, cursor)};
		case 'delete-word': {
			const start = wordStart(chars, cursor);
			return at([...chars.slice(0, start), ...chars.slice(cursor)], start);
		}
		case 'kill-start':
			return at(chars.slice(cursor), 0);
		case 'kill-end':
			return at(chars.slice(0, cursor), cursor);
		case 'submit':
			return state;
	}
}

/**
 * Applies the edits of one event in order. A submit stops there: what follows a newline in
 * a paste is not part of this field's value.
 */
export function applyEdits(state: Editing, edits: Edit[]): {state: Editing; submitted: boolean} {
	let next = state;
	for (const change of edits) {
		if (change.type === 'submit') return {state: next, submitted: true};
		next = edit(next, change);
	}
	return {state: next, submitted: false};
}
