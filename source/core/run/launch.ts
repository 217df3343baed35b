/**
 * From checked answers to a running build: the workspace lock, the child environment with
 * the keys, the history record, and the runner. Shared by `build` and the wizard.
 */
import {valueOf, type Answers} from '../answers.js';
import {buildEnvironment} from '../env.js';
import type {BuildRecord, State, WorkspaceLock} from '../state.js';
import {newBuildId, recordEnd, recordStart} from './history.js';
import {buildRedactor} from './redact.js';
import {buildTimestamp, startBuild, type BuildHandle} from './runner.js';
import type {BuildResult} from './session.js';

export type LaunchedBuild = {
	handle: BuildHandle;
	/** Set when the workspace lock was left by a process that no longer runs, and was taken over. */
	tookOverLock?: string;
	record: BuildRecord;
	lock: WorkspaceLock;
	/** Waits for the end, records it in the history and releases the lock. */
	finished: Promise<{result: BuildResult; record: BuildRecord}>;
};

export async function launchBuild(options: {
	workspace: string;
	answers: Answers;
	preset?: string;
	state: State;
	baseEnv?: Readonly<Record<string, string | undefined>>;
}): Promise<LaunchedBuild> {
	const lock = options.state.lockWorkspace(options.workspace);
	try {
		const value = (key: string) => valueOf(options.answers, key);
		const timestamp = buildTimestamp();
		const handle = await startBuild({
			workspace: options.workspace,
			env: buildEnvironment(options.answers),
			baseEnv: options.baseEnv,
			redact: buildRedactor({accessKey: value('access_key'), secretKey: value('secret_key')}),
			timestamp,
		});
		const record = recordStart(options.state, {
			id: newBuildId(timestamp),
			workspace: options.workspace,
			preset: options.preset,
			region: value('region_name'),
			logPath: handle.packerLog,
		});
		// What exists in the account goes to the history as it changes, so that a wizard killed
		// mid-build still leaves the checklist a list of what Packer had created.
		let saved = handle.session.progress.ledger;
		const stopSaving = handle.session.subscribe(() => {
			const ledger = handle.session.progress.ledger;
			// A new array only when a resource came or went (see progress.ts).
			if (ledger === saved || handle.session.phase === 'finished') return;
			saved = ledger;
			options.state.saveBuild({...record, leftovers: ledger});
		});
		const finished = handle.result.finally(stopSaving).then(
			result => ({result, record: recordEnd(options.state, record, result)}),
		).finally(() => lock.release());
		const stale = lock.stale;
		const tookOverLock = stale ? `Took over the workspace lock left by process ${stale.pid || 'unknown'} (since ${stale.since}), which is no longer running.` : undefined;
		return {handle, record, lock, finished, tookOverLock};
	} catch (error) {
		lock.release();
		throw error;
	}
}
