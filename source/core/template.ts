/**
 * Reads what the wizard needs from a Packer HCL2 template without running Packer:
 * its top-level blocks, its variables and its `packer { required_version ... }`.
 *
 * This is not a full HCL parser. It understands what decides where blocks and
 * attributes end (strings with `${...}` interpolation, comments, heredocs, nesting),
 * and reads simple attribute values (string literals, numbers, booleans, `env("X")`).
 */

export type Block = {
	type: string;
	labels: string[];
	/** Offset of the block's first character (its type) in the text. */
	start: number;
	/** Offset just past the closing brace. */
	end: number;
	/** The text between the braces. */
	body: string;
};

export type AttributeValue =
	| {kind: 'string'; value: string}
	| {kind: 'number'; value: number}
	| {kind: 'bool'; value: boolean}
	| {kind: 'env'; name: string}
	| {kind: 'expression'; text: string};

export type TemplateVariable = {
	name: string;
	type?: string;
	default?: AttributeValue;
	description?: string;
	sensitive: boolean;
};

/** Skips a quoted string starting at `i` (on the opening quote); returns the offset past it. */
function skipString(text: string, i: number): number {
	let j = i + 1;
	while (j < text.length) {
		const c = text[j];
		if (c === '\\') {
			j += 2;
		} else if (c === '"') {
			return j + 1;
		} else if ((c === '$' || c === '%') && text[j + 1] === '{') {
			j = skipNested(text, j + 1);
		} else {
			j++;
		}
	}
	return j;
}

/** Skips a comment or heredoc starting at `i`, if there is one; returns the new offset or -1. */
function skipTrivia(text: string, i: number): number {
	const c = text[i];
	if (c === '#' || (c === '/' && text[i + 1] === '/')) {
		const eol = text.indexOf('\n', i);
		return eol === -1 ? text.length : eol + 1;
	}
	if (c === '/' && text[i + 1] === '*') {
		const close = text.indexOf('*/', i + 2);
		return close === -1 ? text.length : close + 2;
	}
	if (c === '<' && text[i + 1] === '<') {
		const heredoc = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(text.slice(i));
		if (heredoc) {
			const marker = new RegExp(`^[ \\t]*${heredoc[1]}[ \\t]*$`, 'm');
			const rest = text.slice(i + heredoc[0].length);
			const found = marker.exec(rest);
			return found ? i + heredoc[0].length + found.index + found[0].length : text.length;
		}
	}
	return -1;
}

/** Skips a bracketed region starting at `i` (on `{`, `[` or `(`); returns the offset past its close. */
function skipNested(text: string, i: number): number {
	const closers: string[] = [];
	let j = i;
	while (j < text.length) {
		const c = text[j]!;
		const trivia = skipTrivia(text, j);
		if (trivia !== -1) {
			j = trivia;
			continue;
		}
		if (c === '"') {
			j = skipString(text, j);
			continue;
		}
		if (c === '{') closers.push('}');
		else if (c === '[') closers.push(']');
		else if (c === '(') closers.push(')');
		else if (c === closers.at(-1)) {
			closers.pop();
			if (closers.length === 0) return j + 1;
		}
		j++;
	}
	return j;
}

function unquote(literal: string): string {
	return literal
		.slice(1, -1)
		.replace(/\\(["\\nrt])/g, (_, ch: string) => ({n: '\n', r: '\r', t: '\t'})[ch] ?? ch);
}

/** The blocks (`type "label" ... { ... }`) at the top level of `text`. */
export function blocks(text: string): Block[] {
	const found: Block[] = [];
	let i = 0;
	while (i < text.length) {
		const trivia = skipTrivia(text, i);
		if (trivia !== -1) {
			i = trivia;
			continue;
		}
		const head = /^([A-Za-z_][A-Za-z0-9_-]*)((?:[ \t]+(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*))*)[ \t]*(\{|=)/.exec(
			text.slice(i),
		);
		if (head) {
			const braceOrEquals = i + head[0].length - 1;
			if (head[3] === '{') {
				const end = skipNested(text, braceOrEquals);
				const labels = [...head[2]!.matchAll(/"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_-]*)/g)].map(
					m => (m[1] === undefined ? m[2]! : unquote(`"${m[1]}"`)),
				);
				found.push({type: head[1]!, labels, start: i, end, body: text.slice(braceOrEquals + 1, end - 1)});
				i = end;
			} else {
				i = endOfExpression(text, braceOrEquals + 1);
			}
			continue;
		}
		i++;
	}
	return found;
}

/** Offset of the end of the expression that starts at `i` (its line, or past its brackets). */
function endOfExpression(text: string, i: number): number {
	let j = i;
	while (j < text.length && text[j] !== '\n') {
		const c = text[j]!;
		const trivia = skipTrivia(text, j);
		if (trivia !== -1 && c !== '<') return j;
		if (trivia !== -1) {
			j = trivia;
			continue;
		}
		if (c === '"') j = skipString(text, j);
		else if (c === '{' || c === '[' || c === '(') j = skipNested(text, j);
		else j++;
	}
	return j;
}

function readValue(raw: string): AttributeValue {
	const text = raw.trim();
	if (/^"(?:[^"\\$%]|\\.|[$%](?!\{))*"$/.test(text)) return {kind: 'string', value: unquote(text)};
	if (/^-?\d+(\.\d+)?$/.test(text)) return {kind: 'number', value: Number(text)};
	if (text === 'true' || text === 'false') return {kind: 'bool', value: text === 'true'};
	const env = /^env\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)$/.exec(text);
	if (env) return {kind: 'env', name: env[1]!};
	return {kind: 'expression', text};
}

/** The attributes (`name = value`) directly inside a block body. */
export function attributes(body: string): Map<string, AttributeValue> {
	const found = new Map<string, AttributeValue>();
	let i = 0;
	while (i < body.length) {
		const trivia = skipTrivia(body, i);
		if (trivia !== -1) {
			i = trivia;
			continue;
		}
		const rest = body.slice(i);
		const attribute = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?!=)/.exec(rest);
		if (attribute) {
			const valueStart = i + attribute[0].length;
			const valueEnd = endOfExpression(body, valueStart);
			found.set(attribute[1]!, readValue(body.slice(valueStart, valueEnd)));
			i = valueEnd;
			continue;
		}
		const c = body[i]!;
		if (c === '{') {
			i = skipNested(body, i);
		} else if (c === '"') {
			i = skipString(body, i);
		} else {
			i++;
		}
	}
	return found;
}

function stringOf(value: AttributeValue | undefined): string | undefined {
	return value?.kind === 'string' ? value.value : undefined;
}

/** Every `variable` block of the template, in order. */
export function templateVariables(text: string): TemplateVariable[] {
	return blocks(text)
		.filter(block => block.type === 'variable' && block.labels.length === 1)
		.map(block => {
			const attrs = attributes(block.body);
			const type = attrs.get('type');
			const sensitive = attrs.get('sensitive');
			return {
				name: block.labels[0]!,
				type: type?.kind === 'expression' ? type.text : undefined,
				default: attrs.get('default'),
				description: stringOf(attrs.get('description')),
				sensitive: sensitive?.kind === 'bool' && sensitive.value,
			};
		});
}

/** The `required_version` constraint of the template's `packer` block, if any. */
export function requiredVersion(text: string): string | undefined {
	const packer = blocks(text).find(block => block.type === 'packer');
	return packer ? stringOf(attributes(packer.body).get('required_version')) : undefined;
}

/** `text` with one top-level block replaced by `replacement` (the block's whole text). */
export function replaceBlock(text: string, block: Block, replacement: string): string {
	return text.slice(0, block.start) + replacement + text.slice(block.end);
}

export type RequiredPlugin = {name: string; source?: string; version?: string};

/** The `required_plugins` of the template's `packer` block. */
export function requiredPlugins(text: string): RequiredPlugin[] {
	const packer = blocks(text).find(block => block.type === 'packer');
	const required = packer && blocks(packer.body).find(block => block.type === 'required_plugins');
	if (!required) return [];
	return [...attributes(required.body)].map(([name, value]) => {
		const expression = value.kind === 'expression' ? value.text : '';
		return {
			name,
			source: /source\s*=\s*"([^"]*)"/.exec(expression)?.[1],
			version: /version\s*=\s*"([^"]*)"/.exec(expression)?.[1],
		};
	});
}
