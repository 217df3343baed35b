/**
 * A real OpenSSH server on 127.0.0.1, run in the foreground (`sshd -D -e`; a daemonised
 * sshd resets connections on these machines), as the build target of test templates.
 * Sessions get CCE_IMAGE_ROOT and CCE_WORK_DIR pointing into a temporary folder, so the
 * kit's steps clean a fake image root and never the machine running the tests.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';

export type Sshd = {
	port: number;
	user: string;
	privateKey: string;
	/** The fake image root the kit's steps work on. */
	imageRoot: string;
	/** The kit's work folder on the "temporary ECS". */
	workDir: string;
	stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
	for (let attempt = 0; attempt < 100; attempt++) {
		if (child.exitCode !== null) throw new Error(`sshd exited: ${log()}`);
		const open = await new Promise<boolean>(resolve => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		await delay(50);
	}
	throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

export async function startSshd(dir: string): Promise<Sshd> {
	mkdirSync(dir, {recursive: true});
	const imageRoot = path.join(dir, 'image-root');
	const workDir = path.join(dir, 'work');
	mkdirSync(imageRoot, {recursive: true});
	const hostKey = path.join(dir, 'host_ed25519');
	const privateKey = path.join(dir, 'client_ed25519');
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', privateKey]);
	execFileSync('cp', [`${privateKey}.pub`, path.join(dir, 'authorized_keys')]);
	mkdirSync('/run/sshd', {recursive: true});
	const port = await freePort();
	const config = path.join(dir, 'sshd_config');
	writeFileSync(
		config,
		[
			`Port ${port}`,
			'ListenAddress 127.0.0.1',
			`HostKey ${hostKey}`,
			`PidFile ${path.join(dir, 'sshd.pid')}`,
			`AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
			'PermitRootLogin prohibit-password',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'UsePAM no',
			'StrictModes no',
			'Subsystem sftp internal-sftp',
			`SetEnv CCE_IMAGE_ROOT=${imageRoot} CCE_WORK_DIR=${workDir} CCE_ALLOW_UNSUPPORTED_OS=1`,
			'',
		].join('\n'),
	);
	let output = '';
	const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {stdio: ['ignore', 'pipe', 'pipe']});
	child.stdout.on('data', chunk => (output += String(chunk)));
	child.stderr.on('data', chunk => (output += String(chunk)));
	await waitForPort(port, child, () => output);
	return {
		port,
		user: os.userInfo().username,
		privateKey,
		imageRoot,
		workDir,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise(resolve => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}
