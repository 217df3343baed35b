/**
 * Packer's -machine-readable output → typed events.
 *
 * A line is `timestamp,target,type,data...`. Inside data a comma is `%!(PACKER_COMMA)` and
 * newlines and carriage returns are the two characters `\n` and `\r`. `ui` lines have an
 * empty target; their data is `say|message|error,<text>`, with the build's name inside
 * the text (`==> name: ` for say and error, `    name: ` for message). Anything else on the streams
 * (packer.sh's own lines, `packer validate`) is a `raw` event.
 */

export type PackerEvent =
	| {type: 'ui'; level: 'say' | 'message' | 'error'; build?: string; text: string; time: number}
	| {type: 'artifact-count'; build: string; count: number; time: number}
	| {type: 'artifact'; build: string; index: number; field: string; values: string[]; time: number}
	| {type: 'error-count'; count: number; time: number}
	| {type: 'build-error'; build: string; text: string; time: number}
	| {type: 'other'; target: string; kind: string; values: string[]; time: number}
	| {type: 'raw'; stream: 'stdout' | 'stderr'; text: string};

export function unescapeData(value: string): string {
	return value.replaceAll('%!(PACKER_COMMA)', ',').replace(/\\[nr]/g, m => (m === '\\n' ? '\n' : '\r'));
}

const LINE = /^(\d+),([^,]*),([^,]+),(.*)$/s;

/** Splits `==> name: text` / `    name: text` into the build's name and the text. */
function splitBuild(text: string): {build?: string; text: string} {
	const trimmed = text.replace(/^\n+/, '');
	const match = /^(?:==> | {4})([\w.-]+): ([\s\S]*)$/.exec(trimmed);
	return match ? {build: match[1], text: match[2]!} : {text: trimmed.replace(/^(==>|-->) /, '')};
}

export function parseLine(line: string, stream: 'stdout' | 'stderr' = 'stdout'): PackerEvent {
	const match = stream === 'stdout' ? LINE.exec(line) : null;
	if (!match) return {type: 'raw', stream, text: line};
	const time = Number(match[1]);
	const target = match[2]!;
	const kind = match[3]!;
	const values = match[4]!.split(',').map(unescapeData);
	switch (kind) {
		case 'ui': {
			const level = values[0];
			if (level !== 'say' && level !== 'message' && level !== 'error') break;
			return {type: 'ui', level, ...splitBuild(values.slice(1).join(',')), time};
		}
		case 'artifact-count':
			return {type: 'artifact-count', build: target, count: Number(values[0]), time};
		case 'artifact':
			return {type: 'artifact', build: target, index: Number(values[0]), field: values[1] ?? '', values: values.slice(2), time};
		case 'error-count':
			return {type: 'error-count', count: Number(values[0]), time};
		case 'error':
			return {type: 'build-error', build: target, text: values.join(','), time};
	}
	return {type: 'other', target, kind, values, time};
}

/** The text a person would see for an event (one or more lines). */
export function eventText(event: PackerEvent): string {
	switch (event.type) {
		case 'ui':
			return event.level === 'say' ? `==> ${event.text}` : event.level === 'error' ? `ERROR: ${event.text}` : `    ${event.text}`;
		case 'build-error':
			return `ERROR: ${event.build}: ${event.text}`;
		case 'raw':
			return event.text;
		case 'artifact':
			return event.field === 'string' ? `--> ${event.build}: ${event.values.join(',')}` : '';
		default:
			return '';
	}
}
