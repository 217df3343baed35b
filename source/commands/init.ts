import path from 'node:path';
import {initKit} from '../core/kit.js';
import {EXIT, type Io} from './io.js';

/** `init [DIR]`: lays the kit into DIR (default: --dir, else the current folder). */
export async function runInit(io: Io, args: string[], dir: string | undefined): Promise<number> {
	if (args.length > 1) {
		io.err(`init takes one folder, got ${args.length}. Usage: cce-image-wizard init [DIR]`);
		return EXIT.usage;
	}
	const target = path.resolve(args[0] ?? dir ?? '.');
	const {created, kept} = await initKit(target);
	io.out(`Builder kit in ${target}:`);
	for (const file of created) io.out(`  created  ${file}`);
	for (const file of kept) io.out(`  kept     ${file} (exists; not overwritten)`);
	io.out(
		created.length === 0
			? 'Nothing to do: every kit file was already there.'
			: `Next: put your scripts in user-scripts/ and files in user-packages/, then run \`npx cce-image-wizard\` here.`,
	);
	return EXIT.ok;
}
