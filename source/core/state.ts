/**
 * The wizard's memory between runs, kept with conf in the user's config directory
 * (file mode 0600): the last preset, the history of builds, the progress of each
 * cleanup checklist; and the workspace lock that keeps two builds out of one workspace.
 *
 * No key enters it: every write replaces the keys it was told about (exact values) with a
 * label. Text that merely looks like a key (an image name, a path) is stored as it is:
 * refusing it would leave a build unrecorded. Several builds may run at once (one per
 * workspace), so every change is a read-modify-write under a lock file.
 */
import {createHash} from 'node:crypto';
import {closeSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync, constants as fsConstants} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import {redactor} from './secrets.js';

export type BuildOutcome = 'success' | 'failed' | 'cancelled';

/** A resource in the account; `parent` is what deleting it needs besides its ID (a subnet's VPC). */
export type LedgerEntry = {kind: string; id: string; name?: string; detail?: string; parent?: string};

export type BuildRecord = {
	id: string;
	workspace: string;
	preset?: string;
	region?: string;
	/** The project the checks found for the region: the cleanup uses it, as the build did. */
	projectId?: string;
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
	/** The build's packer.sh while it runs: a later wizard follows it, or records its end. */
	runner?: {pid: number; host: string; timestamp: string};
	/** With credentials=temporary|agency: the credential Packer had (masked) and when it expires. */
	credential?: {mode: 'temporary' | 'agency'; accessKey: string; expiresAt?: string; mintedWith?: string};
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

/** Waits `ms` without giving the event loop away (conf is synchronous, and so is its lock). */
function pause(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** How long a state lock may be held before it counts as abandoned (a writer takes milliseconds). */
const STATE_LOCK_STALE_MS = 10_000;

export class State {
	private readonly conf: Conf<Store>;
	private scrub: (text: string) => string = text => text;

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

	/** The keys of the build at hand: wherever they appear in what is saved, a label replaces them. */
	protect(keys: Array<string | undefined>): void {
		const known = new Set([...(this.knownKeys ?? []), ...keys.filter((k): k is string => Boolean(k && k.length >= 8))]);
		this.knownKeys = [...known];
		this.scrub = redactor(this.knownKeys.map(value => ({value, label: 'key'})));
	}

	private knownKeys?: string[];

	private clean<T>(value: T): T {
		return JSON.parse(this.scrub(JSON.stringify(value))) as T;
	}

	/**
	 * Runs a read-modify-write of the state file under `<state>.lock`, so that builds in other
	 * workspaces, running at the same time, do not undo each other's records. A lock older
	 * than a few seconds was left by a process that died while writing: it is taken over.
	 */
	private update(change: () => void): void {
		const lock = `${this.conf.path}.lock`;
		mkdirSync(path.dirname(lock), {recursive: true});
		const deadline = Date.now() + 5000;
		let fd: number | undefined;
		while (fd === undefined) {
			try {
				fd = openSync(lock, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
				let age = 0;
				try {
					age = Date.now() - statSync(lock).mtimeMs;
				} catch {
					continue; // released meanwhile
				}
				if (age > STATE_LOCK_STALE_MS || Date.now() > deadline) {
					// Abandoned: move it aside (one process wins the rename) and try again.
					try {
						renameSync(lock, `${lock}.stale.${process.pid}`);
						rmSync(`${lock}.stale.${process.pid}`, {force: true});
					} catch {}
					continue;
				}
				pause(5 + Math.floor(Math.random() * 20));
			}
		}
		try {
			writeSync(fd, String(process.pid));
			change();
		} finally {
			closeSync(fd);
			rmSync(lock, {force: true});
		}
	}

	get directory(): string {
		return path.dirname(this.conf.path);
	}

	lastPreset(workspace: string): string | undefined {
		return this.conf.get('lastPreset')?.[workspace];
	}

	setLastPreset(workspace: string, name: string): void {
		this.update(() => this.conf.set('lastPreset', {...this.conf.get('lastPreset'), [workspace]: name}));
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

	/**
	 * Records a build (new or updated by id); the history keeps the latest builds. Throws what
	 * the file system says (ENOSPC, EACCES…): a running build catches it and goes on.
	 */
	saveBuild(record: BuildRecord): void {
		const clean = this.clean(record);
		this.update(() => {
			const builds = this.builds();
			const index = builds.findIndex(b => b.id === clean.id);
			if (index >= 0) builds[index] = clean;
			else builds.push(clean);
			// Unfinished builds are kept beyond the limit: they may have left resources behind.
			const surplus = builds.length - HISTORY_LIMIT;
			const dropped = new Set(builds.filter(b => b.endedAt).slice(0, Math.max(0, surplus)).map(b => b.id));
			this.conf.set('builds', builds.filter(b => !dropped.has(b.id)));
		});
	}

	checklist(buildId: string): ChecklistProgress {
		return this.conf.get('checklists')[buildId] ?? {};
	}

	saveChecklist(buildId: string, progress: ChecklistProgress): void {
		const clean = this.clean(progress);
		this.update(() => {
			const kept = new Set(this.builds().map(b => b.id));
			const all = Object.fromEntries(Object.entries(this.conf.get('checklists')).filter(([id]) => kept.has(id) || id === buildId));
			this.conf.set('checklists', {...all, [buildId]: clean});
		});
	}

	/**
	 * The lock file of a workspace (in the state directory, so the kit folder stays clean). Named
	 * after the real path: a workspace reached through a symbolic link is the same workspace.
	 */
	lockFile(workspace: string): string {
		const id = createHash('sha256').update(realWorkspace(workspace)).digest('hex').slice(0, 16);
		return path.join(this.directory, 'locks', `${id}.lock`);
	}

	/** Who holds a workspace's lock now (undefined when nobody, or only a dead process, does). */
	lockHolder(workspace: string): LockHolder | undefined {
		const holder = readHolder(this.lockFile(workspace));
		return holder && isAlive(holder) ? holder : undefined;
	}

	/**
	 * Takes the workspace lock for this process. A lock held by a live process — the wizard that
	 * took it, or the packer.sh it started, which may outlive it — is refused
	 * (WorkspaceLockedError); one whose processes are all gone is taken over, and returned as `stale`.
	 */
	lockWorkspace(workspace: string, pid = process.pid, options: {adopt?: number} = {}): WorkspaceLock {
		const file = this.lockFile(workspace);
		mkdirSync(path.dirname(file), {recursive: true});
		// Adopting: the build's packer.sh outlived its wizard, and this process follows it now.
		const holder: LockHolder = {pid, host: os.hostname(), workspace: realWorkspace(workspace), since: new Date().toISOString(), ...(options.adopt ? {runner: options.adopt} : {})};
		let stale: LockHolder | undefined;
		for (let attempt = 0; attempt < 2; attempt++) {
			try {
				writeFileSync(file, JSON.stringify(holder), {flag: 'wx', mode: 0o600});
				return {
					file,
					stale,
					release: () => releaseLock(file, pid),
					attach: (runner: number) => {
						// The build's own process keeps the workspace locked for as long as it runs.
						const temporary = `${file}.${process.pid}.tmp`;
						try {
							writeFileSync(temporary, JSON.stringify({...holder, runner}), {flag: 'wx', mode: 0o600});
							renameSync(temporary, file);
						} catch {
							rmSync(temporary, {force: true});
						}
					},
				};
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
				const current = readHolder(file);
				const adoptable = current && options.adopt && current.runner === options.adopt && current.host === os.hostname() && !pidAlive(current.pid);
				if (current && !adoptable && isAlive(current)) throw new WorkspaceLockedError(current);
				// Dead (or unreadable) holder: remove its lock and try once more.
				stale = current ?? {pid: 0, host: os.hostname(), workspace: holder.workspace, since: 'unknown'};
				rmSync(file, {force: true});
			}
		}
		throw new WorkspaceLockedError(readHolder(file) ?? holder);
	}
}

/** The workspace's real path (symbolic links resolved); the resolved path when it does not exist. */
export function realWorkspace(workspace: string): string {
	try {
		return realpathSync(workspace);
	} catch {
		return path.resolve(workspace);
	}
}

export type LockHolder = {
	pid: number;
	host: string;
	workspace: string;
	since: string;
	/** The build's packer.sh (its process group), which may outlive the wizard. */
	runner?: number;
};

export type WorkspaceLock = {file: string; stale?: LockHolder; release: () => void; attach: (runner: number) => void};

export class WorkspaceLockedError extends Error {
	constructor(readonly holder: LockHolder) {
		super(
			holder.runner && !pidAlive(holder.pid)
				? `a build is still running in ${holder.workspace}: its packer.sh (process ${holder.runner} on ${holder.host}) outlived the wizard that started it (since ${holder.since}). Wait for it to finish (the wizard follows it when started in that folder), or stop it with \`kill -TERM ${holder.runner}\`, which lets Packer clean up.`
				: `another build is running in ${holder.workspace} (process ${holder.pid} on ${holder.host}, since ${holder.since}). Wait for it to finish, or stop it with Ctrl+C in its terminal.`,
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

/** Whether a process runs (on this host). */
export function pidAlive(pid: number | undefined): boolean {
	if (!pid || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Whether a build's packer.sh still runs: its process lives and (where /proc tells) is still
 * packer.sh, not another program that got the same process ID since.
 */
export function runnerAlive(pid: number | undefined): boolean {
	if (!pidAlive(pid)) return false;
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('packer.sh');
	} catch {
		return true;
	}
}

/** Whether the lock's processes still run. A lock from another host cannot be checked: it counts as alive. */
function isAlive(holder: LockHolder): boolean {
	if (holder.host !== os.hostname()) return true;
	return pidAlive(holder.pid) || runnerAlive(holder.runner);
}

function releaseLock(file: string, pid: number): void {
	if (readHolder(file)?.pid === pid) rmSync(file, {force: true});
}
