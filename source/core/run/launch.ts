/**
 * From checked answers to a running build: the workspace lock, the child environment with
 * the keys, the history record, and the runner. Shared by `build` and the wizard.
 *
 * The history is a convenience, the build is paid for: a record that cannot be saved (a full
 * disk, a read-only home) is said in the build's log and retried with the next change, and
 * never stops the build.
 */
import os from 'node:os';
import {valueOf, type Answers} from '../answers.js';
import type {BuildCredential} from '../cloud/credential.js';
import {childEnvironment} from '../env.js';
import {mask} from '../secrets.js';
import type {BuildRecord, State, WorkspaceLock} from '../state.js';
import {distribute, distributionPlan, distributionStages, hasDistribution} from './distribute.js';
import {newBuildId, recordEnd, recordStart} from './history.js';
import {buildRedactor} from './redact.js';
import {attachBuild, buildTimestamp, startBuild, type BuildHandle} from './runner.js';
import type {BuildResult, BuildSession} from './session.js';

export type LaunchedBuild = {
	handle: BuildHandle;
	/** Set when the workspace lock was left by a process that no longer runs, and was taken over. */
	tookOverLock?: string;
	record: BuildRecord;
	lock: WorkspaceLock;
	/** Waits for the end, records it in the history and releases the lock. */
	finished: Promise<{result: BuildResult; record: BuildRecord}>;
};

/** Saves to the history without ever throwing: a failure is said once in the build's log, and the latest record is saved again with the next change. */
function historyWriter(state: State, session: BuildSession) {
	let pending: BuildRecord | undefined;
	let said = false;
	return (record: BuildRecord, final = false): void => {
		pending = record;
		try {
			state.saveBuild(record);
			pending = undefined;
			if (said) session.note('wizard: the build history is saved again.');
			said = false;
		} catch (error) {
			if (!said || final) {
				const code = (error as NodeJS.ErrnoException).code;
				session.note(`wizard: could not save the build history${code ? ` (${code})` : ''}: ${(error as Error).message}. The build goes on; the wizard tries again with the next change.`);
			}
			said = true;
		}
	};
}

/** Keeps the history up to date while a build runs, records its end and releases the lock. */
function recordRun(
	state: State,
	handle: BuildHandle,
	record: BuildRecord,
	lock: WorkspaceLock,
	after: (result: BuildResult) => Promise<BuildResult> = async result => result,
): Promise<{result: BuildResult; record: BuildRecord}> {
	const save = historyWriter(state, handle.session);
	save(record);
	// What exists in the account goes to the history as it changes, so that a wizard killed
	// mid-build still leaves the checklist a list of what Packer had created.
	let saved = handle.session.progress.ledger;
	const stopSaving = handle.session.subscribe(() => {
		const ledger = handle.session.progress.ledger;
		// A new array only when a resource came or went (see progress.ts).
		if (ledger === saved || handle.session.phase === 'finished') return;
		saved = ledger;
		save({...record, leftovers: ledger});
	});
	return handle.result
		.then(after)
		.finally(stopSaving)
		.then(result => {
			const ended = recordEnd(record, result);
			save(ended, true);
			return {result, record: ended};
		})
		.finally(() => lock.release());
}

export async function launchBuild(options: {
	workspace: string;
	answers: Answers;
	preset?: string;
	state: State;
	baseEnv?: Readonly<Record<string, string | undefined>>;
	/** The credential the checks obtained (credentials=temporary|agency); memory only. */
	credential?: BuildCredential;
}): Promise<LaunchedBuild> {
	const value = (key: string) => valueOf(options.answers, key);
	// Before the lock: a build without its credential does not start.
	const env = childEnvironment(options.answers, options.credential, options.baseEnv ?? process.env);
	options.state.protect([value('access_key'), value('secret_key'), value('security_token'), options.credential?.accessKey, options.credential?.secretKey, options.credential?.securityToken]);
	const lock = options.state.lockWorkspace(options.workspace);
	try {
		const timestamp = buildTimestamp();
		const operator = buildRedactor({accessKey: value('access_key'), secretKey: value('secret_key'), securityToken: value('security_token')});
		const build = buildRedactor(options.credential ?? {});
		const handle = await startBuild({
			workspace: options.workspace,
			env,
			baseEnv: {},
			redact: text => build(operator(text)),
			keys: [value('access_key'), value('secret_key'), value('security_token'), options.credential?.accessKey ?? '', options.credential?.secretKey ?? ''].filter(Boolean),
			timestamp,
		});
		// From now on packer.sh holds the workspace too, for as long as it runs.
		lock.attach(handle.pid);
		const record = recordStart({
			id: newBuildId(timestamp),
			workspace: options.workspace,
			preset: options.preset,
			region: value('region_name'),
			...(value('project_id') ? {projectId: value('project_id')} : {}),
			logPath: handle.packerLog,
			runner: {pid: handle.pid, host: os.hostname(), timestamp},
			...(options.credential && options.credential.mode !== 'key'
				? {
						credential: {
							mode: options.credential.mode,
							accessKey: mask(options.credential.accessKey),
							...(options.credential.expiresAt ? {expiresAt: options.credential.expiresAt.toISOString()} : {}),
							...(options.credential.mintedWith ? {mintedWith: options.credential.mintedWith} : {}),
						},
					}
				: {}),
		});
		// After the image exists: copies, share, tags — each a stage; Ctrl+C stops the waiting.
		const plan = distributionPlan(options.answers);
		const handing = hasDistribution(plan);
		if (handing) handle.session.planAfterwards(distributionStages(plan));
		const stopHanding = new AbortController();
		const cancelPacker = handle.cancel;
		handle.cancel = () => (handle.session.phase === 'distributing' ? stopHanding.abort() : cancelPacker());
		const handOn = async (result: BuildResult): Promise<BuildResult> => {
			if (!handing || result.outcome !== 'success' || !result.imageId) return result;
			const given = valueOf(options.answers, 'image_name');
			try {
				const done = await distribute({
					plan,
					region: value('region_name'),
					projectId: value('project_id'),
					image: {id: result.imageId, name: result.imageName || given || undefined, description: value('image_description') || undefined},
					// The build's own credential: with temporary|agency, the one Packer had.
					credentials: options.credential && options.credential.mode !== 'key'
						? options.credential
						: {accessKey: value('access_key'), secretKey: value('secret_key'), ...(value('security_token') ? {securityToken: value('security_token')} : {})},
					cloud: value('cloud'),
					env: options.baseEnv,
					signal: stopHanding.signal,
					onStage: (id, change) => handle.session.updateStage(id, change),
				});
				return handle.session.complete({images: done.images, sharedWith: done.sharedWith, distributionErrors: done.errors});
			} catch (error) {
				// Never lose the image over a failure after it exists.
				return handle.session.complete({
					images: [{region: value('region_name'), id: result.imageId, name: result.imageName, kind: 'built', status: 'active'}],
					distributionErrors: [`Handing the image on stopped: ${error instanceof Error ? error.message : String(error)}`],
				});
			}
		};
		const finished = recordRun(options.state, handle, record, lock, handOn);
		const stale = lock.stale;
		const tookOverLock = stale ? `Took over the workspace lock left by process ${stale.pid || 'unknown'} (since ${stale.since}), which is no longer running.` : undefined;
		return {handle, record, lock, finished, tookOverLock};
	} catch (error) {
		lock.release();
		throw error;
	}
}

/**
 * Follows a build whose wizard died, while its packer.sh still runs: takes the workspace lock
 * over (keeping packer.sh in it), replays the output, and records the end when it comes.
 */
export async function followBuild(options: {state: State; record: BuildRecord; keys?: {accessKey?: string; secretKey?: string}}): Promise<LaunchedBuild> {
	const {record, state} = options;
	const runner = record.runner!;
	state.protect([options.keys?.accessKey, options.keys?.secretKey]);
	const lock = state.lockWorkspace(record.workspace, process.pid, {adopt: runner.pid});
	try {
		const handle = await attachBuild({workspace: record.workspace, timestamp: runner.timestamp, pid: runner.pid, redact: buildRedactor(options.keys ?? {})});
		return {handle, record, lock, finished: recordRun(state, handle, record, lock)};
	} catch (error) {
		lock.release();
		throw error;
	}
}
