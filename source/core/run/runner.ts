/**
 * Runs packer.sh for one build: streams its output (never buffered) into a BuildSession,
 * copies every redacted line to logs/wizard_<timestamp>.log beside Packer's own log, and
 * redacts Packer's log in place when it is done.
 *
 * Stopping: `cancel()` sends SIGTERM to packer.sh, which hands it to Packer; Packer then
 * deletes what it created. `forceStop()` kills the whole process group at once, which can
 * leave billable resources behind: the ledger says which.
 */
import {createWriteStream, type WriteStream} from 'node:fs';
import {mkdir, readdir} from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import {execa} from 'execa';
import {redactFile} from '../files.js';
import {TEMPLATE_FILE, WRAPPER_FILE} from '../kit.js';
import {readPluginPin} from '../plugin-pin.js';
import {plannedStages} from './progress.js';
import {BuildSession, type BuildResult} from './session.js';

export type BuildOptions = {
	workspace: string;
	/** The build environment (with the keys): added to `baseEnv` for packer.sh only. */
	env: Record<string, string>;
	baseEnv?: Readonly<Record<string, string | undefined>>;
	redact: (text: string) => string;
	/** PACKER_BUILD_TIMESTAMP; names both log files. */
	timestamp?: string;
	now?: () => number;
};

export type BuildHandle = {
	session: BuildSession;
	timestamp: string;
	packerLog: string;
	wizardLog: string;
	/** Asks Packer to cancel and clean up (SIGTERM through packer.sh). Safe to call more than once. */
	cancel: () => void;
	/** Kills packer.sh and Packer at once. May leave billable resources. */
	forceStop: () => void;
	result: Promise<BuildResult>;
};

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


export async function startBuild(options: BuildOptions): Promise<BuildHandle> {
	const {workspace} = options;
	const timestamp = options.timestamp ?? buildTimestamp();
	const logs = path.join(workspace, 'logs');
	await mkdir(logs, {recursive: true});
	const packerLog = path.join(logs, `packer_${timestamp}.log`);
	const wizardLog = path.join(logs, `wizard_${timestamp}.log`);
	// The stages follow the plugin generation of the template packer.sh will build.
	const env = {...(options.baseEnv ?? process.env), ...options.env};
	const template = env['PACKER_TEMPLATE'] ? path.resolve(workspace, env['PACKER_TEMPLATE']) : path.join(workspace, TEMPLATE_FILE);
	const {generation} = await readPluginPin(template);
	const session = new BuildSession(plannedStages(await kitProvisioners(workspace), generation), options.redact, options.now);
	const out: WriteStream = createWriteStream(wizardLog, {mode: 0o600, flags: 'a'});

	const child = execa(path.join(workspace, WRAPPER_FILE), ['-machine-readable'], {
		cwd: workspace,
		env: {...(options.baseEnv ?? process.env), ...options.env, PACKER_BUILD_TIMESTAMP: timestamp},
		extendEnv: false,
		stdin: 'ignore',
		buffer: false,
		reject: false,
		// Its own process group: a forced stop reaches Packer and its plugins too.
		detached: true,
		cleanup: false,
	});

	const consume = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') =>
		new Promise<void>(resolve => {
			if (!stream) return resolve();
			const lines = readline.createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY});
			lines.on('line', line => {
				const text = session.push(line, name);
				if (text) out.write(`${text}\n`);
			});
			lines.on('close', resolve);
		});
	const streams = Promise.all([consume(child.stdout, 'stdout'), consume(child.stderr, 'stderr')]);

	let cancelled = false;
	let forced = false;
	const signalGroup = (signal: NodeJS.Signals) => {
		if (child.pid === undefined || child.exitCode !== null) return;
		try {
			process.kill(signal === 'SIGKILL' ? -child.pid : child.pid, signal);
		} catch {
			// already gone
		}
	};

	const result = (async () => {
		const exit = await child;
		await streams;
		await new Promise<void>(resolve => out.end(resolve));
		// packer.sh redacts its log already; do it again whatever ran, and for any key pattern.
		await redactFile(packerLog, options.redact, 0o600);
		const outcome = exit.exitCode === 0 ? 'success' : cancelled || forced ? 'cancelled' : 'failed';
		return session.finish(outcome, {exitCode: exit.exitCode, packerLog, wizardLog, forced});
	})();

	return {
		session,
		timestamp,
		packerLog,
		wizardLog,
		cancel() {
			if (cancelled) return;
			cancelled = true;
			session.setPhase('cancelling');
			signalGroup('SIGTERM');
		},
		forceStop() {
			forced = true;
			session.setPhase('forcing');
			signalGroup('SIGKILL');
		},
		result,
	};
}
