import path from 'node:path';
import {execa} from 'execa';
import type {Answers} from '../answers.js';
import type {BuildCredential} from '../cloud/credential.js';
import {TEMPLATE_FILE} from '../kit.js';

/** What the checks look at: the workspace, the environment, the answers. */
export type CheckContext = {
	workspace: string;
	env: Readonly<Record<string, string | undefined>>;
	answers: Answers;
	/**
	 * Where the credentials check leaves the credential the build will use (a minted or agency
	 * one with credentials=temporary|agency), for the other cloud checks and the build. Memory only.
	 */
	credential?: {current?: BuildCredential};
};

/** The template packer.sh would build: PACKER_TEMPLATE, else the workspace's turbo-node.pkr.hcl. */
export function templateFile(context: Pick<CheckContext, 'workspace' | 'env'>): string {
	const override = context.env['PACKER_TEMPLATE'];
	return override ? path.resolve(context.workspace, override) : path.join(context.workspace, TEMPLATE_FILE);
}

export type ProcessResult = {exitCode?: number; stdout: string; stderr: string; timedOut: boolean; failed: boolean; message?: string};

/**
 * Runs a program with standard input closed (cracklib's `packer` would wait for words),
 * a time limit, and the check's abort signal; never throws for a failed run.
 */
export async function probe(
	file: string,
	args: string[],
	options: {signal?: AbortSignal; timeoutMs?: number; cwd?: string; env?: Readonly<Record<string, string | undefined>>} = {},
): Promise<ProcessResult> {
	const result = await execa(file, args, {
		stdin: 'ignore',
		timeout: options.timeoutMs ?? 10_000,
		cancelSignal: options.signal,
		cwd: options.cwd,
		env: options.env as Record<string, string> | undefined,
		extendEnv: options.env === undefined,
		reject: false,
		stripFinalNewline: true,
	});
	return {
		exitCode: result.exitCode,
		stdout: String(result.stdout ?? ''),
		stderr: String(result.stderr ?? ''),
		timedOut: result.timedOut,
		failed: result.failed,
		message: result.failed ? result.shortMessage : undefined,
	};
}
