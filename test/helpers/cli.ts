/** Runs the built CLI (dist/cli.js) as an operator would. */
import {spawn, spawnSync} from 'node:child_process';
import path from 'node:path';
import {packageRoot} from '../../source/core/kit.js';

export const CLI = path.join(packageRoot, 'dist', 'cli.js');

export type CliRun = {code: number | null; stdout: string; stderr: string};

/**
 * Tests never reach a real cloud: unless a test points them at its local API server,
 * the endpoints go to a closed loopback port, so a stray call fails at once, locally.
 */
export const NO_CLOUD: Record<string, string> = Object.fromEntries(
	// METADATA: the ECS metadata service (credentials=agency), never 169.254.169.254 from a test.
	['IAM', 'VPC', 'ECS', 'IMS', 'EVS', 'METADATA'].map(service => [`CCE_ENDPOINT_${service}`, `http://127.0.0.1:9/${service.toLowerCase()}`]),
);

const baseEnv = () => ({PATH: process.env['PATH'], HOME: process.env['HOME'], ...NO_CLOUD});

export function runCli(
	args: string[],
	options: {cwd?: string; env?: Record<string, string | undefined>; input?: string} = {},
): CliRun {
	const result = spawnSync(process.execPath, [CLI, ...args], {
		cwd: options.cwd,
		env: {...baseEnv(), ...options.env},
		input: options.input ?? '',
		encoding: 'utf8',
		timeout: 120_000,
	});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

/**
 * The same, without blocking this process: needed when the test also serves the CLI
 * (the local Huawei Cloud API server runs in the test's own event loop).
 */
export function runCliAsync(
	args: string[],
	options: {cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number} = {},
): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {
			cwd: options.cwd,
			env: {...baseEnv(), ...options.env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += String(chunk)));
		child.stderr.on('data', chunk => (stderr += String(chunk)));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
		child.once('error', reject);
		child.once('close', code => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}

export type CliProcess = {
	pid: number;
	/** What it printed so far (stdout and stderr). */
	output: () => string;
	exited: Promise<number | null>;
	signal: (signal: NodeJS.Signals) => void;
};

/** Starts the built CLI and leaves it running: for tests that signal it. */
export function spawnCli(args: string[], options: {cwd?: string; env?: Record<string, string | undefined>} = {}): CliProcess {
	const child = spawn(process.execPath, [CLI, ...args], {cwd: options.cwd, env: {...baseEnv(), ...options.env}, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', chunk => (output += String(chunk)));
	child.stderr.on('data', chunk => (output += String(chunk)));
	const exited = new Promise<number | null>(resolve => child.once('close', code => resolve(code)));
	return {
		pid: child.pid!,
		output: () => output,
		exited,
		signal: signal => {
			try {
				child.kill(signal);
			} catch {}
		},
	};
}
