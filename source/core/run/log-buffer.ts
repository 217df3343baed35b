/**
 * The last lines of a log, in a fixed amount of memory however long the log runs.
 */
export class LogBuffer {
	private readonly lines: string[];
	private next = 0;
	/** Every line ever pushed. */
	total = 0;

	constructor(readonly capacity = 2000) {
		this.lines = new Array<string>(capacity);
	}

	push(line: string): void {
		this.lines[this.next] = line;
		this.next = (this.next + 1) % this.capacity;
		this.total++;
	}

	/** The last `count` lines, oldest first. */
	tail(count = this.capacity): string[] {
		const size = Math.min(count, this.total, this.capacity);
		const out = new Array<string>(size);
		for (let i = 0; i < size; i++) out[i] = this.lines[(this.next - size + i + this.capacity) % this.capacity]!;
		return out;
	}
}
