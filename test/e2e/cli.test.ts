/** The command line skeleton, run as the built binary. */
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {COMMANDS} from '../../source/core/args.js';
import {listKit, packageRoot} from '../../source/core/kit.js';
import {runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/kit.js';

describe('cce-image-wizard', () => {
	it('--help lists every command the design names', () => {
		const {code, stdout} = runCli(['--help']);
		expect(code).toBe(0);
		for (const command of ['check', 'build', 'cleanup', 'presets', 'init']) {
			expect(Object.keys(COMMANDS)).toContain(command);
			expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
		}
	});

	it('--version prints the package version', () => {
		const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {version: string};
		const {code, stdout} = runCli(['--version']);
		expect(code).toBe(0);
		expect(stdout.trim()).toBe(manifest.version);
	});

	it.each([
		[['frobnicate'], "unknown command 'frobnicate'"],
		[['--frobnicate'], "Unknown option '--frobnicate'"],
		[['check', '--preset'], "Option '-p, --preset <value>' argument missing"],
	])('%j exits 2 with a one-line hint', (args, message) => {
		const {code, stderr} = runCli(args);
		expect(code).toBe(2);
		expect(stderr).toContain(message);
		expect(stderr).toContain('--help');
		expect(stderr.trim().split('\n')).toHaveLength(1);
	});

	it('without a terminal the bare command says what to run instead and exits non-zero', () => {
		const {code, stderr} = runCli([]);
		expect(code).toBe(2);
		expect(stderr).toContain('--preset NAME --yes');
	});
});

describe('cce-image-wizard init', () => {
	it('lays the whole kit into an empty folder, packer.sh and the scripts executable', async () => {
		const dir = path.join(tempDir('init'), 'kit');
		const {code, stdout} = runCli(['init', dir]);
		expect(code).toBe(0);
		const files = await listKit();
		expect(files).toEqual(expect.arrayContaining(['turbo-node.pkr.hcl', 'packer.sh', 'scripts/00-prepare.sh', 'user-scripts/example.sh', 'user-packages/example.package', 'presets/README.md', 'Makefile']));
		for (const file of files) {
			expect(stdout).toContain(`created  ${file}`);
			expect(readFileSync(path.join(dir, file))).toEqual(readFileSync(path.join(packageRoot, file)));
		}
		for (const script of ['packer.sh', 'scripts/00-prepare.sh', 'scripts/99-finalize.sh', 'user-scripts/example.sh']) {
			expect(statSync(path.join(dir, script)).mode & 0o111, script).not.toBe(0);
		}
	});

	it('never overwrites a file that exists', () => {
		const dir = tempDir('init');
		writeFileSync(path.join(dir, 'packer.sh'), '# my own wrapper\n');
		const {code, stdout} = runCli(['init'], {cwd: dir});
		expect(code).toBe(0);
		expect(readFileSync(path.join(dir, 'packer.sh'), 'utf8')).toBe('# my own wrapper\n');
		expect(stdout).toContain('kept     packer.sh (exists; not overwritten)');
		expect(stdout).toContain('created  turbo-node.pkr.hcl');
		const again = runCli(['init'], {cwd: dir});
		expect(again.stdout).toContain('Nothing to do');
	});
});
