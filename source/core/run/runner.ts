/**
 * Runs packer.sh for one build. Packer's life never depends on the wizard's:
 *
 * - packer.sh runs in its own session (no terminal, no signal when the wizard's terminal
 *   goes), and writes to logs/output_<timestamp>.log, not to a pipe: a wizard that dies
 *   cannot kill Packer with SIGPIPE mid-cleanup. packer.sh removes the keys from that output
 *   as it writes it.
 * - The wizard follows that file into a BuildSession (every line redacted again), and copies
 *   what it shows to logs/wizard_<timestamp>.log.
 * - The run ends when packer.sh exits: what it had written is drained for a moment, then the
 *   result is final, whatever child of a shell-local step still holds the file open.
 * - A later wizard can follow a build it did not start (`attachBuild`), from its output and
 *   packer.sh's process ID.
 *
 * Stopping: `cancel()` sends SIGTERM to packer.sh, which hands it to Packer; Packer then
 * deletes what it created. `forceStop()` kills the whole process group at once, which can
 * leave billable resources behind: the ledger says which.
 */
import {spawn} from 'node:child_process';
import {closeSync, constants, createWriteStream, fchmodSync, openSync, type WriteStream} from 'node:fs';
import {readdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {describeFileError, ensureFolder, FileError, redactFile} from '../files.js';
import {TEMPLATE_FILE, WRAPPER_FILE} from '../kit.js';
import {readPluginPin} from '../plugin-pin.js';
import {runnerAlive} from '../state.js';
import {followFile} from './follow.js';
import {plannedStages} from './progress.js';
import {BuildSession, type BuildResult} from './session.js';

export type BuildOptions = {
	workspace: string;
	/** The build environment (with the keys): added to `baseEnv` for packer.sh only. */
	env: Record<string, string>;
	baseEnv?: Readonly<Record<string, string | undefined>>;
	redact: (text: string) => string;
	/** The exact key values `redact` replaces (so a streaming cut never splits one). */
	keys?: string[];
	/** PACKER_BUILD_TIMESTAMP; names both log files. */
	timestamp?: string;
	now?: () => number;
};

export type BuildHandle = {
	session: BuildSession;
	timestamp: string;
	packerLog: string;
	wizardLog: string;
	/** What packer.sh printed (keys removed by packer.sh), as the wizard follows it. */
	outputLog: string;
	/** packer.sh's process ID, also its process group and session. */
	pid: number;
	/** Asks Packer to cancel and clean up (SIGTERM through packer.sh). Safe to call more than once. */
	cancel: () => void;
	/** Kills packer.sh and Packer at once. May leave billable resources. The result follows within 2 s. */
	forceStop: () => void;
	/** Stops following, leaving packer.sh to run to its end (the lock stays held by it). */
	abandon: () => Promise<void>;
	result: Promise<BuildResult>;
};

/** The log files of a build, by its timestamp. */
export function buildLogs(workspace: string, timestamp: string): {packerLog: string; wizardLog: string; outputLog: string} {
	const logs = path.join(workspace, 'logs');
	return {
		packerLog: path.join(logs, `packer_${timestamp}.log`),
		wizardLog: path.join(logs, `wizard_${timestamp}.log`),
		outputLog: path.join(logs, `output_${timestamp}.log`),
	};
}

/** packer.sh's last line: `packer.sh: finished: [cancelled, ]status N`. */
const FINISHED = /^packer\.sh: finished: (cancelled, )?status (\d+)$/;

/** A file of ours, created new: never through a planted link, private from the first byte. */
function createPrivate(file: string): number {
	try {
		const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_APPEND, 0o600);
		fchmodSync(fd, 0o600);
		return fd;
	} catch (error) {
		throw new FileError(file, describeFileError(error));
	}
}

/** `YYYYMMDDhhmmss` in local time, as packer.sh's `date +%Y%m%d%H%M%S`. */
export function buildTimestamp(date = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** The kit's provisioners as the template runs them: uploads of user-packages/, then user-scripts/*.sh. */
export async function kitProvisioners(workspace: string): Promise<{uploads: string[]; userScripts: string[]}> {
	const list = async (dir: string) => (await readdir(path.join(workspace, dir), {withFileTypes: true}).catch(() => [])).filter(e => e.isFile()).map(e => e.name).sort();
	return {
		uploads: (await list('user-packages')).filter(name => name !== 'README.md'),
		userScripts: (await list('user-scripts')).filter(name => name.endsWith('.sh')),
	};
}

/** Where packer.sh puts Packer's TMPDIR: `.packer-tmp.XXXXXX` in the workspace (0700). */
export const PACKER_TEMP_PREFIX = '.packer-tmp.';

/** Packer's private temp folders in the workspace (left only by a build stopped hard). */
export async function packerTempFolders(workspace: string): Promise<string[]> {
	const entries = await readdir(workspace, {withFileTypes: true}).catch(() => []);
	return entries.filter(e => e.isDirectory() && e.name.startsWith(PACKER_TEMP_PREFIX)).map(e => path.join(workspace, e.name));
}

export async function removePackerTemp(workspace: string): Promise<void> {
	for (const dir of await packerTempFolders(workspace)) await rm(dir, {recursive: true, force: true});
}

export async function startBuild(options: BuildOptions): Promise<BuildHandle> {
	const {workspace} = options;
	const timestamp = options.timestamp ?? buildTimestamp();
	// A real folder, private when new: a link planted as logs/ is refused.
	await ensureFolder(path.join(workspace, 'logs'), 0o700);
	const logs = buildLogs(workspace, timestamp);
	// The stages follow the plugin generation of the template packer.sh will build.
	const env = {...(options.baseEnv ?? process.env), ...options.env};
	const template = env['PACKER_TEMPLATE'] ? path.resolve(workspace, env['PACKER_TEMPLATE']) : path.join(workspace, TEMPLATE_FILE);
	const {generation} = await readPluginPin(template);
	const session = new BuildSession(plannedStages(await kitProvisioners(workspace), generation), options.redact, options.now);

	const output = createPrivate(logs.outputLog);
	let wizardFd: number;
	try {
		wizardFd = createPrivate(logs.wizardLog);
	} catch (error) {
		closeSync(output);
		throw error;
	}
	let child;
	try {
		child = spawn(path.join(workspace, WRAPPER_FILE), ['-machine-readable'], {
			cwd: workspace,
			env: {...(options.baseEnv ?? process.env), ...options.env, PACKER_BUILD_TIMESTAMP: timestamp},
			stdio: ['ignore', output, output],
			// Its own session and process group: no terminal's hang-up reaches it, and a forced
			// stop reaches Packer and its plugins too.
			detached: true,
		});
		await new Promise<void>((resolve, reject) => {
			child!.once('spawn', resolve);
			child!.once('error', reject);
		});
	} catch (error) {
		closeSync(wizardFd);
		throw new Error(`could not start ${WRAPPER_FILE} in ${workspace}: ${(error as Error).message}`);
	} finally {
		closeSync(output);
	}
	const running = child;
	const exited = new Promise<number | undefined>(resolve => {
		running.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : undefined)));
	});
	return follow({...logs, session, timestamp, redact: options.redact, keys: options.keys, pid: running.pid!, exited, wizardFd, unref: () => running.unref()});
}

/**
 * Follows a build this process did not start (a wizard that died started it): its output from
 * the beginning, until packer.sh's process is gone. The exit status comes from packer.sh's
 * last line.
 */
export async function attachBuild(options: {
	workspace: string;
	timestamp: string;
	pid: number;
	redact: (text: string) => string;
	/** The template it builds (for the stages of its plugin generation); the kit's by default. */
	template?: string;
	now?: () => number;
	pollMs?: number;
}): Promise<BuildHandle> {
	const logs = buildLogs(options.workspace, options.timestamp);
	const {generation} = await readPluginPin(options.template ?? path.join(options.workspace, TEMPLATE_FILE));
	const session = new BuildSession(plannedStages(await kitProvisioners(options.workspace), generation), options.redact, options.now);
	const wizardFd = openSync(logs.wizardLog, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_APPEND, 0o600);
	let timer: NodeJS.Timeout | undefined;
	const exited = new Promise<number | undefined>(resolve => {
		const check = () => {
			if (!runnerAlive(options.pid)) return resolve(undefined);
			timer = setTimeout(check, options.pollMs ?? 250);
		};
		check();
	});
	return follow({...logs, session, timestamp: options.timestamp, redact: options.redact, pid: options.pid, exited, wizardFd, unref: () => clearTimeout(timer)});
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
	return {SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15}[signal as string];
}

async function follow(options: {
	session: BuildSession;
	timestamp: string;
	packerLog: string;
	wizardLog: string;
	outputLog: string;
	redact: (text: string) => string;
	keys?: string[];
	pid: number;
	exited: Promise<number | undefined>;
	wizardFd: number;
	unref: () => void;
}): Promise<BuildHandle> {
	const {session, pid} = options;
	const out: WriteStream = createWriteStream('', {fd: options.wizardFd});
	out.on('error', () => {}); // a full disk stops the copy, never the build
	let reported: {cancelled: boolean; status: number} | undefined;
	const follower = await followFile(options.outputLog, line => {
		const finished = FINISHED.exec(line);
		if (finished) reported = {cancelled: Boolean(finished[1]), status: Number(finished[2])};
		const text = session.push(line, 'stdout');
		if (text) out.write(`${text}\n`);
	});

	let cancelled = false;
	let forced = false;
	let gone = false;
	let forceDeadline: (() => void) | undefined;
	const signal = (sig: NodeJS.Signals, group: boolean) => {
		if (gone) return;
		try {
			process.kill(group ? -pid : pid, sig);
		} catch {
			// already gone
		}
	};

	const result = (async () => {
		// The run ends when packer.sh exits (or, once forced, within 2 s whatever happens).
		const exitCode = await Promise.race([options.exited, new Promise<undefined>(resolve => (forceDeadline = () => setTimeout(() => resolve(undefined), 2000).unref()))]);
		gone = true;
		// What packer.sh wrote just before it exited; a child that still writes is not waited for.
		await follower.drain(forced ? 300 : 2000);
		await new Promise<void>(resolve => out.end(resolve));
		// packer.sh redacts its log already; do it again whatever ran, and for any key pattern.
		// A log that cannot be redacted is said loudly in the result (it may hold the keys).
		const logProblems: string[] = [];
		try {
			await redactFile(options.packerLog, options.redact, {mode: 0o600, keys: options.keys});
		} catch (error) {
			const reason = error instanceof FileError ? error.reason : (error as Error).message;
			if (reason !== 'does not exist') {
				const problem = `${options.packerLog} could not be redacted (${reason}): it may hold the keys in clear. Delete it: rm -f '${options.packerLog}'`;
				session.note(`wizard: ${problem}`);
				logProblems.push(problem);
			}
		}
		// A build stopped hard leaves Packer's private temp folder (packer.sh removes it otherwise).
		if (forced) await removePackerTemp(path.dirname(path.dirname(options.packerLog)));
		const code = exitCode ?? reported?.status;
		const outcome = code === 0 ? 'success' : cancelled || forced || reported?.cancelled ? 'cancelled' : 'failed';
		return session.finish(outcome, {exitCode: code, packerLog: options.packerLog, wizardLog: options.wizardLog, forced, logProblems});
	})();

	return {
		session,
		timestamp: options.timestamp,
		packerLog: options.packerLog,
		wizardLog: options.wizardLog,
		outputLog: options.outputLog,
		pid,
		cancel() {
			if (cancelled) return;
			cancelled = true;
			session.setPhase('cancelling');
			signal('SIGTERM', false);
		},
		forceStop() {
			forced = true;
			session.setPhase('forcing');
			signal('SIGKILL', true);
			forceDeadline?.();
		},
		async abandon() {
			options.unref();
			await follower.stop();
			out.end();
		},
		result,
	};
}
