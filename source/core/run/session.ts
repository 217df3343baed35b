/**
 * One build as the screens and the plain-text output see it: every line redacted, parsed
 * and applied to the progress; the last lines kept in bounded memory; a version number
 * that changes with every line, so a screen can re-render at its own pace (batching).
 */
import {LogBuffer} from './log-buffer.js';
import {eventText, parseLine, type PackerEvent} from './machine-readable.js';
import {applyEvent, finishStages, initialProgress, leftovers, type ProgressState, type Stage} from './progress.js';
import type {LedgerEntry} from '../state.js';

export type SessionPhase = 'running' | 'cancelling' | 'forcing' | 'finished';

export type BuildOutcome = 'success' | 'failed' | 'cancelled';

export type BuildResult = {
	outcome: BuildOutcome;
	exitCode?: number;
	imageId?: string;
	imageName?: string;
	durationMs: number;
	/** Packer's own debug log (keys redacted). */
	packerLog: string;
	/** The wizard's redacted copy of everything the build printed. */
	wizardLog: string;
	failedStage?: Stage;
	errors: string[];
	/** What Packer reported creating and not deleting. */
	leftovers: LedgerEntry[];
	/** Set when the build was stopped hard: what may still exist and cost money. */
	forced?: boolean;
};

/** Called for every line (with its event and shown text) and every phase change (without). */
export type SessionListener = (event?: PackerEvent, text?: string) => void;

export class BuildSession {
	progress: ProgressState;
	readonly log: LogBuffer;
	phase: SessionPhase = 'running';
	result?: BuildResult;
	/** Changes with every line and every phase change. */
	version = 0;
	readonly startedAt: number;
	private readonly listeners = new Set<SessionListener>();

	constructor(
		stages: Stage[],
		private readonly redact: (text: string) => string,
		private readonly now: () => number = Date.now,
		logLines = 2000,
	) {
		this.progress = {...initialProgress(stages), removed: []};
		this.log = new LogBuffer(logLines);
		this.startedAt = now();
	}

	/** Takes one line of the build's output; returns the redacted text a person may see. */
	push(line: string, stream: 'stdout' | 'stderr'): string {
		const event = parseLine(this.redact(line), stream);
		this.progress = applyEvent(this.progress, event, this.now());
		const text = eventText(event);
		if (text) for (const part of text.split('\n')) this.log.push(part);
		this.version++;
		for (const listener of this.listeners) listener(event, text);
		return text;
	}

	setPhase(phase: SessionPhase): void {
		this.phase = phase;
		this.version++;
		this.notify();
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}

	/** Closes the session with the process's exit; returns the result. */
	finish(outcome: BuildOutcome, details: {exitCode?: number; packerLog: string; wizardLog: string; forced?: boolean}): BuildResult {
		const end = this.now();
		const stages = finishStages(this.progress.stages, outcome, end);
		this.progress = {...this.progress, stages};
		const imageId = outcome === 'success' ? this.progress.artifact?.id : undefined;
		this.result = {
			outcome,
			exitCode: details.exitCode,
			imageId,
			imageName: this.progress.imageName,
			durationMs: end - this.startedAt,
			packerLog: details.packerLog,
			wizardLog: details.wizardLog,
			failedStage: stages.find(s => s.status === 'failed'),
			errors: this.progress.errors,
			leftovers: leftovers(this.progress, outcome),
			...(details.forced ? {forced: true} : {}),
		};
		this.phase = 'finished';
		this.version++;
		this.notify();
		return this.result;
	}

	subscribe(listener: SessionListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	get runningStage(): Stage | undefined {
		return this.progress.stages.find(s => s.status === 'running');
	}
}
