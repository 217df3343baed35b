/**
 * From checked answers to a running build: the workspace lock, the child environment with
 * the keys, the history record, and the runner. Shared by `build` and the wizard.
 */
import {valueOf, type Answers} from '../answers.js';
import {buildEnvironment} from '../env.js';
import type {BuildRecord, State, WorkspaceLock} from '../state.js';
import {distribute, distributionPlan, distributionStages, hasDistribution} from './distribute.js';
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
					credentials: {accessKey: value('access_key'), secretKey: value('secret_key')},
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
		const finished = handle.result
			.then(handOn)
			.finally(stopSaving)
			.then(result => ({result, record: recordEnd(options.state, record, result)}))
			.finally(() => lock.release());
		const stale = lock.stale;
		const tookOverLock = stale ? `Took over the workspace lock left by process ${stale.pid || 'unknown'} (since ${stale.since}), which is no longer running.` : undefined;
		return {handle, record, lock, finished, tookOverLock};
	} catch (error) {
		lock.release();
		throw error;
	}
}
