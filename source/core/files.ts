/**
 * Every file the tool writes or reads from a workspace, safely:
 * - new files are created exclusively and never through a link (O_CREAT|O_EXCL|O_NOFOLLOW);
 * - whole-file replacements go through a private (0700) folder beside the file, then a rename,
 *   so a reader sees the old or the new content and a planted link is replaced, never followed;
 * - redaction streams (a log of any size), checks every write and says when it could not be done;
 * - reads take regular files only, of a bounded size, and never wait on a FIFO.
 */
import {constants, type Stats} from 'node:fs';
import {lstat, mkdir, mkdtemp, open, realpath, rename, rm, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {Transform, type TransformCallback} from 'node:stream';
import {pipeline} from 'node:stream/promises';

const {O_WRONLY, O_RDONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK} = constants;

/** A file problem written for the operator: the file, what is wrong, and nothing of its content. */
export class FileError extends Error {
	override name = 'FileError';
	constructor(
		readonly file: string,
		readonly reason: string,
	) {
		super(`${file}: ${reason}`);
	}
}

/** The words for a failed file operation (EACCES → "permission denied", and so on). */
export function describeFileError(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	switch (code) {
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'EROFS':
			return 'the file system is read-only';
		case 'ENOSPC':
			return 'no space left on the device';
		case 'EDQUOT':
			return 'disk quota exceeded';
		case 'EEXIST':
			return 'already exists (not overwritten, not followed if it is a link)';
		case 'ELOOP':
			return 'is a symbolic link (not followed)';
		case 'ENOENT':
			return 'does not exist';
		case 'EISDIR':
			return 'is a folder';
		default:
			return (error as Error).message ?? String(error);
	}
}

function fileError(file: string, error: unknown): FileError {
	return error instanceof FileError ? error : new FileError(file, describeFileError(error));
}

/**
 * Creates `file` for writing, with `mode` from the first byte. An existing path (a planted
 * link included, even a dangling one) is refused: the caller asked for a new file.
 */
export async function createExclusive(file: string, mode = 0o600): Promise<FileHandle> {
	try {
		const handle = await open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
		await handle.chmod(mode); // the umask may have narrowed it
		return handle;
	} catch (error) {
		throw fileError(file, error);
	}
}

/** A folder we write into: created when missing; a link or anything but a folder is refused. */
export async function ensureFolder(dir: string, mode = 0o755): Promise<void> {
	try {
		await mkdir(dir, {recursive: true, mode});
		const info = await lstat(dir);
		if (info.isSymbolicLink()) throw new FileError(dir, 'is a symbolic link; the tool writes only into a real folder here');
		if (!info.isDirectory()) throw new FileError(dir, 'is not a folder');
	} catch (error) {
		throw fileError(dir, error);
	}
}

/** What is at `file` without following a link (undefined when nothing is). */
async function lstatOrNothing(file: string): Promise<Stats | undefined> {
	try {
		return await lstat(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw fileError(file, error);
	}
}

/**
 * Runs `write` on a new file in a private folder beside `file`, then renames it over `file`.
 * A link at `file` is refused (the caller redacting a link's target passes the real path).
 */
async function replaceThroughPrivateFolder(file: string, mode: number, write: (handle: FileHandle) => Promise<void>): Promise<void> {
	const existing = await lstatOrNothing(file);
	if (existing?.isSymbolicLink()) throw new FileError(file, 'is a symbolic link; not written through it (remove the link, or give the real file)');
	if (existing && !existing.isFile()) throw new FileError(file, 'is not a regular file; not replaced');
	let privateDir: string;
	try {
		privateDir = await mkdtemp(path.join(path.dirname(file), `.${path.basename(file)}.`));
	} catch (error) {
		throw fileError(path.dirname(file), error);
	}
	const temporary = path.join(privateDir, 'new');
	try {
		const handle = await createExclusive(temporary, mode);
		try {
			await write(handle);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temporary, file);
	} catch (error) {
		throw fileError(file, error);
	} finally {
		await rm(privateDir, {recursive: true, force: true});
	}
}

/**
 * Writes `data` to `file` all at once (see replaceThroughPrivateFolder): never through a
 * link, never half-written, with `mode` from the first byte.
 */
export async function writeFileAtomic(file: string, data: string, mode = 0o644): Promise<void> {
	await ensureFolder(path.dirname(file));
	await replaceThroughPrivateFolder(file, mode, handle => handle.writeFile(data));
}

// ---- Reading ---------------------------------------------------------------------------------

/**
 * Opens a regular file for reading without waiting on a FIFO or reading a device; follows a
 * link only when `follow`. Throws FileError with words for the operator.
 */
export async function openRegular(file: string, options: {follow?: boolean; maxBytes?: number} = {}): Promise<{handle: FileHandle; size: number}> {
	let handle: FileHandle;
	try {
		handle = await open(file, O_RDONLY | O_NONBLOCK | (options.follow === false ? O_NOFOLLOW : 0));
	} catch (error) {
		throw fileError(file, error);
	}
	try {
		const info = await handle.stat();
		if (!info.isFile()) {
			const what = info.isFIFO() ? 'a named pipe (FIFO)' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isSocket() ? 'a socket' : info.isDirectory() ? 'a folder' : 'not a regular file';
			throw new FileError(file, `is ${what}, not a regular file; not read`);
		}
		if (options.maxBytes !== undefined && info.size > options.maxBytes) {
			throw new FileError(file, `is ${info.size} bytes, more than the ${options.maxBytes} this file may have; not read`);
		}
		return {handle, size: info.size};
	} catch (error) {
		await handle.close();
		throw fileError(file, error);
	}
}

/** The text of a regular file of at most `maxBytes` (see openRegular). */
export async function readTextFile(file: string, maxBytes: number, options: {follow?: boolean} = {}): Promise<string> {
	const {handle} = await openRegular(file, {...options, maxBytes});
	try {
		// Read at most one byte more than allowed: the file may have grown since fstat.
		const buffer = Buffer.alloc(maxBytes + 1);
		let length = 0;
		for (;;) {
			const {bytesRead} = await handle.read(buffer, length, buffer.length - length, null);
			if (bytesRead === 0) break;
			length += bytesRead;
			if (length > maxBytes) throw new FileError(file, `is more than ${maxBytes} bytes; not read`);
		}
		return buffer.subarray(0, length).toString('utf8');
	} catch (error) {
		throw fileError(file, error);
	} finally {
		await handle.close();
	}
}

// ---- Streaming redaction -------------------------------------------------------------------

/** Longest run kept in memory without a line break before it is cut at a safe place. */
const MAX_PENDING = 1024 * 1024;
/** Characters that can be part of a key or a signed header value: never cut between two of them if it can be helped. */
const TOKEN_CHAR = /[A-Za-z0-9+/=_-]/;

/**
 * Where to cut a run without a line break so that no token (and no occurrence of `keys`)
 * is split: after the last character that cannot be part of one, else before any key
 * occurrence that would cross the cut.
 */
export function safeCut(text: string, keys: readonly string[]): number {
	for (let i = text.length - 1; i >= text.length / 2; i--) if (!TOKEN_CHAR.test(text[i]!)) return i + 1;
	let cut = text.length - 256;
	for (const key of keys) {
		if (!key) continue;
		const from = Math.max(0, cut - key.length + 1);
		const index = text.indexOf(key, from);
		if (index !== -1 && index < cut) cut = Math.min(cut, index);
	}
	return Math.max(1, cut);
}

/**
 * Splits a stream of text into pieces that end at line breaks (or, for absurdly long lines,
 * at a safe cut), so a line-wise function sees every token whole, in bounded memory.
 */
export class Segmenter {
	private pending = '';
	constructor(
		private readonly onSegment: (segment: string) => void,
		private readonly keys: readonly string[] = [],
	) {}

	push(chunk: string): void {
		this.pending += chunk;
		const newline = this.pending.lastIndexOf('\n');
		if (newline !== -1) {
			this.onSegment(this.pending.slice(0, newline + 1));
			this.pending = this.pending.slice(newline + 1);
		}
		while (this.pending.length > MAX_PENDING) {
			const cut = safeCut(this.pending, this.keys);
			this.onSegment(this.pending.slice(0, cut));
			this.pending = this.pending.slice(cut);
		}
	}

	end(): void {
		if (this.pending) this.onSegment(this.pending);
		this.pending = '';
	}
}

/** A Transform that applies `redact` to every segment (bytes as latin1: nothing else changes). */
function redactingTransform(redact: (text: string) => string, keys: readonly string[], onChange: () => void): Transform {
	let output: string[] = [];
	const segmenter = new Segmenter(segment => {
		const clean = redact(segment);
		if (clean !== segment) onChange();
		output.push(clean);
	}, keys);
	const flush = (transform: Transform) => {
		for (const piece of output) transform.push(Buffer.from(piece, 'latin1'));
		output = [];
	};
	return new Transform({
		transform(chunk: Buffer, _encoding, callback: TransformCallback) {
			segmenter.push(chunk.toString('latin1'));
			flush(this);
			callback();
		},
		flush(callback: TransformCallback) {
			segmenter.end();
			flush(this);
			callback();
		},
	});
}

export type RedactOptions = {
	/** The mode of the redacted file (default: the original's). */
	mode?: number;
	/** The exact values being replaced, so that a cut never splits one (see safeCut). */
	keys?: readonly string[];
	/** Redact the real file a link points to (the caller has said so); otherwise a link is refused. */
	followLink?: boolean;
};

/** The file a redaction will change: `file` itself, or with followLink the real file behind a link. */
export async function redactionTarget(file: string, followLink = false): Promise<string> {
	const info = await lstatOrNothing(file);
	if (info?.isSymbolicLink()) {
		if (!followLink) throw new FileError(file, 'is a symbolic link; not redacted through it');
		try {
			return await realpath(file);
		} catch (error) {
			throw fileError(file, error);
		}
	}
	return file;
}

/**
 * Redacts a file of any size as a stream: the result goes to a new file in a private folder
 * beside it, then replaces it. Returns whether anything changed (nothing is written when not).
 * Throws FileError naming the file when it cannot be read, written or replaced: the caller
 * must then say the file may still hold keys.
 */
export async function redactFile(file: string, redact: (text: string) => string, options: RedactOptions = {}): Promise<boolean> {
	const target = await redactionTarget(file, options.followLink);
	// Streams on a FileHandle close it themselves (autoClose): each pass opens the file anew.
	const first = await openRegular(target, {follow: false});
	const info = await first.handle.stat();
	const mode = options.mode ?? info.mode & 0o777;
	let changed = false;
	try {
		// First pass: is there anything to change at all? (A clean file is never rewritten.)
		await pipeline(first.handle.createReadStream(), redactingTransform(redact, options.keys ?? [], () => (changed = true)), async (source: AsyncIterable<Buffer>) => {
			for await (const _ of source) {
				// only looking
			}
		});
	} catch (error) {
		throw fileError(target, error);
	}
	if (!changed) return false;
	const second = await openRegular(target, {follow: false});
	const again = await second.handle.stat();
	if (again.ino !== info.ino || again.dev !== info.dev) {
		await second.handle.close();
		throw new FileError(target, 'was replaced while being redacted; not redacted');
	}
	await replaceThroughPrivateFolder(target, mode, async out => {
		await pipeline(second.handle.createReadStream(), redactingTransform(redact, options.keys ?? [], () => {}), async (source: AsyncIterable<Buffer>) => {
			for await (const chunk of source) await out.write(chunk);
		});
	});
	return true;
}

/**
 * Reads a file of any size as a stream, segment by segment (see Segmenter), with the line
 * number each segment starts on. Throws FileError when it cannot be read.
 */
export async function scanFile(file: string, onSegment: (segment: string, firstLine: number) => void, options: {keys?: readonly string[]; follow?: boolean} = {}): Promise<void> {
	const {handle} = await openRegular(file, {follow: options.follow ?? true});
	let line = 1;
	const segmenter = new Segmenter(segment => {
		onSegment(segment, line);
		for (let i = segment.indexOf('\n'); i !== -1; i = segment.indexOf('\n', i + 1)) line++;
	}, options.keys ?? []);
	try {
		for await (const chunk of handle.createReadStream({encoding: 'latin1'})) segmenter.push(chunk as string);
		segmenter.end();
	} catch (error) {
		throw fileError(file, error);
	}
}
