/** The command line skeleton, run as the built binary. */
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {COMMANDS} from '../../source/core/args.js';
import {listKit, packageRoot} from '../../source/core/kit.js';
import {spawnSync} from 'node:child_process';
import {pluginPin} from '../../source/core/plugin-pin.js';
import {runCli} from '../helpers/cli.js';
import {realTemplate, tempDir} from '../helpers/kit.js';
import {missing, titled} from '../helpers/tools.js';

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
		[['chek'], "unknown command 'chek' (did you mean check?)"],
		[['--frobnicate'], "Unknown option '--frobnicate'"],
		[['check', '--preset'], "Option '-p, --preset <value>' argument missing"],
	])('%j exits 2 with a one-line hint', (args, message) => {
		const {code, stderr} = runCli(args);
		expect(code).toBe(2);
		expect(stderr).toContain(message);
		expect(stderr).toContain('--help');
		expect(stderr.trim().split('\n')).toHaveLength(1);
	});

	it('an unknown --set key is a usage error too: exit 2', () => {
		const {code, stderr} = runCli(['check', '--set', 'flavour=c7.large.2']);
		expect(code).toBe(2);
		expect(stderr).toContain('flavour');
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

	const packer = missing({tools: ['packer']});
	it.skipIf(packer)(titled('--plugin 1.2.2 pins the template = 1.2.2, changing only that line, and packer fmt accepts it', packer), () => {
		const dir = tempDir('init');
		const {code, stdout} = runCli(['init', '--plugin', '1.2.2', dir]);
		expect(code).toBe(0);
		expect(stdout).toContain('created  turbo-node.pkr.hcl (huaweicloud plugin = 1.2.2)');
		const text = readFileSync(path.join(dir, 'turbo-node.pkr.hcl'), 'utf8');
		expect(pluginPin(text)).toMatchObject({constraint: '= 1.2.2', generation: 1});
		const before = realTemplate().split('\n');
		const changed = text.split('\n').flatMap((line, i) => (line === before[i] ? [] : [line]));
		expect(changed).toEqual(['      version = "= 1.2.2"']);
		const fmt = spawnSync('packer', ['fmt', '-check', 'turbo-node.pkr.hcl'], {cwd: dir, encoding: 'utf8', env: {...process.env, CHECKPOINT_DISABLE: '1'}});
		expect(fmt.status, fmt.stdout + fmt.stderr).toBe(0);
	});

	it('refuses a plugin version the kit does not support, naming both choices', () => {
		const {code, stderr} = runCli(['init', '--plugin', '1.2.0', tempDir('init')]);
		expect(code).toBe(2);
		expect(stderr).toContain("0.4.0: the procedure's pin");
		expect(stderr).toContain('1.2.2: maintained');
	});
});
