/**
 * The check engine: runs prerequisite checks concurrently, each after the checks it
 * depends on and under its own timeout, and streams each result as it finishes.
 * A check that throws or times out becomes a `fail` that says so — never a crash.
 */
import {printable} from '../text.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export type Family = 'settings' | 'executor' | 'packer' | 'plugin' | 'template' | 'scripts' | 'kernel' | 'secrets' | 'cloud';

export const FAMILY_TITLES: Record<Family, string> = {
	settings: 'Settings',
	executor: 'Executor',
	packer: 'Packer',
	plugin: 'Plugin',
	template: 'Template',
	scripts: 'User scripts',
	kernel: 'Kernel parameters',
	secrets: 'Secrets in the kit',
	cloud: 'Huawei Cloud',
};

/** One place in a file a check points at (keys are only ever shown masked). */
export type Finding = {file?: string; line?: number; message: string};

/**
 * A value the check suggests instead of an answer (e.g. the Network ID for a pasted Subnet ID),
 * or, with `applies: 'plugin-pin'`, the huaweicloud plugin version to pin in the template.
 */
export type Correction = {key: string; value: string; reason: string; applies?: 'setting' | 'plugin-pin'};

export type Outcome = {
	status: CheckStatus;
	/** One line: what was found. */
	detail: string;
	/** For anything not `pass`: a command to run, a console page to open, a setting to change. */
	fix?: string;
	findings?: Finding[];
	correction?: Correction;
	/** What dependent checks need from this one (a path, a version, an ID). Not shown. */
	data?: Record<string, unknown>;
};

export type CheckResult = Outcome & {
	id: string;
	title: string;
	family: Family;
	durationMs: number;
};

export type Check<Context> = {
	id: string;
	title: string;
	family: Family;
	/** Checks whose results this one needs; it runs after them, and is skipped if one of them failed. */
	dependsOn?: string[];
	/** Dependencies whose failure does not skip this check (it reads their result itself). */
	tolerates?: string[];
	timeoutMs?: number;
	run: (context: Context, results: ReadonlyMap<string, CheckResult>, signal: AbortSignal) => Promise<Outcome>;
};

export const DEFAULT_TIMEOUT_MS = 10_000;

export type RunOptions = {
	onResult?: (result: CheckResult) => void;
	/** Cancels every running check (they see it through their AbortSignal). */
	signal?: AbortSignal;
};

class TimeoutError extends Error {}

async function runOne<Context>(
	check: Check<Context>,
	context: Context,
	results: ReadonlyMap<string, CheckResult>,
	outer?: AbortSignal,
): Promise<CheckResult> {
	const started = performance.now();
	const controller = new AbortController();
	const timeoutMs = check.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const abortFromOuter = () => controller.abort(outer?.reason);
	outer?.addEventListener('abort', abortFromOuter);
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			const error = new TimeoutError(`timed out after ${timeoutMs / 1000} s`);
			controller.abort(error);
			reject(error);
		}, timeoutMs);
	});
	let outcome: Outcome;
	try {
		outcome = await Promise.race([check.run(context, results, controller.signal), timeout]);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		outcome =
			error instanceof TimeoutError
				? {status: 'fail', detail: `the check ${message} and was stopped`, fix: 'Run the checks again; if it keeps timing out, look at what it waits for.'}
				: {status: 'fail', detail: `the check could not run: ${message}`, fix: 'Run the checks again; if it persists, report it with this message.'};
	} finally {
		clearTimeout(timer);
		outer?.removeEventListener('abort', abortFromOuter);
	}
	return {...shownSafely(outcome), id: check.id, title: check.title, family: check.family, durationMs: Math.round(performance.now() - started)};
}

/** A check's words can quote the outside (file names, cloud messages, tool output): printable only. */
function shownSafely(outcome: Outcome): Outcome {
	return {
		...outcome,
		detail: printable(outcome.detail),
		...(outcome.fix === undefined ? {} : {fix: printable(outcome.fix)}),
		...(outcome.findings === undefined ? {} : {findings: outcome.findings.map(f => ({...f, message: printable(f.message), ...(f.file === undefined ? {} : {file: printable(f.file)})}))}),
	};
}

/**
 * Runs the checks: each starts as soon as the checks it depends on have finished.
 * Returns every result in the order of `checks`; `onResult` sees each as it finishes.
 */
export async function runChecks<Context>(
	checks: ReadonlyArray<Check<Context>>,
	context: Context,
	options: RunOptions = {},
): Promise<CheckResult[]> {
	const ids = new Set(checks.map(c => c.id));
	for (const check of checks) {
		for (const dependency of check.dependsOn ?? []) {
			if (!ids.has(dependency)) throw new Error(`check ${check.id} depends on unknown check ${dependency}`);
		}
	}
	const results = new Map<string, CheckResult>();
	const running = new Map<string, Promise<CheckResult>>();

	const start = (check: Check<Context>): Promise<CheckResult> => {
		const existing = running.get(check.id);
		if (existing) return existing;
		const promise = (async () => {
			const dependencies = await Promise.all(
				(check.dependsOn ?? []).map(id => start(checks.find(c => c.id === id)!)),
			);
			const blocking = dependencies.find(
				d => (d.status === 'fail' || d.status === 'skip') && !(check.tolerates ?? []).includes(d.id),
			);
			const result: CheckResult = blocking
				? {
						id: check.id,
						title: check.title,
						family: check.family,
						status: 'skip',
						detail: `not checked: "${blocking.title}" did not pass`,
						durationMs: 0,
					}
				: await runOne(check, context, results, options.signal);
			results.set(check.id, result);
			options.onResult?.(result);
			return result;
		})();
		running.set(check.id, promise);
		return promise;
	};

	return Promise.all(checks.map(start));
}

export function summarize(results: readonly CheckResult[]): Record<CheckStatus, number> {
	const counts: Record<CheckStatus, number> = {pass: 0, warn: 0, fail: 0, skip: 0};
	for (const result of results) counts[result.status]++;
	return counts;
}
