import {randomBytes} from 'node:crypto';
import {chmod, mkdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `data` to `file` all at once: a temporary file in the same folder, then a
 * rename, so a reader sees the old or the new content and never half of it.
 */
export async function writeFileAtomic(file: string, data: string, mode = 0o644): Promise<void> {
	await mkdir(path.dirname(file), {recursive: true});
	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		await writeFile(temporary, data, {mode, flag: 'wx'});
		await chmod(temporary, mode); // the umask may have narrowed or kept group bits
		await rename(temporary, file);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
}

/** Redacts a file in place, keeping its mode (or setting `mode`); returns whether anything changed. */
export async function redactFile(file: string, redact: (text: string) => string, mode?: number): Promise<boolean> {
	const text = await readFile(file, 'utf8').catch(() => undefined);
	if (text === undefined) return false;
	const clean = redact(text);
	if (clean === text) return false;
	await writeFileAtomic(file, clean, mode ?? (await stat(file)).mode & 0o777);
	return true;
}
