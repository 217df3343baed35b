#!/usr/bin/env node
/**
 * The command line: words → one flow. Nothing else lives here, and nothing else exits.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {HELP, parseInvocation} from './core/args.js';
import {packageRoot} from './core/kit.js';
import {EXIT, processIo} from './commands/io.js';

/** Errors whose message is written for the operator (named, so this file need not load their modules). */
const OPERATOR_ERRORS = new Set(['PresetError', 'PresetExistsError', 'AnswerError', 'WorkspaceLockedError', 'EndpointError', 'FileError']);

/** Control characters out of a message (it may quote a file name or a value): see core/text.ts. */
const printable = (text: string) => text.replace(/\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');

/** `--json` anywhere on the command line: then even an error is printed as JSON on stdout. */
const wantsJson = process.argv.slice(2).includes('--json');

function packageVersion(): string {
	const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {version: string};
	return manifest.version;
}

async function main(argv: string[]): Promise<number> {
	const io = processIo();
	const invocation = parseInvocation(argv);
	switch (invocation.kind) {
		case 'help':
			io.out(HELP);
			return EXIT.ok;
		case 'version':
			io.out(packageVersion());
			return EXIT.ok;
		case 'usage-error':
			io.err(`cce-image-wizard: ${invocation.message}. Run \`cce-image-wizard --help\` for the commands and options.`);
			return EXIT.usage;
		case 'wizard': {
			// Decided once, up front: without a terminal (or in CI) nothing may wait for keys.
			const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env['CI'];
			if (!interactive) {
				if (invocation.options.preset && invocation.options.yes) {
					const {runBuild} = await import('./commands/build.js');
					return runBuild(io, [], invocation.options);
				}
				io.err(
					process.env['CI'] !== undefined && process.stdin.isTTY && process.stdout.isTTY
						? `cce-image-wizard: CI is set (CI=${process.env['CI']}), so the wizard does not ask questions. In a terminal of your own, run it with CI unset: \`env -u CI cce-image-wizard\`; or without prompts: \`cce-image-wizard build --preset NAME --yes\`.`
						: 'cce-image-wizard: no terminal to ask questions in. Run it without prompts: `cce-image-wizard build --preset NAME --yes` (see --help).',
				);
				return EXIT.usage;
			}
			const {runWizard} = await import('./ui/wizard/run.js');
			return runWizard(invocation.options, path.resolve(invocation.options.dir ?? '.'));
		}
		case 'command':
			// Each command loads only what it uses: start-up stays quick.
			switch (invocation.command) {
				case 'init':
					return (await import('./commands/init.js')).runInit(io, invocation.args, invocation.options.dir, invocation.options.plugin, {kind: invocation.options.ci, preset: invocation.options.preset, force: invocation.options.force});
				case 'build':
					return (await import('./commands/build.js')).runBuild(io, invocation.args, invocation.options);
				case 'check':
					return (await import('./commands/check.js')).runCheck(io, invocation.args, invocation.options);
				case 'presets':
					return (await import('./commands/presets.js')).runPresets(io, invocation.args, invocation.options);
				case 'env':
					return (await import('./commands/env.js')).runEnv(io, invocation.args, invocation.options);
				case 'cleanup':
					return (await import('./commands/cleanup.js')).runCleanup(io, invocation.args, invocation.options);
				default:
					io.err(`cce-image-wizard: '${invocation.command}' is not in this version yet.`);
					return EXIT.failed;
			}
	}
}

main(process.argv.slice(2)).then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		// Errors written for the operator: their message says what is wrong and what to do.
		const known = error instanceof Error && OPERATOR_ERRORS.has(error.name);
		const message = printable(known ? (error as Error).message : `unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
		if (wantsJson) process.stdout.write(`${JSON.stringify({error: message})}\n`);
		else process.stderr.write(`cce-image-wizard: ${message}\n`);
		// A bad --set is a usage error, like every other wrong word on the command line.
		process.exitCode = known && (error as Error).name === 'AnswerError' ? EXIT.usage : EXIT.failed;
	},
);
