/**
 * One build as the screens and the plain-text output see it: every line redacted, parsed
 * and applied to the progress; the last lines kept in bounded memory; a version number
 * that changes with every line, so a screen can re-render at its own pace (batching).
 */
import {printable} from '../text.js';
import {LogBuffer} from './log-buffer.js';
import {eventText, parseLine, type PackerEvent} from './machine-readable.js';
import {applyEvent, finishStages, initialProgress, leftovers, type ProgressState, type Stage} from './progress.js';
import type {LedgerEntry} from '../state.js';
import type {RegionImage} from './distribute.js';

/** `distributing`: Packer is done and the image exists; it is being copied, shared, tagged. */
export type SessionPhase = 'running' | 'cancelling' | 'forcing' | 'distributing' | 'finished';

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
	/** Every image by region (the built one first, then the copies) when the image was handed on. */
	images?: RegionImage[];
	/** Project IDs the image was shared with. */
	sharedWith?: string[];
	/** What failed after the image existed (copies, share, tags); the image itself is fine. */
	distributionErrors?: string[];
	/** Logs that could not be redacted: each says which file may still hold keys and what to do. */
	logProblems?: string[];
};

/** Called for every line (with its event and shown text) and every phase change (without). */
export type SessionListener = (event?: PackerEvent, text?: string) => void;

export class BuildSession {
	progress: ProgressState;
	readonly log: LogBuffer;
	phase: SessionPhase = 'running';
	/** How often the operator asked to stop (a key or a signal): 1 cancels, 2 warns, 3 forces. */
	interrupts = 0;
	result?: BuildResult;
	/** Changes with every line and every phase change. */
	version = 0;
	readonly startedAt: number;
	private readonly listeners = new Set<SessionListener>();
	/** Stages that run after Packer, once the image exists (copies, share, tags). */
	private afterwards = new Set<string>();
	/** The result while the afterwards stages run. */
	private held?: BuildResult;

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
		// Redacted first, then made printable: a provisioner's escape sequences never reach the terminal.
		const event = parseLine(printable(this.redact(line)), stream);
		this.progress = applyEvent(this.progress, event, this.now());
		const text = eventText(event);
		if (text) for (const part of text.split('\n')) this.log.push(part);
		this.version++;
		for (const listener of this.listeners) listener(event, text);
		return text;
	}

	/** A line of our own (not the build's) in the log: a problem the build goes on despite. */
	note(text: string): void {
		this.log.push(text);
		this.version++;
		for (const listener of this.listeners) listener(undefined, text);
	}

	setPhase(phase: SessionPhase): void {
		this.phase = phase;
		this.version++;
		this.notify();
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}

	/**
	 * Adds stages that run after Packer has made the image. A successful `finish` then leaves
	 * them pending and the session `distributing` until `complete`; otherwise they are skipped.
	 */
	planAfterwards(stages: Stage[]): void {
		if (stages.length === 0) return;
		for (const stage of stages) this.afterwards.add(stage.id);
		this.progress = {...this.progress, stages: [...this.progress.stages, ...stages]};
		this.version++;
	}

	/** Changes one stage (the afterwards stages report through this). */
	updateStage(id: string, change: Partial<Stage>): void {
		this.progress = {...this.progress, stages: this.progress.stages.map(s => (s.id === id ? {...s, ...change} : s))};
		this.version++;
		this.notify();
	}

	/** Closes the session with the process's exit; returns the result. */
	finish(outcome: BuildOutcome, details: {exitCode?: number; packerLog: string; wizardLog: string; forced?: boolean; logProblems?: string[]}): BuildResult {
		const end = this.now();
		const handOn = outcome === 'success' && this.afterwards.size > 0;
		const finished = finishStages(this.progress.stages.filter(s => !this.afterwards.has(s.id)), outcome, end);
		const stages = this.progress.stages.map(s => (this.afterwards.has(s.id) ? (handOn ? s : {...s, status: 'skipped' as const}) : finished.find(f => f.id === s.id)!));
		this.progress = {...this.progress, stages};
		const imageId = outcome === 'success' ? this.progress.artifact?.id : undefined;
		const result: BuildResult = {
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
			...(details.logProblems?.length ? {logProblems: details.logProblems} : {}),
		};
		if (handOn) {
			this.held = result;
			this.phase = 'distributing';
		} else {
			this.result = result;
			this.phase = 'finished';
		}
		this.version++;
		this.notify();
		return result;
	}

	/** Ends the afterwards stages: the result with every image; the session is finished. */
	complete(extra: Pick<BuildResult, 'images' | 'sharedWith' | 'distributionErrors'>): BuildResult {
		const base = this.held ?? this.result;
		if (!base) throw new Error('complete() before finish()');
		const end = this.now();
		this.progress = {
			...this.progress,
			stages: this.progress.stages.map(s => (this.afterwards.has(s.id) && (s.status === 'pending' || s.status === 'running') ? {...s, status: s.status === 'running' ? 'failed' : 'skipped', endedAt: end} : s)),
		};
		this.result = {...base, ...extra, durationMs: end - this.startedAt};
		this.held = undefined;
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

/**
 * The operator asked to stop, by Ctrl+C or by a signal (the screens and `build` share this):
 * the first asks Packer to cancel and clean up, the second warns, the third forces.
 */
export function interruptBuild(controls: {session: BuildSession; cancel: () => void; forceStop: () => void}): 'cancel' | 'warn' | 'force' | 'finished' {
	const {session} = controls;
	if (session.phase === 'finished') return 'finished';
	const count = ++session.interrupts;
	if (count === 1) {
		controls.cancel();
		return 'cancel';
	}
	if (count === 2) {
		session.version++;
		session.setPhase(session.phase);
		return 'warn';
	}
	controls.forceStop();
	return 'force';
}
