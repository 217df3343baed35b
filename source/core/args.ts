/**
 * Command-line words → one invocation. Pure: no printing, no exiting; cli.tsx acts on it.
 */
import {parseArgs} from 'node:util';

export const COMMANDS = {
	check: 'check every prerequisite (executor, Packer, plugin, template, scripts, cloud)',
	build: 'run the checks, then build the image with packer.sh',
	cleanup: 'the after-build checklist: leftovers, logs, keys, executor',
	presets: 'saved answers: presets list | show NAME | save NAME | delete NAME',
	env: 'write build.env (no keys) to `source` before `make image`',
	init: 'lay the builder kit into a folder (init [--plugin 0.4.0|1.2.2] [--ci github|gitlab --preset NAME] [DIR]); existing files are kept',
} as const;

export type CommandName = keyof typeof COMMANDS;

export type Options = {
	preset?: string;
	yes: boolean;
	json: boolean;
	force: boolean;
	dir?: string;
	build?: string;
	/** `init --plugin VERSION`: the huaweicloud plugin the new template pins. */
	plugin?: string;
	/** `init --ci github|gitlab`: the CI workflow to write. */
	ci?: string;
	/** Every `--preset` given, in order (only `build` takes more than one). */
	presets: string[];
	/** `--set key=value` words, in order. */
	set: string[];
};

export type Invocation =
	| {kind: 'help'}
	| {kind: 'version'}
	| {kind: 'wizard'; options: Options}
	| {kind: 'command'; command: CommandName; args: string[]; options: Options}
	| {kind: 'usage-error'; message: string};

const OPTIONS = {
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
	preset: {type: 'string', short: 'p', multiple: true},
	yes: {type: 'boolean', short: 'y'},
	json: {type: 'boolean'},
	force: {type: 'boolean'},
	dir: {type: 'string', short: 'C'},
	build: {type: 'string'},
	plugin: {type: 'string'},
	ci: {type: 'string'},
	set: {type: 'string', short: 's', multiple: true},
} as const;

export const HELP = `cce-image-wizard: build a custom Huawei Cloud CCE node image, checked first and cleaned up after.

Usage
  cce-image-wizard                      the interactive wizard (in a terminal)
  cce-image-wizard <command> [options]  the same flows without prompts

Commands
${Object.entries(COMMANDS)
	.map(([name, summary]) => `  ${name.padEnd(10)} ${summary}`)
	.join('\n')}

Options
  -p, --preset NAME   use the saved preset presets/NAME.json (build: repeat it to
                      build several presets one after another, with one summary)
  -s, --set KEY=VALUE set one setting (repeatable; overrides environment and preset)
  -y, --yes           answer yes to every confirmation (never to a deletion)
      --json          machine-readable output
      --force         overwrite an existing preset
  -C, --dir DIR       the workspace with the kit (default: the current folder)
      --build ID      the build whose cleanup checklist to show (cleanup)
      --plugin VER    huaweicloud plugin the new template pins (init): 0.4.0 (the
                      procedure's, default) or 1.2.2 (maintained)
      --ci KIND       init: also write a CI workflow building --preset NAME on a
                      self-hosted runner: github or gitlab
  -h, --help          this help
  -v, --version       the version

Classic kit: export the variables (see README) and run \`make image\`.`;

export function parseInvocation(argv: string[]): Invocation {
	let parsed;
	try {
		parsed = parseArgs({args: argv, options: OPTIONS, allowPositionals: true, strict: true});
	} catch (error) {
		return {kind: 'usage-error', message: (error as Error).message.split(/\.(?: |$)/)[0]!};
	}
	const {values, positionals} = parsed;
	if (values.help) return {kind: 'help'};
	if (values.version) return {kind: 'version'};
	const options: Options = {
		preset: values.preset?.[0],
		presets: values.preset ?? [],
		yes: values.yes ?? false,
		json: values.json ?? false,
		force: values.force ?? false,
		dir: values.dir,
		build: values.build,
		plugin: values.plugin,
		ci: values.ci,
		set: values.set ?? [],
	};
	const [first, ...rest] = positionals;
	if (first === undefined) return {kind: 'wizard', options};
	if (!Object.hasOwn(COMMANDS, first)) {
		const near = nearestCommand(first);
		return {kind: 'usage-error', message: `unknown command '${first}'${near ? ` (did you mean ${near}?)` : ''}`};
	}
	if (options.presets.length > 1 && first !== 'build') {
		return {kind: 'usage-error', message: `only build takes several --preset (it builds them one after another); ${first} takes one`};
	}
	return {kind: 'command', command: first as CommandName, args: rest, options};
}

/** Edit distance between two words (insertions, deletions, substitutions, swaps of neighbours). */
function distance(a: string, b: string): number {
	const d = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
		}
	}
	return d[a.length]![b.length]!;
}

/** The command a typo most likely meant (`chek` → check), when one is close enough. */
export function nearestCommand(word: string): string | undefined {
	const [best] = Object.keys(COMMANDS)
		.map(name => ({name, far: distance(word.toLowerCase(), name)}))
		.sort((x, y) => x.far - y.far);
	return best && best.far <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}
