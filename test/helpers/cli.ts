/** Runs the built CLI (dist/cli.js) as an operator would. */
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {packageRoot} from '../../source/core/kit.js';

export const CLI = path.join(packageRoot, 'dist', 'cli.js');

export type CliRun = {code: number | null; stdout: string; stderr: string};

export function runCli(
	args: string[],
	options: {cwd?: string; env?: Record<string, string | undefined>; input?: string} = {},
): CliRun {
	const result = spawnSync(process.execPath, [CLI, ...args], {
		cwd: options.cwd,
		env: {PATH: process.env['PATH'], HOME: process.env['HOME'], ...options.env},
		input: options.input ?? '',
		encoding: 'utf8',
		timeout: 30_000,
	});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}
