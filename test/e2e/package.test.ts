/**
 * The published package: `npm pack`, then `npx ./cce-image-wizard-<v>.tgz` from an empty
 * folder, as an operator on a fresh executor would run it.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {listKit, packageRoot} from '../../source/core/kit.js';
import {tempDir} from '../helpers/kit.js';

describe('npm pack', () => {
	let folder: string;
	let tarball: string;
	let packed: string[];

	beforeAll(() => {
		// The operator's folder: empty but for the tarball.
		const destination = (folder = tempDir('npx'));
		const [report] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {cwd: packageRoot, encoding: 'utf8'}),
		) as Array<{filename: string; files: Array<{path: string}>}>;
		tarball = report!.filename;
		packed = report!.files.map(file => file.path);
	});

	it('ships the kit and the built CLI, and no tests or sources', async () => {
		for (const file of await listKit()) expect(packed, file).toContain(file);
		expect(packed).toContain('dist/cli.js');
		expect(packed.filter(file => file.startsWith('test/') || file.startsWith('source/'))).toEqual([]);
		expect(packed.filter(file => file.startsWith('logs/') || file.endsWith('.env'))).toEqual([]);
	});

	it('runs with npx from an empty folder: --help, then init', () => {
		const empty = folder;
		const npx = (...args: string[]) =>
			execFileSync('npx', ['--yes', `./${tarball}`, ...args], {cwd: empty, encoding: 'utf8', timeout: 180_000});
		expect(npx('--help')).toContain('Commands');
		const init = npx('init');
		expect(init).toContain('created  turbo-node.pkr.hcl');
		// The hint names the command that started it: the tarball, not the unpublished package name.
		expect(init).toContain(`then run \`npx ${path.join(empty, tarball)}\` in ${empty}.`);
		expect(readFileSync(path.join(empty, 'packer.sh'), 'utf8')).toBe(readFileSync(path.join(packageRoot, 'packer.sh'), 'utf8'));
		expect(existsSync(path.join(empty, 'user-scripts', 'example.sh'))).toBe(true);
	});
});
