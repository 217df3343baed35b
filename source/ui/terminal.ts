/**
 * Whatever happens — a crash, a signal handled elsewhere, an early exit — the terminal
 * gets its cursor back and leaves raw mode. Ink does this on a normal unmount; the 'exit'
 * event covers the rest (Node emits it after an uncaught exception too).
 */
export function restoreTerminalOnExit(stdin = process.stdin, stdout = process.stdout): () => void {
	const restore = () => {
		try {
			if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
		} catch {
			// stdin already closed
		}
		if (stdout.isTTY) stdout.write('\u001B[?25h');
	};
	process.on('exit', restore);
	return () => {
		restore();
		process.off('exit', restore);
	};
}
