/**
 * The builder kit: the files `make image` needs, where they ship inside this package,
 * and `init`, which lays them into a folder without overwriting anything there.
 */
import {constants} from 'node:fs';
import {copyFile, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {DEFAULT_PIN, pluginPin, repin, type PluginPinChoice} from './plugin-pin.js';

/** The package's own folder: the kit ships at its top (dist/core/kit.js or source/core/kit.ts → ../..). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const TEMPLATE_FILE = 'turbo-node.pkr.hcl';
export const WRAPPER_FILE = 'packer.sh';

/** What `init` lays out, relative to the kit's root; folders are copied file by file. */
export const KIT_ENTRIES = [
	TEMPLATE_FILE,
	WRAPPER_FILE,
	'Makefile',
	'scripts',
	'user-scripts',
	'user-packages',
	'presets/README.md',
] as const;

/** The files without which `make image` cannot work; the workspace check looks for these. */
export const KIT_REQUIRED = [TEMPLATE_FILE, WRAPPER_FILE, 'scripts/00-prepare.sh', 'scripts/99-finalize.sh'] as const;

export type InitResult = {
	/** Files written, relative to the target folder. */
	created: string[];
	/** Files that already existed and were left as they are. */
	kept: string[];
	/** The plugin version the template in the target pins afterwards (undefined: none found). */
	pin?: string;
};

async function kitFiles(root: string, entry: string): Promise<string[]> {
	const info = await stat(path.join(root, entry));
	if (!info.isDirectory()) return [entry];
	const names = (await readdir(path.join(root, entry))).sort();
	const nested = await Promise.all(names.map(async name => kitFiles(root, path.join(entry, name))));
	return nested.flat();
}

/** Every kit file, relative to the kit's root, in a stable order. */
export async function listKit(from = packageRoot): Promise<string[]> {
	const lists = await Promise.all(KIT_ENTRIES.map(async entry => kitFiles(from, entry)));
	return lists.flat();
}

/**
 * Lays the kit into `target` (created if needed). An existing file is never
 * overwritten: it is reported as kept. File modes (packer.sh is executable) are kept.
 * A newly laid template is pinned to `plugin` (default: the procedure's 0.4.0).
 */
export async function initKit(target: string, from = packageRoot, options: {plugin?: PluginPinChoice} = {}): Promise<InitResult> {
	const result: InitResult = {created: [], kept: []};
	for (const file of await listKit(from)) {
		const destination = path.join(target, file);
		await mkdir(path.dirname(destination), {recursive: true});
		try {
			await copyFile(path.join(from, file), destination, constants.COPYFILE_EXCL);
			result.created.push(file);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			result.kept.push(file);
		}
	}
	const template = path.join(target, TEMPLATE_FILE);
	if (result.created.includes(TEMPLATE_FILE) && options.plugin && options.plugin !== DEFAULT_PIN) {
		await writeFile(template, repin(await readFile(template, 'utf8'), options.plugin));
	}
	result.pin = pluginPin(await readFile(template, 'utf8').catch(() => '')).version;
	return result;
}

/** Pins the huaweicloud plugin of `file` to `version`, changing only that line. */
export async function repinTemplate(file: string, version: string): Promise<void> {
	await writeFile(file, repin(await readFile(file, 'utf8'), version));
}

/** The required kit files missing from `dir` (empty when the kit is complete). */
export async function missingKitFiles(dir: string): Promise<string[]> {
	const present = await Promise.all(
		KIT_REQUIRED.map(async file =>
			stat(path.join(dir, file)).then(
				() => true,
				() => false,
			),
		),
	);
	return KIT_REQUIRED.filter((_, index) => !present[index]);
}
