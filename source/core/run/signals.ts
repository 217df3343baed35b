/**
 * Signals while a build runs: SIGINT, SIGTERM and SIGHUP (the operator's SSH session dropped,
 * tmux killed its session) mean "cancel", as the first Ctrl+C does — never "abandon": the
 * process stays to wait for Packer's clean-up, for a bounded time.
 */
import type {LaunchedBuild} from './launch.js';

export const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How long a signalled wizard waits for Packer's clean-up before it leaves Packer to finish alone. */
export const CLEANUP_WAIT_MS = 5 * 60_000;

/**
 * `when-exit` (loaded by conf, through atomically) listens to these signals once and then
 * raises the same signal again at the process, to exit: every first signal would arrive twice,
 * and the re-raised one would kill the process once its listener is gone. We handle these
 * signals ourselves and never exit on them, so its listeners go. (It still cleans up on exit.)
 */
function dropReRaisers(): void {
	for (const signal of STOP_SIGNALS) {
		for (const listener of process.listeners(signal)) {
			if (/\bthis\.exit\(signal\)/.test(String(listener))) process.off(signal, listener as () => void);
		}
	}
}

/** Calls `handler` for every stop signal until the returned function is called. */
export function onStopSignals(handler: (signal: NodeJS.Signals) => void): () => void {
	dropReRaisers();
	const listener = (signal: NodeJS.Signals) => {
		// The terminal may be gone (SIGHUP): writing to it must not crash the process that waits for Packer.
		if (signal === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount('error') === 0) stream.on('error', () => {});
		handler(signal);
	};
	for (const signal of STOP_SIGNALS) process.on(signal, listener);
	return () => {
		for (const signal of STOP_SIGNALS) process.off(signal, listener);
	};
}

/**
 * Waits for the build's end; after the first cancel (`cancelled()` resolves), at most
 * `limitMs`. Resolves 'left' when Packer was left running to its end without the wizard.
 */
export async function waitForEnd(launched: LaunchedBuild, cancelled: Promise<void>, limitMs = CLEANUP_WAIT_MS): Promise<'ended' | 'left'> {
	let timer: NodeJS.Timeout | undefined;
	const limit = cancelled.then(() => new Promise<'left'>(resolve => (timer = setTimeout(() => resolve('left'), limitMs))));
	try {
		const how = await Promise.race([launched.finished.then(() => 'ended' as const), limit]);
		if (how === 'left') await launched.handle.abandon();
		return how;
	} finally {
		clearTimeout(timer);
	}
}

/** What to say when the wizard leaves a running Packer behind. */
export function leftRunningLines(launched: LaunchedBuild): string[] {
	return [
		`Packer is still cleaning up (packer.sh, process ${launched.handle.pid}). It goes on without the wizard and keeps the workspace locked until it ends.`,
		`Its output: ${launched.handle.outputLog}. The wizard follows it, or records its end, when started again in ${launched.record.workspace}.`,
	];
}
