/**
 * The kit's own steps (scripts/00-prepare.sh, scripts/99-finalize.sh), run for real
 * against a temporary image root, never against the machine running the tests.
 */
import {spawnSync} from 'node:child_process';
import {mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {packageRoot} from '../../source/core/kit.js';
import {tempDir} from '../helpers/kit.js';
import {missing, titled} from '../helpers/tools.js';

function runStep(script: string, env: Record<string, string>): {code: number | null; output: string} {
	const result = spawnSync('bash', [path.join(packageRoot, 'scripts', script)], {
		env: {PATH: process.env['PATH'], ...env},
		encoding: 'utf8',
	});
	return {code: result.status, output: result.stdout + result.stderr};
}

/** Every file and folder under `dir`, relative, sorted. */
function tree(dir: string, prefix = ''): string[] {
	return readdirSync(path.join(dir, prefix), {withFileTypes: true})
		.flatMap(entry => {
			const relative = path.join(prefix, entry.name);
			return entry.isDirectory() ? [`${relative}/`, ...tree(dir, relative)] : [relative];
		})
		.sort();
}

function plant(root: string, files: string[]): void {
	for (const file of files) {
		mkdirSync(path.dirname(path.join(root, file)), {recursive: true});
		writeFileSync(path.join(root, file), `content of ${file}\n`);
	}
}

describe('99-finalize.sh cleans an image root', () => {
	it('removes what it should and nothing else', () => {
		const root = tempDir('root');
		const work = tempDir('work');
		const removed = [
			'tmp/example.package',
			'tmp/nested/dir/file',
			'var/tmp/scratch',
			'root/.bash_history',
			'home/linux/.bash_history',
			'home/paas/.zsh_history',
			'var/cache/yum/x86_64/7/base/repomd.xml',
			'var/cache/dnf/metadata.solv',
			'var/cache/apt/archives/curl_8.0_amd64.deb',
			'var/lib/cloud/instances/i-1234/user-data.txt',
			'var/lib/cloud/data/instance-id',
			'var/lib/cloud/sem/config_scripts_user',
			'var/lib/dbus/machine-id',
			'etc/ssh/ssh_host_rsa_key',
			'etc/ssh/ssh_host_rsa_key.pub',
			'etc/ssh/ssh_host_ed25519_key',
		];
		const kept = [
			'etc/ssh/sshd_config',
			'etc/hostname',
			'root/.bashrc',
			'home/linux/.profile',
			'var/cache/apt/archives/lock',
			'var/lib/cloud/scripts/per-boot/keep.sh',
			'var/log/messages',
			'opt/agent/bin/agent',
			'usr/lib/tmp/not-the-tmp-folder',
		];
		plant(root, [...removed, ...kept]);
		writeFileSync(path.join(root, 'etc/machine-id'), '0123456789abcdef0123456789abcdef\n');
		symlinkSync('/var/lib/cloud/instances/i-1234', path.join(root, 'var/lib/cloud/instance'));

		const {code, output} = runStep('99-finalize.sh', {CCE_IMAGE_ROOT: root, CCE_WORK_DIR: work});
		expect(code, output).toBe(0);

		const after = tree(root);
		for (const file of removed) expect(after, file).not.toContain(file);
		expect(after).not.toContain('var/lib/cloud/instance');
		for (const file of kept) expect(readFileSync(path.join(root, file), 'utf8')).toBe(`content of ${file}\n`);
		// Emptied, not removed: the folders stay, machine-id stays as an empty file.
		for (const folder of ['tmp/', 'var/tmp/', 'var/cache/yum/', 'var/cache/dnf/', 'etc/ssh/']) expect(after).toContain(folder);
		expect(statSync(path.join(root, 'etc/machine-id')).size).toBe(0);
		expect(output).toContain('no kernel-parameter record');
	});

	it('refuses an image root that does not exist', () => {
		const {code, output} = runStep('99-finalize.sh', {CCE_IMAGE_ROOT: '/nonexistent/cce-root', CCE_WORK_DIR: tempDir('w')});
		expect(code).not.toBe(0);
		expect(output).toContain('is not a directory');
	});

	it('keeps the provisioning log in /var/log only when asked', () => {
		for (const upload of ['0', '1']) {
			const root = tempDir('root');
			const work = tempDir('work');
			writeFileSync(path.join(work, 'build.log'), 'step output\n');
			const {code} = runStep('99-finalize.sh', {CCE_IMAGE_ROOT: root, CCE_WORK_DIR: work, CCE_UPLOAD_BUILD_LOG: upload});
			expect(code).toBe(0);
			expect(tree(root).includes('var/log/cce-image-build.log')).toBe(upload === '1');
		}
	});
});

const asRoot = missing({root: true});

describe('00-prepare.sh and 99-finalize.sh together', () => {
	const osRelease = (id: string, version: string) => `ID=${id}\nVERSION="${version}"\nPRETTY_NAME="${id} ${version}"\n`;

	it.skipIf(asRoot)(titled('accept the CCE node systems and refuse others', asRoot), () => {
		const cases: Array<[string, string, boolean]> = [
			['ubuntu', '22.04.3 LTS (Jammy Jellyfish)', true],
			['ubuntu', '18.04.6 LTS (Bionic Beaver)', true],
			['hce', '2.0', true],
			['euleros', '2.0 (SP9x86_64)', true],
			['ubuntu', '20.04.6 LTS (Focal Fossa)', false],
			['debian', '12 (bookworm)', false],
			['centos', '7 (Core)', true], // with centos-release 7.6 below
		];
		for (const [id, version, supported] of cases) {
			const root = tempDir('os');
			plant(root, []);
			mkdirSync(path.join(root, 'etc'), {recursive: true});
			writeFileSync(path.join(root, 'etc/os-release'), osRelease(id, version));
			writeFileSync(path.join(root, 'etc/centos-release'), 'CentOS Linux release 7.6.1810 (Core)\n');
			const {code, output} = runStep('00-prepare.sh', {CCE_IMAGE_ROOT: root, CCE_WORK_DIR: tempDir('work')});
			expect(code === 0, `${id} ${version}: ${output}`).toBe(supported);
			if (!supported) expect(output).toContain('is not a CCE node OS');
		}
	});

	it.skipIf(asRoot)(titled('warn loudly about a watched kernel parameter a user script set', asRoot), () => {
		const root = tempDir('root');
		const work = tempDir('work');
		plant(root, ['etc/sysctl.d/10-keep.conf']);
		writeFileSync(path.join(root, 'etc/sysctl.conf'), 'vm.swappiness = 10\n');
		const env = {CCE_IMAGE_ROOT: root, CCE_WORK_DIR: work, CCE_ALLOW_UNSUPPORTED_OS: '1'};
		expect(runStep('00-prepare.sh', env).code).toBe(0);
		// What a user script would do: persist two watched parameters and one harmless one.
		writeFileSync(
			path.join(root, 'etc/sysctl.d/90-tuning.conf'),
			'# net.core.rmem_max = 1 is only a comment\nnet.core.somaxconn = 65535\nfs/inotify/max_user_watches=1048576\nvm.max_map_count = 262144\n',
		);
		const {code, output} = runStep('99-finalize.sh', env);
		expect(code, output).toBe(0);
		expect(output).toContain('WARNING: kernel parameter net.core.somaxconn was changed');
		expect(output).toContain('WARNING: kernel parameter fs.inotify.max_user_watches was changed');
		expect(output).toContain('after:  net.core.somaxconn=65535 /etc/sysctl.d/90-tuning.conf');
		expect(output).not.toContain('net.core.rmem_max was changed');
		expect(output).not.toContain('max_map_count');
		expect(output.match(/WARNING: kernel parameter/g)).toHaveLength(2);
	});

	it.skipIf(asRoot)(titled('stay quiet when no watched parameter changed', asRoot), () => {
		const env = {CCE_IMAGE_ROOT: tempDir('root'), CCE_WORK_DIR: tempDir('work'), CCE_ALLOW_UNSUPPORTED_OS: '1'};
		expect(runStep('00-prepare.sh', env).code).toBe(0);
		const {output} = runStep('99-finalize.sh', env);
		expect(output).toContain('none of the watched ones changed');
		expect(output).not.toContain('WARNING');
	});
});
