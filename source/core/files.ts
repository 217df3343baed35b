import {randomBytes} from 'node:crypto';
import {chmod, mkdir, rename, rm, writeFile} from 'node:fs/promises';
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
