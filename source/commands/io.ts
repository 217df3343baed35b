/** Where a command writes: the process's streams in the CLI, buffers in tests. */
export type Io = {
	out: (text: string) => void;
	err: (text: string) => void;
	/** Whether stdout is a terminal that shows colour (false with NO_COLOR or when piped). */
	color: boolean;
	/** Asks a question and returns the answer; only where a person can answer (stdin and stdout are terminals). */
	ask?: (question: string) => Promise<string>;
};

export function processIo(): Io {
	return {
		out: text => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
		err: text => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
		color: Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env && process.env['NO_COLOR'] !== ''),
		...(process.stdin.isTTY && process.stdout.isTTY
			? {
					ask: async (question: string) => {
						const {createInterface} = await import('node:readline/promises');
						const prompt = createInterface({input: process.stdin, output: process.stdout});
						try {
							return await prompt.question(question);
						} finally {
							prompt.close();
						}
					},
				}
			: {}),
	};
}

/** Exit codes: 0 success, 1 the flow failed (a check, a build), 2 the command line was wrong. */
export const EXIT = {ok: 0, failed: 1, usage: 2} as const;
