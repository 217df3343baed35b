/**
 * Writing, reading and redacting files safely: links are refused (or their target named),
 * redaction streams any size and says when it fails, reads take regular files only.
 */
import {execFileSync} from 'node:child_process';
import {createWriteStream, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {once} from 'node:events';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createExclusive, FileError, readTextFile, redactFile, safeCut, scanFile, Segmenter, writeFileAtomic} from '../../source/core/files.js';
import {redactor} from '../../source/core/secrets.js';
import {tempDir, TEST_KEYS} from '../helpers/kit.js';

const SK = TEST_KEYS.IAM_SECRET_KEY;
const AK = TEST_KEYS.IAM_ACCESS_KEY;
const redact = redactor([
	{value: AK, label: 'access key'},
	{value: SK, label: 'secret key'},
]);

function victim(): string {
	const file = path.join(tempDir('victim'), 'target');
	writeFileSync(file, 'precious\n', {mode: 0o644});
	return file;
}

const untouched = (file: string) => {
	expect(readFileSync(file, 'utf8')).toBe('precious\n');
	expect(statSync(file).mode & 0o777).toBe(0o644);
};

describe('creating and replacing files', () => {
	it('createExclusive refuses a planted link, dangling or not, and creates 0600 from the first byte', async () => {
		const dir = tempDir('excl');
		const target = victim();
		symlinkSync(target, path.join(dir, 'to-file'));
		symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
		await expect(createExclusive(path.join(dir, 'to-file'))).rejects.toThrow(FileError);
		await expect(createExclusive(path.join(dir, 'dangling'))).rejects.toThrow(/already exists/);
		untouched(target);
		const handle = await createExclusive(path.join(dir, 'new.log'));
		expect(statSync(path.join(dir, 'new.log')).mode & 0o777).toBe(0o600);
		await handle.close();
	});

	it('writeFileAtomic refuses to write through a link at the destination', async () => {
		const dir = tempDir('atomic');
		const target = victim();
		symlinkSync(target, path.join(dir, 'build.env'));
		await expect(writeFileAtomic(path.join(dir, 'build.env'), 'export X=1\n', 0o600)).rejects.toThrow(/symbolic link/);
		untouched(target);
		expect(lstatSync(path.join(dir, 'build.env')).isSymbolicLink()).toBe(true);
	});
});

describe('streaming redaction', () => {
	it('refuses a link unless told to follow it, then redacts the real file and keeps the link', async () => {
		const dir = tempDir('redact-link');
		const real = path.join(dir, 'real_history');
		writeFileSync(real, `export IAM_SECRET_KEY=${SK}\nls\n`, {mode: 0o600});
		symlinkSync(real, path.join(dir, '.zsh_history'));
		await expect(redactFile(path.join(dir, '.zsh_history'), redact)).rejects.toThrow(/symbolic link/);
		expect(readFileSync(real, 'utf8')).toContain(SK);
		expect(await redactFile(path.join(dir, '.zsh_history'), redact, {followLink: true})).toBe(true);
		expect(lstatSync(path.join(dir, '.zsh_history')).isSymbolicLink()).toBe(true);
		expect(readlinkSync(path.join(dir, '.zsh_history'))).toBe(real);
		expect(readFileSync(real, 'utf8')).toBe('export IAM_SECRET_KEY=<secret key redacted>\nls\n');
		expect(statSync(real).mode & 0o777).toBe(0o600);
	});

	it('keeps every other byte, invalid UTF-8 included, and does not rewrite a clean file', async () => {
		const dir = tempDir('redact-bytes');
		const file = path.join(dir, 'log');
		const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(` ${AK} é\n`)]);
		writeFileSync(file, bytes);
		expect(await redactFile(file, redact)).toBe(true);
		expect(readFileSync(file)).toEqual(Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(' <access key redacted> é\n')]));
		const before = statSync(file);
		expect(await redactFile(file, redact)).toBe(false);
		expect(statSync(file).ino).toBe(before.ino);
	});

	it('never splits a key when a line is too long to hold', () => {
		const run = 'a'.repeat(700_000) + SK + 'b'.repeat(400_000);
		const segments: string[] = [];
		const segmenter = new Segmenter(s => segments.push(s), [SK]);
		segmenter.push(run.slice(0, 700_010));
		segmenter.push(run.slice(700_010));
		segmenter.end();
		expect(segments.join('')).toBe(run);
		expect(segments.some(s => s.includes(SK))).toBe(true);
		expect(safeCut('x'.repeat(100) + ' ' + 'y'.repeat(50), [])).toBe(101);
	});

	it(
		'redacts a log too large to read into one string (over 512 MiB)',
		async () => {
			const dir = tempDir('redact-big');
			const file = path.join(dir, 'packer_big.log');
			const line = `2026/11/25 12:00:00 packer-builder: env HW_SECRET_KEY=${SK} HW_ACCESS_KEY=${AK} and more text to fill the line\n`;
			const block = line.repeat(Math.ceil((4 * 1024 * 1024) / line.length));
			const out = createWriteStream(file, {mode: 0o644});
			let written = 0;
			while (written < 540 * 1024 * 1024) {
				if (!out.write(block)) await once(out, 'drain');
				written += block.length;
			}
			out.end();
			await once(out, 'finish');
			// What readFile(…, 'utf8') did with it: no string that long.
			await expect(import('node:fs/promises').then(fs => fs.readFile(file, 'utf8'))).rejects.toThrow();
			expect(await redactFile(file, redact, {mode: 0o600, keys: [AK, SK]})).toBe(true);
			expect(statSync(file).mode & 0o777).toBe(0o600);
			// grep -c exits 1 when nothing matches.
			expect(() => execFileSync('grep', ['-c', '-F', SK, file])).toThrow();
			expect(execFileSync('grep', ['-c', '-F', '<secret key redacted>', file], {encoding: 'utf8'}).trim()).toBe(String(Math.floor(written / line.length)));
		},
		300_000,
	);
});

describe('reading', () => {
	it('refuses a FIFO at once instead of waiting for a writer', async () => {
		const dir = tempDir('fifo');
		execFileSync('mkfifo', [path.join(dir, 'x.json')]);
		await expect(readTextFile(path.join(dir, 'x.json'), 1024)).rejects.toThrow(/named pipe \(FIFO\), not a regular file/);
		await expect(scanFile(path.join(dir, 'x.json'), () => {})).rejects.toThrow(/named pipe/);
	});

	it('refuses a link to a device and a file over the size bound', async () => {
		const dir = tempDir('bounded');
		symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
		await expect(readTextFile(path.join(dir, 'zero.json'), 1024)).rejects.toThrow(/is a device/);
		writeFileSync(path.join(dir, 'big.json'), 'x'.repeat(2000));
		await expect(readTextFile(path.join(dir, 'big.json'), 1024)).rejects.toThrow(/2000 bytes, more than the 1024/);
		mkdirSync(path.join(dir, 'folder.json'));
		await expect(readTextFile(path.join(dir, 'folder.json'), 1024)).rejects.toThrow(/folder|regular/);
	});

	it('scans a file segment by segment with the line each starts on', async () => {
		const dir = tempDir('scan');
		writeFileSync(path.join(dir, 'f'), 'one\ntwo\nthree');
		const seen: Array<[string, number]> = [];
		await scanFile(path.join(dir, 'f'), (segment, line) => seen.push([segment, line]));
		expect(seen).toEqual([
			['one\ntwo\n', 1],
			['three', 3],
		]);
	});
});
