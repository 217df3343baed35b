import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {
	deletePreset,
	listPresets,
	loadPreset,
	PresetError,
	PresetExistsError,
	presetNameProblem,
	savePreset,
} from '../../source/core/presets.js';
import {tempDir, TEST_KEYS} from '../helpers/kit.js';

const VALUES = new Map([
	['region_name', 'ap-southeast-1'],
	['vpc_id', '0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e90'],
	['ecs_flavor', 'c7.xlarge.2'],
	['volume_size', '60'],
	['upload_build_log', 'true'],
	['image_description', 'with "quotes" and ünïcode'],
]);

function writePreset(workspace: string, name: string, text: string): string {
	mkdirSync(path.join(workspace, 'presets'), {recursive: true});
	const file = path.join(workspace, 'presets', `${name}.json`);
	writeFileSync(file, text);
	return file;
}

async function loadError(workspace: string, name: string): Promise<PresetError> {
	try {
		await loadPreset(workspace, name);
	} catch (error) {
		if (error instanceof PresetError) return error;
		throw error;
	}
	throw new Error('expected loading to fail');
}

describe('presets', () => {
	it('round-trip, with typed JSON values and a schemaVersion', async () => {
		const workspace = tempDir('presets');
		const file = await savePreset(workspace, 'prod', VALUES);
		expect(file).toBe(path.join(workspace, 'presets', 'prod.json'));
		const json = JSON.parse(readFileSync(file, 'utf8'));
		expect(json.schemaVersion).toBe(1);
		expect(json.settings.volume_size).toBe(60);
		expect(json.settings.upload_build_log).toBe(true);
		expect((await loadPreset(workspace, 'prod')).values).toEqual(VALUES);
		expect(readdirSync(path.join(workspace, 'presets'))).toEqual(['prod.json']); // no temp file left
	});

	it('overwrite needs force', async () => {
		const workspace = tempDir('presets');
		await savePreset(workspace, 'prod', VALUES);
		await expect(savePreset(workspace, 'prod', new Map([['region_name', 'cn-north-4']]))).rejects.toThrow(PresetExistsError);
		expect((await loadPreset(workspace, 'prod')).values.get('region_name')).toBe('ap-southeast-1');
		await savePreset(workspace, 'prod', new Map([['region_name', 'cn-north-4']]), {force: true});
		expect((await loadPreset(workspace, 'prod')).values).toEqual(new Map([['region_name', 'cn-north-4']]));
	});

	it('saving a key, or a value that looks like one, fails and writes nothing', async () => {
		const workspace = tempDir('presets');
		for (const values of [
			new Map([...VALUES, ['secret_key', TEST_KEYS.IAM_SECRET_KEY]]),
			new Map([...VALUES, ['access_key', TEST_KEYS.IAM_ACCESS_KEY]]),
			new Map([...VALUES, ['image_description', `key ${TEST_KEYS.IAM_ACCESS_KEY}`]]),
			new Map([...VALUES, ['image_name', TEST_KEYS.IAM_SECRET_KEY]]),
		]) {
			const error = await savePreset(workspace, 'leaky', values).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(PresetError);
			expect(String(error)).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
			expect(String(error)).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
			expect(existsSync(path.join(workspace, 'presets', 'leaky.json'))).toBe(false);
		}
		expect(existsSync(path.join(workspace, 'presets')) ? readdirSync(path.join(workspace, 'presets')) : []).toEqual([]);
	});

	const malformed: Array<[string, string, RegExp]> = [
		['bad JSON', '{\n  "schemaVersion": 1,\n  "settings": {\n    "region_name": "ap-southeast-1",\n  }\n}\n', /bad\.json:5: not valid JSON/],
		['unknown top-level field', '{\n  "schemaVersion": 1,\n  "owner": "me",\n  "settings": {}\n}\n', /bad\.json:3: owner: unknown field/],
		['unknown setting', '{\n  "schemaVersion": 1,\n  "settings": {\n    "flavour": "c7.large.2"\n  }\n}\n', /bad\.json:4: settings\.flavour: unknown setting/],
		['wrong type', '{\n  "schemaVersion": 1,\n  "settings": {\n    "volume_size": "60"\n  }\n}\n', /bad\.json:4: settings\.volume_size: expected a number, got string/],
		['wrong schema', '{"schemaVersion": 9, "settings": {}}', /bad\.json:1: schemaVersion: expected schemaVersion 1, got 9/],
		['not an object', '[1, 2]', /bad\.json: expected a JSON object/],
		['a secret setting', `{\n  "schemaVersion": 1,\n  "settings": {\n    "region_name": "ap-southeast-1",\n    "secret_key": "${TEST_KEYS.IAM_SECRET_KEY}"\n  }\n}\n`, /bad\.json:5: settings\.secret_key: holds the Secret key \(SK\): presets never hold keys\. Remove it/],
		['a key-like value', `{"schemaVersion": 1, "settings": {"image_description": "AK ${TEST_KEYS.IAM_ACCESS_KEY}"}}`, /settings\.image_description: holds something that looks like an access key/],
	];
	for (const [what, text, expected] of malformed) {
		it(`a preset with ${what} fails with file and field, and is left byte for byte`, async () => {
			const workspace = tempDir('presets');
			const file = writePreset(workspace, 'bad', text);
			const error = await loadError(workspace, 'bad');
			expect(error.message).toMatch(expected);
			expect(error.message).toContain(file);
			expect(error.message).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
			expect(error.message).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
			expect(readFileSync(file, 'utf8')).toBe(text);
			// Listed with its error, not hidden.
			const [listed] = await listPresets(workspace);
			expect(listed).toMatchObject({name: 'bad'});
			expect(listed!.error).toMatch(expected);
		});
	}

	it('a missing preset names the ones there are', async () => {
		const workspace = tempDir('presets');
		await savePreset(workspace, 'prod', VALUES);
		await savePreset(workspace, 'staging', VALUES);
		expect((await loadError(workspace, 'prd')).message).toContain('Saved presets: prod, staging');
	});

	it('names are file-safe', async () => {
		for (const name of ['prod', 'cn-north-4.gpu', 'team_a']) expect(presetNameProblem(name)).toBeUndefined();
		for (const name of ['../x', 'a/b', '.hidden', '', 'x'.repeat(65), 'prod.json', 'a b']) expect(presetNameProblem(name), name).toBeDefined();
		await expect(savePreset(tempDir('presets'), '../escape', VALUES)).rejects.toThrow(PresetError);
	});

	it('delete removes the file, and says when there is none', async () => {
		const workspace = tempDir('presets');
		await savePreset(workspace, 'prod', VALUES);
		await deletePreset(workspace, 'prod');
		expect(await listPresets(workspace)).toEqual([]);
		await expect(deletePreset(workspace, 'prod')).rejects.toThrow(/no preset 'prod'/);
	});
});
