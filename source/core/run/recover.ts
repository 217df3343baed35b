/**
 * Builds whose wizard died: found again at the next start. A build whose packer.sh still runs
 * is followed (see launch.ts, followBuild); one whose packer.sh has ended gets its end recorded
 * from the output packer.sh left, so its checklist knows the outcome and what Packer created.
 */
import os from 'node:os';
import {readFile} from 'node:fs/promises';
import {runnerAlive, type BuildRecord, type State} from '../state.js';
import {recordEnd} from './history.js';
import {kitProvisioners, buildLogs} from './runner.js';
import {plannedStages} from './progress.js';
import {BuildSession} from './session.js';

const FINISHED = /^packer\.sh: finished: (cancelled, )?status (\d+)$/m;

/** Builds without an end whose packer.sh still runs on this host. */
export function runningBuilds(state: State, workspace?: string): BuildRecord[] {
	return state.builds().filter(b => !b.endedAt && b.runner && b.runner.host === os.hostname() && (workspace === undefined || b.workspace === workspace) && runnerAlive(b.runner.pid));
}

/** The end of a build whose packer.sh is gone, read from the output it left. */
export async function endFromOutput(record: BuildRecord, redact: (text: string) => string = t => t): Promise<BuildRecord> {
	const timestamp = record.runner?.timestamp ?? record.id.split('-')[0]!;
	const logs = buildLogs(record.workspace, timestamp);
	const output = await readFile(logs.outputLog, 'utf8').catch(() => '');
	const session = new BuildSession(plannedStages(await kitProvisioners(record.workspace)), redact, () => Date.parse(record.startedAt) || Date.now());
	for (const line of output.split('\n')) if (line) session.push(line, 'stdout');
	const finished = FINISHED.exec(output);
	const status = finished ? Number(finished[2]) : undefined;
	const outcome = status === 0 ? 'success' : finished?.[1] ? 'cancelled' : 'failed';
	const result = session.finish(outcome, {exitCode: status, packerLog: logs.packerLog, wizardLog: logs.wizardLog});
	if (!finished) result.errors.push('packer.sh ended without saying how (it was killed): what Packer had created may still exist.');
	// The history may know more than the output (a ledger saved before the output was lost).
	const leftovers = result.leftovers.length > 0 || output ? result.leftovers : (record.leftovers ?? []);
	return {...recordEnd(record, {...result, leftovers}), endedAt: new Date().toISOString()};
}

/**
 * Records the end of every build of the workspace whose wizard died and whose packer.sh has
 * ended since; returns the builds so settled. Failures to save are left for the next start.
 */
export async function settleEndedBuilds(state: State, workspace?: string): Promise<BuildRecord[]> {
	const settled: BuildRecord[] = [];
	for (const record of state.builds()) {
		if (record.endedAt || !record.runner || record.runner.host !== os.hostname()) continue;
		if (workspace !== undefined && record.workspace !== workspace) continue;
		if (runnerAlive(record.runner.pid)) continue;
		const ended = await endFromOutput(record);
		try {
			state.saveBuild(ended);
			settled.push(ended);
		} catch {
			// Tried again at the next start.
		}
	}
	return settled;
}
