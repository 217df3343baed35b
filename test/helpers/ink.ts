/**
 * Waiting on an ink-testing-library frame: until it shows what is expected, with a deadline.
 * A frame is written before React runs the effects that subscribe the screen's keys, so
 * once it matches, one short pause lets them attach before the test types. The deadline
 * only catches what hangs: it is generous, for machines busy with other work.
 */
import {setTimeout as delay} from 'node:timers/promises';

export async function frameShowing(lastFrame: () => string | undefined, expected: string | RegExp | ((frame: string) => boolean), timeoutMs = 20_000): Promise<string> {
	const test = typeof expected === 'function' ? expected : (frame: string) => (typeof expected === 'string' ? frame.includes(expected) : expected.test(frame));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = lastFrame() ?? '';
		if (test(frame)) {
			await delay(25);
			return frame;
		}
		if (Date.now() > deadline) throw new Error(`the frame never showed ${String(expected)}; it shows:\n${frame}`);
		await delay(10);
	}
}
