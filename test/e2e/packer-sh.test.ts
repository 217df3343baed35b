/**
 * packer.sh, the wrapper `make image` runs, with the real Packer and a real sshd.
 */
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {layTestKit, PROCEDURE_ENV, realTemplate, tempDir, TEST_KEYS, writeNullTemplate} from '../helpers/kit.js';
import {startSshd, type Sshd} from '../helpers/sshd.js';
import {runCli} from '../helpers/cli.js';
import {repin} from '../../source/core/plugin-pin.js';
import {missing, packerVersion, processesMentioning, titled} from '../helpers/tools.js';

type Run = {code: number | null; output: string};

/** Runs packer.sh in `kit`, collecting stdout and stderr in the order they arrive. */
function runPackerSh(
	kit: string,
	env: Record<string, string | undefined>,
	options: {onOutput?: (output: string, pid: number) => void} = {},
): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(path.join(kit, 'packer.sh'), [], {
			cwd: kit,
			env: {PATH: process.env['PATH'], HOME: process.env['HOME'], ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // its own process group, like a job in a terminal
		});
		let output = '';
		const collect = (chunk: Buffer) => {
			output += chunk.toString();
			options.onOutput?.(output, child.pid!);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.once('error', reject);
		child.once('close', code => resolve({code, output}));
	});
}


const bashOnly = missing({tools: ['bash']});

describe('packer.sh without Packer running', () => {
	it.skipIf(bashOnly)(titled('names each missing variable and exits non-zero', bashOnly), async () => {
		const kit = await layTestKit('vars');
		const {REGION_NAME: _region, ECS_NETWORK_ID: _network, ...partial} = PROCEDURE_ENV;
		const {code, output} = await runPackerSh(kit, partial);
		expect(code).not.toBe(0);
		expect(output).toContain('missing: REGION_NAME');
		expect(output).toContain('missing: ECS_NETWORK_ID (Network ID of the subnet');
		expect(output).not.toContain('missing: ECS_VPC_ID');
		expect(output).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
	});
});

const impostor = missing({tools: ['packer', '/usr/sbin/cracklib-packer']});

describe('packer.sh and an impostor packer', () => {
	it.skipIf(impostor)(titled("skips cracklib's packer, says so, and leaves none of its files", impostor), async () => {
		const kit = await layTestKit('impostor');
		const bin = tempDir('bin');
		symlinkSync('/usr/sbin/cracklib-packer', path.join(bin, 'packer'));
		const {output} = await runPackerSh(kit, {...PROCEDURE_ENV, PATH: `${bin}:${process.env['PATH']}`});
		expect(output).toContain(`skipping ${path.join(bin, 'packer')}: not HashiCorp Packer`);
		expect(output).toMatch(/using \/\S+\/packer \(Packer \d/);
		for (const dir of [kit, bin]) expect(readdirSync(dir).filter(f => f.startsWith('version.'))).toEqual([]);
		const chosen = await runPackerSh(kit, {...PROCEDURE_ENV, PACKER_BIN: path.join(bin, 'packer')});
		expect(chosen.code).not.toBe(0);
		expect(chosen.output).toContain('is not HashiCorp Packer');
	});
});

const packerOnly = missing({tools: ['packer']});

describe('packer.sh hands the plugin the IAM endpoint of the region', () => {
	/** A template Packer 1.6.6 runs without a cloud: a shell-local step prints what Packer's environment holds. */
	const printing = (kit: string, packerBlock = 'packer {\n  required_version = ">= 1.6.0"\n}') => {
		const file = path.join(kit, 'auth-url.pkr.hcl');
		writeFileSync(
			file,
			[
				packerBlock,
				'source "null" "auth" {',
				'  communicator = "none"',
				'}',
				'build {',
				'  sources = ["source.null.auth"]',
				'  provisioner "shell-local" {',
				`    inline = ["echo 'auth-url=['$HW_AUTH_URL']'"]`,
				'  }',
				'}',
				'',
			].join('\n'),
		);
		return file;
	};

	it.skipIf(packerOnly)(titled("eu-west-101 gets the EU IAM with /v3 for plugin 0.4.0; ap-southeast-1 none; the operator's own wins", packerOnly), async () => {
		const kit = await layTestKit('auth');
		const template = printing(kit);
		const eu = await runPackerSh(kit, {...PROCEDURE_ENV, REGION_NAME: 'eu-west-101', PACKER_TEMPLATE: template});
		expect(eu.code, eu.output).toBe(0);
		expect(eu.output).toContain('auth-url=[https://iam.eu-west-101.myhuaweicloud.eu/v3]');
		const asia = await runPackerSh(kit, {...PROCEDURE_ENV, PACKER_TEMPLATE: template});
		expect(asia.code, asia.output).toBe(0);
		expect(asia.output).toContain('auth-url=[]');
		const own = await runPackerSh(kit, {...PROCEDURE_ENV, REGION_NAME: 'eu-west-101', HW_AUTH_URL: 'https://iam.example.eu/v3', PACKER_TEMPLATE: template});
		expect(own.output).toContain('auth-url=[https://iam.example.eu/v3]');
		const otherCloud = await runPackerSh(kit, {...PROCEDURE_ENV, CCE_CLOUD: 'example-cloud.com', PACKER_TEMPLATE: template});
		expect(otherCloud.output).toContain('auth-url=[https://iam.ap-southeast-1.example-cloud.com/v3]');
	});

	it.skipIf(packerOnly)(titled('plugin 1.2.2 finds the EU IAM itself: no HW_AUTH_URL, and never one with /v3', packerOnly), async () => {
		const kit = await layTestKit('auth12');
		// Packer 1.6.6 refuses required_plugins, so only packer.sh's own decision can be seen here.
		const template = printing(kit, repin(realTemplate().slice(0, realTemplate().indexOf('\n}\n') + 3), '1.2.2'));
		const {output} = await runPackerSh(kit, {...PROCEDURE_ENV, REGION_NAME: 'eu-west-101', PACKER_TEMPLATE: template});
		expect(output).toContain('IAM endpoint: plugin 1.2.2 uses https://iam.eu-west-101.myhuaweicloud.eu itself');
		expect(output).not.toContain('HW_AUTH_URL=');
	});
});

const oldPacker = missing({
	tools: ['packer'],
	check: () => {
		const version = packerVersion();
		return version && version.localeCompare('1.7.2', undefined, {numeric: true}) < 0
			? ''
			: `needs a Packer older than 1.7.2 (Debian's 1.6.6), found ${version ?? 'none'}`;
	},
});

describe('packer.sh with the real template', () => {
	it.skipIf(oldPacker)(titled("shows Packer's own version error with Debian's packer 1.6.6", oldPacker), async () => {
		const kit = await layTestKit('old');
		const {code, output} = await runPackerSh(kit, PROCEDURE_ENV);
		expect(code).not.toBe(0);
		expect(output).toContain('Unsupported Packer Core version');
		expect(output).toContain('>= 1.7.2');
		const logs = readdirSync(path.join(kit, 'logs'));
		expect(logs).toHaveLength(1);
		expect(logs[0]).toMatch(/^packer_\d{14}\.log$/);
	});
});

const sshBuild = missing({tools: ['packer', 'ssh-keygen', '/usr/sbin/sshd'], root: true});

describe('packer.sh building over SSH to a real sshd (null builder)', () => {
	let sshd: Sshd;
	let sshdDir: string;
	beforeAll(async () => {
		if (sshBuild) return;
		sshdDir = tempDir('sshd');
		sshd = await startSshd(sshdDir);
	});
	afterAll(async () => {
		await sshd?.stop();
	});

	it.skipIf(sshBuild)(titled('uploads the user package, runs the user script, logs under logs/', sshBuild), async () => {
		const kit = await layTestKit('build');
		const template = writeNullTemplate(kit, sshd);
		const {code, output} = await runPackerSh(kit, {...PROCEDURE_ENV, PACKER_TEMPLATE: template});
		expect(output).toContain('Uploading');
		expect(code, output).toBe(0);
		// The script ran on the target and saw the uploaded file, byte for byte.
		const sha = createHash('sha256')
			.update(readFileSync(path.join(kit, 'user-packages', 'example.package')))
			.digest('hex');
		expect(output).toContain(`example.sh: sha256 ${sha}`);
		expect(output).toMatch(/Provisioning with shell script: .*00-prepare\.sh[\s\S]*example\.sh[\s\S]*99-finalize\.sh/);
		const logs = readdirSync(path.join(kit, 'logs'));
		expect(logs).toHaveLength(1);
		const log = readFileSync(path.join(kit, 'logs', logs[0]!), 'utf8');
		expect(log).toContain('example.sh: sha256');
		expect(log).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(log).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
	});

	it.skipIf(sshBuild)(titled('make image works from a sourced build.env plus the two keys', sshBuild), async () => {
		const kit = await layTestKit('buildenv');
		const template = writeNullTemplate(kit, sshd);
		const {IAM_ACCESS_KEY: _ak, IAM_SECRET_KEY: _sk, ...settings} = PROCEDURE_ENV;
		const written = runCli(['env'], {cwd: kit, env: {...settings, PKR_VAR_ecs_flavor: 's6.large.2', CCE_WIZARD_STATE_DIR: tempDir('state')}});
		expect(written.code, written.stderr).toBe(0);
		expect(readFileSync(path.join(kit, 'build.env'), 'utf8')).not.toMatch(/^export IAM_/m);
		// A fresh shell with nothing exported: source the file, add the keys, make image.
		const script = 'set -e; source build.env; export IAM_ACCESS_KEY="$1" IAM_SECRET_KEY="$2"; make --no-print-directory image';
		const run = spawnSync('bash', ['-c', script, 'bash', TEST_KEYS.IAM_ACCESS_KEY, TEST_KEYS.IAM_SECRET_KEY], {
			cwd: kit,
			env: {PATH: process.env['PATH'], HOME: process.env['HOME'], PACKER_TEMPLATE: template},
			encoding: 'utf8',
			timeout: 120_000,
		});
		expect(run.status, run.stdout + run.stderr).toBe(0);
		expect(run.stdout + run.stderr).toContain('example.sh: sha256');
	});

	it.skipIf(sshBuild)(
		titled('on SIGINT cancels through Packer and exits only after Packer has exited', sshBuild),
		async () => {
			const kit = await layTestKit('cancel');
			const pidFile = path.join(sshd.workDir, 'long-step.pid');
			writeFileSync(
				path.join(kit, 'user-scripts', '50-long.sh'),
				`#!/usr/bin/env bash\necho "long step started"\necho $$ > ${pidFile}\nexec sleep 120\n`,
				{mode: 0o755},
			);
			const template = writeNullTemplate(kit, sshd);
			let signalled = false;
			const {code, output} = await runPackerSh(
				kit,
				{...PROCEDURE_ENV, PACKER_TEMPLATE: template},
				{
					onOutput(text, pid) {
						if (!signalled && text.includes('long step started')) {
							signalled = true;
							process.kill(-pid, 'SIGINT'); // what Ctrl+C in a terminal does: the whole job
						}
					},
				},
			);
			try {
				process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
			} catch {}
			expect(signalled).toBe(true);
			expect(code).not.toBe(0);
			expect(output).toContain('asking Packer to cancel');
			expect(output).toMatch(/Cleanly cancel/);
			expect(output).toContain('cancelled; Packer exited');
			// No Packer of this build is left running once packer.sh has exited.
			expect(processesMentioning(kit)).toBe('');
			expect(existsSync(path.join(kit, 'logs'))).toBe(true);
		},
	);
});

it('the test kit derives from the real template', () => {
	expect(realTemplate()).toContain('source "huaweicloud-ecs" "turbo-node"');
});
