#!/usr/bin/env node
/**
 * The command line: words → one flow. Nothing else lives here, and nothing else exits.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {HELP, parseInvocation} from './core/args.js';
import {packageRoot} from './core/kit.js';
import {AnswerError} from './core/answers.js';
import {PresetError, PresetExistsError} from './core/presets.js';
import {StateSecretError, WorkspaceLockedError} from './core/state.js';
import {runBuild} from './commands/build.js';
import {runCheck} from './commands/check.js';
import {runEnv} from './commands/env.js';
import {runInit} from './commands/init.js';
import {runPresets} from './commands/presets.js';
import {EXIT, processIo} from './commands/io.js';

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
				io.err('cce-image-wizard: no terminal to ask questions in. Run it without prompts: `cce-image-wizard build --preset NAME --yes` (see --help).');
				return EXIT.usage;
			}
			const {runWizard} = await import('./ui/wizard/run.js');
			return runWizard(invocation.options, path.resolve(invocation.options.dir ?? '.'));
		}
		case 'command':
			switch (invocation.command) {
				case 'init':
					return runInit(io, invocation.args, invocation.options.dir);
				case 'build':
					return runBuild(io, invocation.args, invocation.options);
				case 'check':
					return runCheck(io, invocation.args, invocation.options);
				case 'presets':
					return runPresets(io, invocation.args, invocation.options);
				case 'env':
					return runEnv(io, invocation.args, invocation.options);
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
		if (
			error instanceof PresetError ||
			error instanceof PresetExistsError ||
			error instanceof AnswerError ||
			error instanceof WorkspaceLockedError ||
			error instanceof StateSecretError
		) {
			process.stderr.write(`cce-image-wizard: ${error.message}\n`);
			process.exitCode = EXIT.failed;
			return;
		}
		process.stderr.write(`cce-image-wizard: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
		process.exitCode = EXIT.failed;
	},
);
