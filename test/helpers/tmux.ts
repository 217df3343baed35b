/**
 * A real terminal for end-to-end runs: a detached tmux session of a given size, keys sent
 * with send-keys, the screen read with capture-pane. Waits poll the screen for what a
 * person would wait to see, with a deadline; they never sleep blindly.
 */
import {execFileSync} from 'node:child_process';
import {setTimeout as delay} from 'node:timers/promises';
import {NO_CLOUD} from './cli.js';

export type Terminal = {
	name: string;
	send: (...keys: string[]) => void;
	/** Types text literally (no key names), then nothing else. */
	type: (text: string) => void;
	screen: () => string;
	/** The whole scrollback and screen. */
	history: () => string;
	waitFor: (what: string | RegExp | ((screen: string) => boolean), timeoutMs?: number) => Promise<string>;
	kill: () => void;
};

const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'});

/**
 * CI must not leak into the terminal from the test run: the wizard refuses to prompt under
 * CI, and Ink renders only the last frame when CI is set at all (even empty), so the shell
 * starts without it.
 */
export function openTerminal(options: {columns?: number; rows?: number; env?: Record<string, string | undefined>; cwd?: string} = {}): Terminal {
	const name = `cce-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	// The cloud is the tests' own loopback unless the test says otherwise.
	const merged = {...NO_CLOUD, ...options.env};
	const env = Object.entries(merged).flatMap(([k, v]) => (v === undefined ? [] : ['-e', `${k}=${v}`]));
	tmux('new-session', '-d', '-s', name, '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), ...(options.cwd ? ['-c', options.cwd] : []), ...env, 'env -u CI bash --noprofile --norc');
	tmux('set-option', '-t', name, 'history-limit', '50000');
	const screen = () => tmux('capture-pane', '-p', '-t', name);
	return {
		name,
		send: (...keys) => tmux('send-keys', '-t', name, ...keys),
		type: text => tmux('send-keys', '-t', name, '-l', text),
		screen,
		history: () => tmux('capture-pane', '-p', '-S', '-', '-t', name),
		async waitFor(what, timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const text = screen();
				if (typeof what === 'string' ? text.includes(what) : typeof what === 'function' ? what(text) : what.test(text)) return text;
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(what)}; the screen shows:\n${text}`);
				await delay(100);
			}
		},
		kill: () => {
			try {
				tmux('kill-session', '-t', name);
			} catch {
				// already gone
			}
		},
	};
}
