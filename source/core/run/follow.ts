/**
 * Following a file that another process writes, line by line, as `tail -f` does. The build's
 * output goes to a file rather than a pipe, so that Packer never depends on the wizard
 * reading it: a wizard that dies leaves Packer writing on, and the next one reads it again.
 */
import {open, type FileHandle} from 'node:fs/promises';
import {constants} from 'node:fs';

export type FileFollower = {
	/** Reads what is there now (and keeps following). */
	poll: () => Promise<void>;
	/**
	 * Reads until nothing new has come for `quietMs`, or `graceMs` have passed: what the
	 * writer had buffered when it exited. Then stops, and hands over an unfinished last line.
	 */
	drain: (graceMs?: number, quietMs?: number) => Promise<void>;
	stop: () => Promise<void>;
};

const CHUNK = 64 * 1024;

export async function followFile(file: string, onLine: (line: string) => void, intervalMs = 50): Promise<FileFollower> {
	const handle: FileHandle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
	const buffer = Buffer.alloc(CHUNK);
	const decoder = new TextDecoder('utf8');
	let position = 0;
	let partial = '';
	let stopped = false;
	let reading: Promise<number> | undefined;
	let timer: NodeJS.Timeout | undefined;

	/** One pass to the current end of the file; the number of bytes read. */
	const readAvailable = async (): Promise<number> => {
		let total = 0;
		for (;;) {
			const {bytesRead} = await handle.read(buffer, 0, CHUNK, position);
			if (bytesRead === 0) return total;
			position += bytesRead;
			total += bytesRead;
			const text = partial + decoder.decode(buffer.subarray(0, bytesRead), {stream: true});
			const lines = text.split('\n');
			partial = lines.pop()!;
			for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
		}
	};
	// One reader at a time: a poll and a drain never interleave.
	const read = (): Promise<number> => {
		const next = (reading ?? Promise.resolve(0)).then(readAvailable, readAvailable);
		reading = next;
		return next;
	};

	const schedule = () => {
		if (stopped) return;
		timer = setTimeout(() => void read().catch(() => 0).then(schedule), intervalMs);
	};
	schedule();

	const stop = async () => {
		if (stopped) return;
		stopped = true;
		clearTimeout(timer);
		await reading?.catch(() => 0);
		const rest = partial + decoder.decode();
		partial = '';
		if (rest) onLine(rest);
		await handle.close();
	};

	return {
		poll: async () => {
			await read();
		},
		async drain(graceMs = 2000, quietMs = 200) {
			clearTimeout(timer);
			const end = Date.now() + graceMs;
			let quietSince = Date.now();
			while (Date.now() < end) {
				if ((await read().catch(() => 0)) > 0) quietSince = Date.now();
				else if (Date.now() - quietSince >= quietMs) break;
				await new Promise(resolve => setTimeout(resolve, 25));
			}
			await stop();
		},
		stop,
	};
}
