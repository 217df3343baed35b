import path from 'node:path';
import {initKit, TEMPLATE_FILE} from '../core/kit.js';
import {isPinChoice, PIN_EXPLANATION, PLUGIN_PINS} from '../core/plugin-pin.js';
import {EXIT, type Io} from './io.js';

/** `init [--plugin VERSION] [DIR]`: lays the kit into DIR (default: --dir, else the current folder). */
export async function runInit(io: Io, args: string[], dir: string | undefined, plugin?: string): Promise<number> {
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
	io.out(
		created.length === 0
			? 'Nothing to do: every kit file was already there.'
			: `Next: put your scripts in user-scripts/ and files in user-packages/, then run \`npx cce-image-wizard\` here.`,
	);
	return EXIT.ok;
}
