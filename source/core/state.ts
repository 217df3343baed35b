/**
 * The wizard's memory between runs, kept with conf in the user's config directory
 * (file mode 0600): the last preset, the history of builds, the progress of each
 * cleanup checklist; and the workspace lock that keeps two builds out of one workspace.
 * No key ever enters it: every write goes through a check that refuses key-like text.
 */
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import {aKey, findKeyLike} from './secrets.js';

export type BuildOutcome = 'success' | 'failed' | 'cancelled';

export type LedgerEntry = {kind: string; id: string; name?: string; detail?: string};

export type BuildRecord = {
	id: string;
	workspace: string;
	preset?: string;
	region?: string;
	startedAt: string;
	endedAt?: string;
	outcome?: BuildOutcome;
	imageId?: string;
	imageName?: string;
	logPath?: string;
	/** What Packer reported creating and not deleting when the build ended. */
	leftovers?: LedgerEntry[];
	/** Packer's messages when it failed. */
	errors?: string[];
	/** Every image the build made or copied, by region: products, not leftovers. */
	images?: Array<{region: string; id?: string; name?: string; kind: 'built' | 'copy'; status: 'active' | 'failed'; error?: string}>;
	/** Project IDs the image was shared with. */
	sharedWith?: string[];
};

export type ChecklistProgress = Record<string, {state: string; note?: string; at: string}>;

type Store = {
	lastPreset?: Record<string, string>;
	builds: BuildRecord[];
	checklists: Record<string, ChecklistProgress>;
};

/** How many builds the history keeps. */
const HISTORY_LIMIT = 50;

/** Where state lives: CCE_WIZARD_STATE_DIR (tests, shared executors), else the user's config directory. */
export function stateDirectory(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
	return env['CCE_WIZARD_STATE_DIR'] || undefined;
}

export class StateSecretError extends Error {
	override name = 'StateSecretError';
}

function refuseKeys(value: unknown): void {
	const text = JSON.stringify(value) ?? '';
	const found = findKeyLike(text)[0];
	if (found) throw new StateSecretError(`refusing to store something that looks like ${aKey(found.kind)} in the wizard's state`);
}

export class State {
	private readonly conf: Conf<Store>;

	constructor(directory = stateDirectory()) {
		this.conf = new Conf<Store>({
			projectName: 'cce-image-wizard',
			projectSuffix: '',
			...(directory ? {cwd: directory} : {}),
			configFileMode: 0o600,
			defaults: {builds: [], checklists: {}},
		});
	}

	get file(): string {
		return this.conf.path;
	}

	get directory(): string {
		return path.dirname(this.conf.path);
	}

	lastPreset(workspace: string): string | undefined {
		return this.conf.get('lastPreset')?.[workspace];
	}

	setLastPreset(workspace: string, name: string): void {
		this.conf.set('lastPreset', {...this.conf.get('lastPreset'), [workspace]: name});
	}

	builds(): BuildRecord[] {
		return this.conf.get('builds');
	}

	build(id: string): BuildRecord | undefined {
		return this.builds().find(b => b.id === id);
	}

	latestBuild(workspace?: string): BuildRecord | undefined {
		return this.builds().findLast(b => workspace === undefined || b.workspace === workspace);
	}

	/** Records a build (new or updated by id); the history keeps the latest builds. */
	saveBuild(record: BuildRecord): void {
		refuseKeys(record);
		const others = this.builds().filter(b => b.id !== record.id);
		this.conf.set('builds', [...others, record].slice(-HISTORY_LIMIT));
	}

	checklist(buildId: string): ChecklistProgress {
		return this.conf.get('checklists')[buildId] ?? {};
	}

	saveChecklist(buildId: string, progress: ChecklistProgress): void {
		refuseKeys(progress);
		const kept = new Set(this.builds().map(b => b.id));
		const all = Object.fromEntries(Object.entries(this.conf.get('checklists')).filter(([id]) => kept.has(id) || id === buildId));
		this.conf.set('checklists', {...all, [buildId]: progress});
	}

	/** The lock file of a workspace (in the state directory, so the kit folder stays clean). */
	lockFile(workspace: string): string {
		const id = createHash('sha256').update(path.resolve(workspace)).digest('hex').slice(0, 16);
		return path.join(this.directory, 'locks', `${id}.lock`);
	}

	/**
	 * Takes the workspace lock for this process. A lock held by a live process is refused
	 * (WorkspaceLockedError); one left by a dead process is taken over, and returned as `stale`.
	 */
	lockWorkspace(workspace: string, pid = process.pid): WorkspaceLock {
		const file = this.lockFile(workspace);
		mkdirSync(path.dirname(file), {recursive: true});
		const holder: LockHolder = {pid, host: os.hostname(), workspace: path.resolve(workspace), since: new Date().toISOString()};
		let stale: LockHolder | undefined;
		for (let attempt = 0; attempt < 2; attempt++) {
			try {
				writeFileSync(file, JSON.stringify(holder), {flag: 'wx', mode: 0o600});
				return {file, stale, release: () => releaseLock(file, pid)};
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
				const current = readHolder(file);
				if (current && isAlive(current)) throw new WorkspaceLockedError(current);
				// Dead (or unreadable) holder: remove its lock and try once more.
				stale = current ?? {pid: 0, host: os.hostname(), workspace: holder.workspace, since: 'unknown'};
				rmSync(file, {force: true});
			}
		}
		throw new WorkspaceLockedError(readHolder(file) ?? holder);
	}
}

export type LockHolder = {pid: number; host: string; workspace: string; since: string};

export type WorkspaceLock = {file: string; stale?: LockHolder; release: () => void};

export class WorkspaceLockedError extends Error {
	constructor(readonly holder: LockHolder) {
		super(
			`another build is running in ${holder.workspace} (process ${holder.pid} on ${holder.host}, since ${holder.since}). Wait for it to finish, or stop it with Ctrl+C in its terminal.`,
		);
		this.name = 'WorkspaceLockedError';
	}
}

function readHolder(file: string): LockHolder | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
	} catch {
		return undefined;
	}
}

/** Whether the lock's process still runs. A lock from another host cannot be checked: it counts as alive. */
function isAlive(holder: LockHolder): boolean {
	if (holder.host !== os.hostname()) return true;
	try {
		process.kill(holder.pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function releaseLock(file: string, pid: number): void {
	if (readHolder(file)?.pid === pid) rmSync(file, {force: true});
}
