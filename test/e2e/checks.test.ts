/** The executor checks with real binaries: Debian's packer 1.6.6, cracklib's impostor, bash, shellcheck. */
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolveAnswers} from '../../source/core/answers.js';
import {runChecks, type CheckResult} from '../../source/core/checks/engine.js';
import {allChecks, localChecks} from '../../source/core/checks/index.js';
import {repinTemplate} from '../../source/core/kit.js';
import {runCli} from '../helpers/cli.js';
import {layTestKit, nullTemplate, PROCEDURE_ENV, tempDir, TEST_KEYS} from '../helpers/kit.js';
import type {Sshd} from '../helpers/sshd.js';
import {missing, packerVersion, titled, which} from '../helpers/tools.js';

async function check(ids: string[], workspace: string, env: Record<string, string | undefined>): Promise<Map<string, CheckResult>> {
	const all = localChecks();
	const wanted = new Set(ids);
	// The checks asked for, and what they depend on, transitively.
	for (let size = 0; size !== wanted.size; ) {
		size = wanted.size;
		for (const c of all) if (wanted.has(c.id)) for (const d of c.dependsOn ?? []) wanted.add(d);
	}
	const results = await runChecks(all.filter(c => wanted.has(c.id)), {workspace, env, answers: resolveAnswers({env})});
	return new Map(results.map(r => [r.id, r]));
}

const baseEnv = () => ({PATH: process.env['PATH'], HOME: tempDir('home')});
const fakeSshd: Sshd = {port: 22, user: 'root', privateKey: '/dev/null', imageRoot: '/nonexistent', workDir: '/nonexistent', stop: async () => {}};

const oldPacker = missing({
	tools: ['packer'],
	check: () => (packerVersion() === '1.6.6' ? '' : `needs Debian's packer 1.6.6, found ${packerVersion() ?? 'none'}`),
});
const impostor = missing({tools: ['packer', '/usr/sbin/cracklib-packer']});

describe('Packer checks', () => {
	it.skipIf(oldPacker)(titled("Debian's 1.6.6 fails the real template's version, naming 1.6.6 and 1.7.2", oldPacker), async () => {
		const kit = await layTestKit('chk');
		const results = await check(['template.syntax'], kit, baseEnv());
		expect(results.get('packer.binary')).toMatchObject({status: 'pass', detail: `Packer 1.6.6 at ${which('packer')}`});
		const version = results.get('packer.version')!;
		expect(version.status).toBe('fail');
		expect(version.detail).toContain('1.6.6');
		expect(version.detail).toContain('>= 1.7.2');
		expect(version.fix).toContain('yum-config-manager --add-repo https://rpm.releases.hashicorp.com/RHEL/hashicorp.repo');
		expect(version.fix).toContain('apt.releases.hashicorp.com');
		expect(results.get('template.syntax')).toMatchObject({status: 'skip', detail: 'Packer 1.6.6 cannot read this template (it needs >= 1.7.2)'});
	});

	it.skipIf(oldPacker)(titled('the same binary passes a test template that asks for >= 1.6.0, and parses it', oldPacker), async () => {
		const kit = await layTestKit('chk');
		writeFileSync(path.join(kit, 'test.pkr.hcl'), nullTemplate(fakeSshd));
		const results = await check(['template.syntax'], kit, {...baseEnv(), PACKER_TEMPLATE: 'test.pkr.hcl'});
		expect(results.get('packer.version')).toMatchObject({status: 'pass', detail: 'Packer 1.6.6 satisfies >= 1.6.0'});
		expect(results.get('template.syntax')).toMatchObject({status: 'pass'});
		// A broken template is reported with Packer's own words.
		writeFileSync(path.join(kit, 'test.pkr.hcl'), `${nullTemplate(fakeSshd)}\nbuild {\n`);
		const broken = await check(['template.syntax'], kit, {...baseEnv(), PACKER_TEMPLATE: 'test.pkr.hcl'});
		expect(broken.get('template.syntax')!.status).toBe('fail');
		expect(broken.get('template.syntax')!.detail).toMatch(/test\.pkr\.hcl: .*Unclosed configuration block|Error/);
	});

	it.skipIf(impostor)(titled("cracklib's packer is named as an impostor, and leaves no files behind", impostor), async () => {
		const kit = await layTestKit('chk');
		const bin = tempDir('bin');
		symlinkSync('/usr/sbin/cracklib-packer', path.join(bin, 'packer'));
		const alone = await check(['packer.binary'], kit, {...baseEnv(), PATH: bin});
		expect(alone.get('packer.binary')!.status).toBe('fail');
		expect(alone.get('packer.binary')!.detail).toContain(`only an impostor: ${path.join(bin, 'packer')} is not HashiCorp Packer`);
		expect(alone.get('packer.binary')!.detail).toContain('answered "0 0"');
		expect(alone.get('packer.binary')!.fix).toContain('PACKER_BIN');

		const first = await check(['packer.binary'], kit, {...baseEnv(), PATH: `${bin}:${path.dirname(which('packer')!)}`});
		expect(first.get('packer.binary')!.status).toBe('warn');
		expect(first.get('packer.binary')!.detail).toContain(`but ${path.join(bin, 'packer')} is not HashiCorp Packer`);
		expect(first.get('packer.binary')!.data).toMatchObject({path: which('packer')});

		const chosen = await check(['packer.binary'], kit, {...baseEnv(), PACKER_BIN: path.join(bin, 'packer')});
		expect(chosen.get('packer.binary')).toMatchObject({status: 'fail'});
		expect(chosen.get('packer.binary')!.detail).toContain('PACKER_BIN:');
		// cracklib writes <argument>.pwd/.pwi/.hwm into its current folder: never ours.
		for (const dir of [kit, process.cwd(), bin]) expect(readdirSync(dir).filter(f => f.startsWith('version.'))).toEqual([]);
	});

	it('no packer at all fails with the install instructions', async () => {
		const kit = await layTestKit('chk');
		const results = await check(['packer.version'], kit, {...baseEnv(), PATH: tempDir('empty-bin')});
		expect(results.get('packer.binary')).toMatchObject({status: 'fail', detail: 'no packer on PATH'});
		expect(results.get('packer.binary')!.fix).toContain('yum -y install packer');
		expect(results.get('packer.binary')!.fix).toContain('sudo apt install packer');
		expect(results.get('packer.version')!.status).toBe('skip');
	});
});

describe('plugin check', () => {
	const PLUGIN = 'packer-plugin-huaweicloud_v0.4.0_x5.0_linux_amd64';
	const NESTED = ['github.com', 'huaweicloud', 'huaweicloud'];
	const plant = (dir: string, name: string, withSum = true) => {
		mkdirSync(dir, {recursive: true});
		writeFileSync(path.join(dir, name), '#!/bin/sh\n');
		chmodSync(path.join(dir, name), 0o755);
		if (withSum) writeFileSync(path.join(dir, `${name}_SHA256SUM`), 'abc\n');
	};
	const layouts: Array<[string, (home: string) => {dir: string; env?: Record<string, string>}]> = [
		['~/.config/packer/plugins (packer init, 1.8+)', home => ({dir: path.join(home, '.config', 'packer', 'plugins', ...NESTED)})],
		['~/.packer.d/plugins (packer init, 1.7)', home => ({dir: path.join(home, '.packer.d', 'plugins', ...NESTED)})],
		['$XDG_CONFIG_HOME/packer/plugins', home => ({dir: path.join(home, 'xdg', 'packer', 'plugins', ...NESTED), env: {XDG_CONFIG_HOME: path.join(home, 'xdg')}})],
		['PACKER_PLUGIN_PATH', home => ({dir: path.join(home, 'custom', ...NESTED), env: {PACKER_PLUGIN_PATH: path.join(home, 'custom')}})],
	];

	for (const [name, layout] of layouts) {
		it(`finds 0.4.0 in ${name}`, async () => {
			const kit = await layTestKit('plug');
			const home = tempDir('home');
			const {dir, env} = layout(home);
			plant(dir, PLUGIN);
			const results = await check(['plugin.huaweicloud'], kit, {...baseEnv(), HOME: home, ...env});
			expect(results.get('plugin.huaweicloud')).toMatchObject({status: 'pass', detail: `0.4.0 at ${path.join(dir, PLUGIN)}`});
		});
	}

	it('finds nothing in an empty HOME and explains packer init and the offline route', async () => {
		const kit = await layTestKit('plug');
		const results = await check(['plugin.huaweicloud'], kit, {...baseEnv(), HOME: tempDir('home')});
		const plugin = results.get('plugin.huaweicloud')!;
		expect(plugin.status).toBe('warn');
		expect(plugin.detail).toContain('`packer init` will download it from GitHub');
		expect(plugin.fix).toContain('packer-plugin-huaweicloud_v0.4.0_x5.0_linux_amd64.zip');
		expect(plugin.fix).toContain('PACKER_SKIP_INIT=1');
	});

	it('does not take another version, or a flat binary of unknown version, for the pinned one', async () => {
		const kit = await layTestKit('plug');
		const home = tempDir('home');
		plant(path.join(home, '.config', 'packer', 'plugins', ...NESTED), 'packer-plugin-huaweicloud_v1.2.1_x5.0_linux_amd64');
		plant(path.join(home, '.packer.d', 'plugins'), 'packer-plugin-huaweicloud', false);
		const results = await check(['plugin.huaweicloud'], kit, {...baseEnv(), HOME: home});
		const plugin = results.get('plugin.huaweicloud')!;
		expect(plugin.status).toBe('warn');
		expect(plugin.detail).toContain('the template pins = 0.4.0; found only 1.2.1 (hierarchical)');
		expect(plugin.detail).toContain('unknown version (flat)');
	});

	it('explains both pins in two lines and offers the other one; the correction changes only the version line', async () => {
		const kit = await layTestKit('plug');
		const home = tempDir('home');
		plant(path.join(home, '.config', 'packer', 'plugins', ...NESTED), PLUGIN);
		plant(path.join(home, '.config', 'packer', 'plugins', ...NESTED), 'packer-plugin-huaweicloud_v1.2.2_x5.0_linux_amd64');
		const plugin = (await check(['plugin.huaweicloud'], kit, {...baseEnv(), HOME: home})).get('plugin.huaweicloud')!;
		expect(plugin.status).toBe('pass');
		expect(plugin.findings?.map(f => f.message)).toEqual([
			expect.stringMatching(/^\(pinned\) 0\.4\.0: the procedure's pin; builds through native OpenStack APIs/),
			expect.stringMatching(/^1\.2\.2: maintained; current ECS\/VPC\/EIP APIs, regional IAM, security tokens, image sharing/),
		]);
		expect(plugin.correction).toMatchObject({value: '1.2.2', applies: 'plugin-pin'});
		const template = path.join(kit, 'turbo-node.pkr.hcl');
		const before = readFileSync(template, 'utf8').split('\n');
		await repinTemplate(template, plugin.correction!.value);
		const after = readFileSync(template, 'utf8').split('\n');
		expect(after.flatMap((line, i) => (line === before[i] ? [] : [[i + 1, line]]))).toEqual([[plugin.findings![0]!.line, '      version = "= 1.2.2"']]);
		const again = (await check(['plugin.huaweicloud'], kit, {...baseEnv(), HOME: home})).get('plugin.huaweicloud')!;
		expect(again).toMatchObject({status: 'pass', detail: expect.stringContaining('1.2.2 at '), correction: {value: '0.4.0'}});
		expect(again.findings?.[1]?.message).toMatch(/^\(pinned\) 1\.2\.2/);
		const missingOne = (await check(['plugin.huaweicloud'], kit, {...baseEnv(), HOME: tempDir('home')})).get('plugin.huaweicloud')!;
		expect(missingOne.fix).toContain('packer-plugin-huaweicloud_v1.2.2_x5.0_linux_amd64.zip');
	});
});

const shellcheck = missing({tools: ['bash', 'shellcheck']});

describe('user script, kernel and secret checks', () => {
	it('reports a script without a shebang and a syntax error, with file and line', async () => {
		const kit = await layTestKit('scr');
		writeFileSync(path.join(kit, 'user-scripts', '10-noshebang.sh'), 'echo hi\n');
		writeFileSync(path.join(kit, 'user-scripts', '20-broken.sh'), '#!/bin/bash\nif true; then\n  echo x\nfi fi\n');
		writeFileSync(path.join(kit, 'user-scripts', 'notes.txt'), 'not a script\n');
		const result = (await check(['scripts.syntax'], kit, baseEnv())).get('scripts.syntax')!;
		expect(result.status).toBe('fail');
		expect(result.findings).toEqual([
			{file: 'user-scripts/10-noshebang.sh', line: 1, message: 'has no shebang (start it with #!/usr/bin/env bash)'},
			expect.objectContaining({file: 'user-scripts/20-broken.sh', line: 4}),
		]);
		expect(result.findings![1]!.message).toContain('syntax error');
	});

	it.skipIf(shellcheck)(titled('turns shellcheck findings into warnings', shellcheck), async () => {
		const kit = await layTestKit('scr');
		writeFileSync(path.join(kit, 'user-scripts', '30-lint.sh'), '#!/bin/bash\nfor f in $(ls /tmp); do echo $f; done\n');
		const result = (await check(['scripts.syntax'], kit, baseEnv())).get('scripts.syntax')!;
		expect(result.status).toBe('warn');
		expect(result.findings!.some(f => f.file === 'user-scripts/30-lint.sh' && f.line === 2 && /shellcheck (warning|error)/.test(f.message))).toBe(true);
	});

	it('the example kit passes the script, kernel and secret checks', async () => {
		const kit = await layTestKit('scr');
		const results = await check(['scripts.syntax', 'kernel.parameters', 'secrets.kit'], kit, {...baseEnv(), ...PROCEDURE_ENV});
		expect([...results.values()].map(r => [r.id, r.status])).toEqual([
			['scripts.syntax', 'pass'],
			['kernel.parameters', 'pass'],
			['secrets.kit', 'pass'],
		]);
	});

	it('warns about a kernel parameter set by a script or a shipped sysctl file', async () => {
		const kit = await layTestKit('krn');
		writeFileSync(path.join(kit, 'user-scripts', '40-tune.sh'), '#!/bin/bash\n# sysctl -w net.core.rmem_max=1 (comment)\nsysctl -w net.core.somaxconn=65535\nsysctl -p /tmp/99-tuning.conf\n');
		writeFileSync(path.join(kit, 'user-packages', '99-tuning.conf'), 'fs.inotify.max_user_watches = 1048576\n');
		const result = (await check(['kernel.parameters'], kit, baseEnv())).get('kernel.parameters')!;
		expect(result.status).toBe('warn');
		expect(result.findings).toEqual([
			{file: 'user-scripts/40-tune.sh', line: 3, message: 'net.core.somaxconn (sysctl -w)'},
			{file: 'user-scripts/40-tune.sh', line: 4, message: 'fs.inotify.max_user_watches (applies /tmp/99-tuning.conf, which sets it)'},
			{file: 'user-packages/99-tuning.conf', line: 1, message: 'fs.inotify.max_user_watches (sysctl file)'},
		]);
		expect(result.fix).toContain('test environment');
	});

	it('fails on a planted key, showing it masked with file and line', async () => {
		const kit = await layTestKit('sec');
		writeFileSync(path.join(kit, 'user-scripts', '50-leak.sh'), `#!/bin/bash\nexport HW_AK=${TEST_KEYS.IAM_ACCESS_KEY}\necho ok\ncurl -u x:${TEST_KEYS.IAM_SECRET_KEY} http://example.invalid\n`);
		const result = (await check(['secrets.kit'], kit, baseEnv())).get('secrets.kit')!;
		expect(result.status).toBe('fail');
		expect(result.findings).toEqual([
			{file: 'user-scripts/50-leak.sh', line: 2, message: `something that looks like an access key (****${TEST_KEYS.IAM_ACCESS_KEY.slice(-4)})`},
			{file: 'user-scripts/50-leak.sh', line: 4, message: `something that looks like a secret key (****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)})`},
		]);
		expect(JSON.stringify(result)).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(JSON.stringify(result)).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
	});
});

describe('cce-image-wizard check', () => {
	it('--json parses and carries every result; exit 1 when something failed', async () => {
		const kit = await layTestKit('json');
		const {code, stdout} = runCli(['check', '--json'], {cwd: kit, env: {HOME: tempDir('home'), CCE_WIZARD_STATE_DIR: tempDir('state')}});
		const report = JSON.parse(stdout);
		expect(report.results.map((r: {id: string}) => r.id).sort()).toEqual(allChecks({}).map(c => c.id).sort());
		for (const r of report.results) {
			expect(['pass', 'warn', 'fail', 'skip']).toContain(r.status);
			expect(typeof r.detail).toBe('string');
			if (r.status !== 'pass' && r.status !== 'skip') expect(r.fix, r.id).toBeTruthy();
			expect(r).not.toHaveProperty('data');
		}
		expect(report.ok).toBe(false); // no settings given
		expect(code).toBe(1);
		expect(report.summary.fail).toBeGreaterThan(0);
	});

	it('prints a readable list without colour when not on a terminal', async () => {
		const kit = await layTestKit('txt');
		const {stdout} = runCli(['check'], {cwd: kit, env: {...PROCEDURE_ENV, HOME: tempDir('home')}});
		expect(stdout).toContain('Executor\n  ✔ Linux on x86_64');
		expect(stdout).toMatch(/Checks: \d+ passed/);
		expect(stdout).not.toContain('\u001B[');
		expect(stdout).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(existsSync(path.join(kit, 'version.pwd'))).toBe(false);
		// With keys given, the cloud checks ran — against the tests' closed loopback endpoint.
		expect(stdout).toMatch(/Credentials and region: IAM: IAM did not answer: cannot reach 127\.0\.0\.1:9/);
	});
});
