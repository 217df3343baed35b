/**
 * Presets: the non-secret answers saved as presets/<name>.json in the workspace, to
 * rerun a build or share it (safe to commit). A preset never holds a key: saving one
 * refuses it, and loading a file that contains one fails without using or changing it.
 */
import {lstat, readdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {FileError, readTextFile, writeFileAtomic} from './files.js';
import {aKey, findKeyLike} from './secrets.js';
import {MAX_VALUE_LENGTH, SETTINGS, SETTINGS_BY_KEY} from './settings.js';
import {excerpt, hasControlCharacters, printable} from './text.js';

export const PRESET_SCHEMA_VERSION = 1;
export const PRESETS_DIR = 'presets';

export type Preset = {
	name: string;
	file: string;
	/** Setting key → value as the environment would carry it. */
	values: Map<string, string>;
};

export class PresetError extends Error {
	constructor(
		readonly file: string,
		readonly reason: string,
		readonly fix: string,
		readonly field?: string,
		readonly line?: number,
	) {
		const where = line !== undefined ? `${file}:${line}` : file;
		super(printable(`${where}: ${field ? `${field}: ` : ''}${reason}. ${fix}`));
		this.name = 'PresetError';
	}
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function presetNameProblem(name: string): string | undefined {
	if (NAME.test(name) && !name.endsWith('.json')) return undefined;
	return `'${name}' cannot be a preset name: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`;
}

export function presetFile(workspace: string, name: string): string {
	const problem = presetNameProblem(name);
	if (problem) throw new PresetError(path.join(workspace, PRESETS_DIR), problem, 'Choose another name.');
	return path.join(workspace, PRESETS_DIR, `${name}.json`);
}

/** Line (1-based) of a character offset. */
function lineOf(text: string, offset: number): number {
	return text.slice(0, offset).split('\n').length;
}

/** Line of the first `"field":` in the text, to point an operator at it. */
function lineOfField(text: string, field: string): number | undefined {
	const index = text.indexOf(`"${field}"`);
	return index === -1 ? undefined : lineOf(text, index);
}

const HOW_TO_FIX_KEY =
	'Remove it from the file (and from git history if it was committed), delete that key in the console (My Credentials → Access Keys), and export keys only in the shell: read -rs IAM_SECRET_KEY.';

/** Parses a preset file's text; throws PresetError naming the file, line or field, and what to do. */
export function parsePreset(file: string, text: string): Map<string, string> {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		// V8 quotes the start of the text in its message ("abcdefghij"... is not valid JSON):
		// that could be part of a key typed into the wrong file. Only the position is kept.
		const message = (error as Error).message;
		const position = /position (\d+)/.exec(message);
		throw new PresetError(
			file,
			position ? 'not valid JSON' : 'not valid JSON (it may be empty or cut short)',
			'Fix the JSON by hand; the file was left as it is.',
			undefined,
			position ? lineOf(text, Number(position[1])) : undefined,
		);
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new PresetError(file, 'expected a JSON object with schemaVersion and settings', 'Fix the file by hand.');
	}
	const record = data as Record<string, unknown>;
	for (const field of Object.keys(record)) {
		if (field !== 'schemaVersion' && field !== 'settings') {
			throw new PresetError(file, 'unknown field', 'Only schemaVersion and settings belong here.', field, lineOfField(text, field));
		}
	}
	if (record['schemaVersion'] !== PRESET_SCHEMA_VERSION) {
		throw new PresetError(
			file,
			`expected schemaVersion ${PRESET_SCHEMA_VERSION}, got ${JSON.stringify(record['schemaVersion'])}`,
			'This version of cce-image-wizard reads schema 1; upgrade the tool or fix the file.',
			'schemaVersion',
			lineOfField(text, 'schemaVersion'),
		);
	}
	const settings = record['settings'];
	if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
		throw new PresetError(file, 'expected an object of setting → value', 'Fix the file by hand.', 'settings', lineOfField(text, 'settings'));
	}
	const values = new Map<string, string>();
	for (const [key, value] of Object.entries(settings)) {
		const field = `settings.${excerpt(key, 40)}`;
		const line = lineOfField(text, key);
		const s = SETTINGS_BY_KEY.get(key);
		if (s?.secret) {
			throw new PresetError(file, `holds the ${s.label}: presets never hold keys`, HOW_TO_FIX_KEY, field, line);
		}
		if (!s) {
			throw new PresetError(
				file,
				'unknown setting',
				`Known settings: ${SETTINGS.filter(x => !x.secret)
					.map(x => x.key)
					.join(', ')}.`,
				field,
				line,
			);
		}
		const expected = s.kind === 'number' ? 'number' : s.kind === 'bool' ? 'boolean' : 'string';
		if (typeof value !== expected) {
			throw new PresetError(file, `expected a ${expected}, got ${value === null ? 'null' : typeof value}`, 'Fix the value by hand.', field, line);
		}
		const asText = String(value);
		const keyLike = findKeyLike(asText)[0];
		if (keyLike) {
			throw new PresetError(file, `holds something that looks like ${aKey(keyLike.kind)}`, HOW_TO_FIX_KEY, field, line);
		}
		if (hasControlCharacters(asText)) {
			throw new PresetError(file, 'holds control characters (such as ESC or CR)', 'Remove them by hand; the file was left as it is.', field, line);
		}
		if (asText.length > MAX_VALUE_LENGTH) {
			throw new PresetError(file, `is ${asText.length} characters long; expected at most ${MAX_VALUE_LENGTH}`, 'Shorten it by hand.', field, line);
		}
		values.set(key, asText);
	}
	return values;
}

/** A preset is a small JSON file: anything else (a FIFO, a device, a huge file) is refused. */
export const MAX_PRESET_BYTES = 256 * 1024;

async function readPresetText(file: string): Promise<string> {
	return readTextFile(file, MAX_PRESET_BYTES);
}

export async function loadPreset(workspace: string, name: string): Promise<Preset> {
	const file = presetFile(workspace, name);
	let text: string;
	try {
		text = await readPresetText(file);
	} catch (error) {
		if (error instanceof FileError && error.reason === 'does not exist') {
			const known = (await listPresets(workspace)).map(p => p.name);
			throw new PresetError(
				file,
				`no preset '${name}'`,
				known.length > 0 ? `Saved presets: ${known.join(', ')}.` : 'No preset is saved in this workspace yet.',
			);
		}
		throw error;
	}
	return {name, file, values: parsePreset(file, text)};
}

/** The text of a preset file for these values (keys in the settings table's order). */
export function presetText(values: ReadonlyMap<string, string>): string {
	const settings: Record<string, string | number | boolean> = {};
	for (const s of SETTINGS) {
		const value = values.get(s.key);
		if (value === undefined) continue;
		settings[s.key] = s.kind === 'number' ? Number(value) : s.kind === 'bool' ? value === 'true' : value;
	}
	return `${JSON.stringify({schemaVersion: PRESET_SCHEMA_VERSION, settings}, null, 2)}\n`;
}

export class PresetExistsError extends Error {
	constructor(readonly file: string) {
		super(`${file} exists. Overwrite it with --force, or choose another name.`);
		this.name = 'PresetExistsError';
	}
}

/**
 * Saves non-secret values as a preset. A secret setting, or any value that looks like a
 * key, is refused and nothing is written. An existing preset is overwritten only with `force`.
 */
export async function savePreset(
	workspace: string,
	name: string,
	values: ReadonlyMap<string, string>,
	options: {force?: boolean} = {},
): Promise<string> {
	const file = presetFile(workspace, name);
	for (const [key, value] of values) {
		const s = SETTINGS_BY_KEY.get(key);
		if (!s) throw new PresetError(file, 'unknown setting', 'This is a bug in the caller.', key);
		if (s.secret) throw new PresetError(file, `the ${s.label} cannot be saved: presets never hold keys`, 'Nothing was written.', key);
		const keyLike = findKeyLike(value)[0];
		if (keyLike) throw new PresetError(file, `looks like ${aKey(keyLike.kind)}, so it is not saved`, 'Nothing was written.', key);
	}
	const text = presetText(values);
	if (!options.force) {
		const exists = await lstat(file).then(
			() => true,
			() => false,
		);
		if (exists) throw new PresetExistsError(file);
	}
	await writeFileAtomic(file, text, 0o644);
	return file;
}

export type PresetListing = {name: string; file: string; values?: Map<string, string>; error?: string};

/** Every preset in the workspace, each either readable or with its error (never hidden). */
export async function listPresets(workspace: string): Promise<PresetListing[]> {
	const dir = path.join(workspace, PRESETS_DIR);
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return [];
	}
	const listings = await Promise.all(
		names
			.filter(entry => entry.endsWith('.json') && !entry.startsWith('.'))
			.sort()
			.map(async (entry): Promise<PresetListing> => {
				const name = entry.slice(0, -'.json'.length);
				const file = path.join(dir, entry);
				try {
					return {name, file, values: parsePreset(file, await readPresetText(file))};
				} catch (error) {
					return {name, file, error: printable(error instanceof FileError ? `cannot be read: it ${error.reason}` : (error as Error).message)};
				}
			}),
	);
	return listings;
}

export async function deletePreset(workspace: string, name: string): Promise<string> {
	const file = presetFile(workspace, name);
	try {
		await rm(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PresetError(file, `no preset '${name}'`, 'Nothing was deleted.');
		throw error;
	}
	return file;
}

/** What a preset should hold of the answers: every non-secret value that is not the default. */
export function presetValuesOf(answers: Iterable<{key: string; value: string; source: string}>): Map<string, string> {
	const values = new Map<string, string>();
	for (const answer of answers) {
		const s = SETTINGS_BY_KEY.get(answer.key);
		if (!s || s.secret || answer.source === 'default' || answer.source === 'unset') continue;
		values.set(answer.key, answer.value);
	}
	return values;
}
