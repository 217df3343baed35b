/** A running build as plain lines or JSON events, for non-terminal output and CI logs. */
import {formatExpiry, type BuildCredential} from '../cloud/credential.js';
import {mask} from '../secrets.js';
import type {BuildRecord, LedgerEntry} from '../state.js';
import type {Stage} from './progress.js';
import type {BuildResult, BuildSession} from './session.js';

export type BuildReportEvent =
	| {type: 'stage'; id: string; title: string; status: Stage['status']; elapsedMs: number; detail?: string}
	| {type: 'error'; text: string}
	| {type: 'ledger'; entries: LedgerEntry[]}
	| {type: 'phase'; phase: string}
	| {type: 'result'; result: BuildResult};

export function formatDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	const m = Math.floor(seconds / 60);
	return m > 0 ? `${m}m ${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

export const describeEntry = (e: LedgerEntry) => `${e.kind} ${e.id}${e.name && e.name !== e.id ? ` (${e.name})` : ''}${e.detail ? ` [${e.detail}]` : ''}`;

/** Calls `emit` for every stage change, error and ledger change of the session. */
export function followSession(session: BuildSession, emit: (event: BuildReportEvent) => void): () => void {
	const statuses = new Map(session.progress.stages.map(s => [s.id, s.status]));
	// The progress, its errors and its ledger are new objects only when something changed:
	// most lines (what the scripts print) cost one comparison here.
	let progress = session.progress;
	let ledger = JSON.stringify(progress.ledger);
	let phase = session.phase;
	const followPhase = () => {
		if (session.phase === phase) return;
		phase = session.phase;
		emit({type: 'phase', phase});
	};
	return session.subscribe(() => {
		const previous = progress;
		progress = session.progress;
		if (progress === previous) return followPhase();
		for (const stage of progress.stages) {
			if (statuses.get(stage.id) === stage.status) continue;
			statuses.set(stage.id, stage.status);
			if (stage.status !== 'pending') emit({type: 'stage', id: stage.id, title: stage.title, status: stage.status, elapsedMs: Date.now() - session.startedAt, ...(stage.detail && stage.status !== 'running' ? {detail: stage.detail} : {})});
		}
		// One line adds at most one error (the list keeps the last 50, so count from the end).
		if (progress.errors !== previous.errors && progress.errors.length > 0) emit({type: 'error', text: progress.errors.at(-1)!});
		if (progress.ledger !== previous.ledger) {
			const now = JSON.stringify(progress.ledger);
			if (now !== ledger) {
				ledger = now;
				emit({type: 'ledger', entries: progress.ledger});
			}
		}
		followPhase();
	});
}

const MARK: Record<Stage['status'], string> = {pending: ' ', running: '▶', done: '✔', failed: '✖', skipped: '–'};

export function plainLine(event: BuildReportEvent): string | undefined {
	switch (event.type) {
		case 'stage':
			return event.status === 'skipped' ? undefined : `[${formatDuration(event.elapsedMs)}] ${MARK[event.status]} ${event.title}${event.detail ? `: ${event.detail}` : ''}`;
		case 'error':
			return `ERROR: ${event.text}`;
		case 'ledger':
			return `  exists now: ${event.entries.length === 0 ? 'nothing' : event.entries.map(describeEntry).join(', ')}`;
		case 'phase':
			return event.phase === 'cancelling' ? 'Cancelling: Packer is deleting the temporary resources…' : undefined;
		case 'result':
			return undefined;
	}
}

/** Every image by region, then what failed after the image existed (which never hides it). */
export function imageLines(result: BuildResult): string[] {
	if (!result.images || result.images.length === 0) return [];
	const width = Math.max(...result.images.map(i => i.region.length));
	const lines = ['Images by region:'];
	for (const image of result.images) {
		const what = image.status === 'active' ? `${image.id}${image.kind === 'built' ? ' (built here)' : ' (copy)'}` : `no image: ${image.error ?? 'copy failed'}`;
		lines.push(`  ${image.region.padEnd(width)}  ${what}`);
	}
	if (result.sharedWith?.length) lines.push(`Shared with ${result.sharedWith.join(', ')} (each project accepts it in IMS → Shared Images).`);
	for (const error of result.distributionErrors ?? []) lines.push(`FAILED after the image was made: ${error}`);
	return lines;
}

/** The end of a build in words: what was made, or what failed and what may be left. */
export function resultLines(result: BuildResult): string[] {
	const lines: string[] = [];
	if (result.outcome === 'success') {
		lines.push(`Image built in ${formatDuration(result.durationMs)}: ${result.imageId}${result.imageName ? ` (${result.imageName})` : ''}`);
		lines.push(...imageLines(result));
	} else {
		lines.push(`Build ${result.outcome} after ${formatDuration(result.durationMs)}${result.failedStage ? ` at "${result.failedStage.title}"` : ''}.`);
		for (const error of result.errors.slice(-5)) lines.push(`  ${error}`);
	}
	if (result.leftovers.length > 0) {
		lines.push(result.forced ? 'Stopped hard: these may still exist and cost money:' : 'Packer reported creating these and not deleting them:');
		for (const entry of result.leftovers) lines.push(`  ${describeEntry(entry)}`);
		lines.push('Run `cce-image-wizard cleanup` to check and delete them.');
	}
	if (result.logProblems?.length) {
		for (const problem of result.logProblems) lines.push(`WARNING: ${problem}`);
		lines.push(`Wizard's log (keys redacted): ${result.wizardLog}`);
	} else {
		lines.push(`Logs (keys redacted): ${result.packerLog}`, `                      ${result.wizardLog}`);
	}
	return lines;
}

/** What a build's credential leaves to do: nothing, when it was temporary; when it expires. */
export function credentialLines(record: Pick<BuildRecord, 'credential'>, now = new Date()): string[] {
	const credential = record.credential;
	if (!credential) return [];
	const expires = credential.expiresAt ? `expires ${formatExpiry(new Date(credential.expiresAt), now)}` : 'expires by itself';
	const lines = [`Packer's credential: ${credential.mode === 'agency' ? "the executor's agency" : 'temporary'} ${credential.accessKey}, ${expires}; nothing to delete.`];
	if (credential.mintedWith) lines.push(`Your key ${credential.mintedWith} only minted it and never reached Packer; keep or delete it as you see fit.`);
	return lines;
}

/** The same for a credential held in memory (the wizard's result screen). */
export function credentialLinesOf(credential: BuildCredential | undefined, now = new Date()): string[] {
	if (!credential || credential.mode === 'key') return [];
	return credentialLines(
		{
			credential: {
				mode: credential.mode,
				accessKey: mask(credential.accessKey),
				...(credential.expiresAt ? {expiresAt: credential.expiresAt.toISOString()} : {}),
				...(credential.mintedWith ? {mintedWith: credential.mintedWith} : {}),
			},
		},
		now,
	);
}
