import {existsSync, readFileSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {CI_FILES, CI_KINDS, isCiKind, workflowText, type CiKind} from '../core/ci.js';
import {writeFileAtomic} from '../core/files.js';
import {initKit, packageRoot, TEMPLATE_FILE} from '../core/kit.js';
import {isPinChoice, PIN_EXPLANATION, PLUGIN_PINS, readPluginPin} from '../core/plugin-pin.js';
import {listPresets, presetNameProblem} from '../core/presets.js';
import {startedWith} from '../core/started-with.js';
import {EXIT, type Io} from './io.js';

/** `init [--plugin VERSION] [--ci KIND --preset NAME] [DIR]`: lays the kit into DIR (default: --dir, else the current folder). */
export async function runInit(io: Io, args: string[], dir: string | undefined, plugin?: string, ci?: {kind?: string; preset?: string; force?: boolean}): Promise<number> {
	if (ci?.kind !== undefined && !isCiKind(ci.kind)) {
		io.err(`--ci ${ci.kind}: expected ${CI_KINDS.join(' or ')}.`);
		return EXIT.usage;
	}
	if (args.length > 1) {
		io.err(`init takes one folder, got ${args.length}. Usage: cce-image-wizard init [--plugin ${PLUGIN_PINS.join('|')}] [DIR]`);
		return EXIT.usage;
	}
	if (plugin !== undefined && !isPinChoice(plugin)) {
		io.err(`--plugin ${plugin}: the kit supports ${PLUGIN_PINS.join(' and ')}.\n  ${PLUGIN_PINS.map(p => PIN_EXPLANATION[p]).join('\n  ')}`);
		return EXIT.usage;
	}
	const target = path.resolve(args[0] ?? dir ?? '.');
	const {created, kept, pin} = await initKit(target, undefined, {plugin});
	io.out(`Builder kit in ${target}:`);
	for (const file of created) io.out(`  created  ${file}${file === TEMPLATE_FILE && pin ? ` (huaweicloud plugin = ${pin})` : ''}`);
	for (const file of kept) io.out(`  kept     ${file} (exists; not overwritten)`);
	if (plugin && kept.includes(TEMPLATE_FILE) && pin !== plugin) {
		io.out(`The existing ${TEMPLATE_FILE} pins the plugin at ${pin ?? 'no version'}, not ${plugin}; the wizard's plugin check offers the re-pin (c).`);
	}
	if (ci?.kind) return writeWorkflow(io, target, ci.kind as CiKind, ci.preset, ci.force ?? false);
	io.out(
		created.length === 0
			? 'Nothing to do: every kit file was already there.'
			: `Next: put your scripts in user-scripts/ and files in user-packages/, then run \`${startedWith({packageRoot, cwd: process.cwd(), env: process.env})}\` in ${target}.`,
	);
	return EXIT.ok;
}

/** Writes the CI workflow for a preset (the only one in presets/ when none is named). */
async function writeWorkflow(io: Io, target: string, kind: CiKind, given: string | undefined, force: boolean): Promise<number> {
	const presets = (await listPresets(target)).filter(p => !p.error);
	const preset = given ?? (presets.length === 1 ? presets[0]!.name : undefined);
	if (!preset) {
		io.err(`init --ci ${kind} needs the preset to build: --preset NAME${presets.length > 1 ? ` (one of ${presets.map(p => p.name).join(', ')})` : ' (save one in the wizard, or with `cce-image-wizard presets save NAME`)'}.`);
		return EXIT.usage;
	}
	const problem = presetNameProblem(preset);
	if (problem) {
		io.err(`--preset: ${problem}.`);
		return EXIT.usage;
	}
	if (!presets.some(p => p.name === preset)) io.err(`Note: presets/${preset}.json does not exist yet; save it before the workflow runs.`);
	const file = path.join(target, CI_FILES[kind]);
	if (existsSync(file) && !force) {
		io.err(`${CI_FILES[kind]} exists; not overwritten (--force replaces it).`);
		return EXIT.failed;
	}
	const pin = await readPluginPin(path.join(target, TEMPLATE_FILE));
	const {version} = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {version: string};
	await mkdir(path.dirname(file), {recursive: true});
	await writeFileAtomic(file, workflowText(kind, {preset, version, pluginGeneration: pin.generation === 1 ? 1 : 0}));
	io.out(`  created  ${CI_FILES[kind]} (builds preset ${preset}${pin.generation === 1 ? ', credentials=temporary' : ''})`);
	io.out(
		kind === 'github'
			? 'Next: install a self-hosted runner on the executor (Settings → Actions → Runners), add the secrets IAM_ACCESS_KEY and IAM_SECRET_KEY, commit the kit and the preset.'
			: 'Next: register a runner on the executor with the tag cce-executor, add the masked variables IAM_ACCESS_KEY and IAM_SECRET_KEY, commit the kit and the preset, and schedule the pipeline.',
	);
	return EXIT.ok;
}
