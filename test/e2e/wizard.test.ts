/**
 * The wizard in a real terminal (tmux, 100×30), driven like an operator: an empty folder,
 * the kit laid out, a new preset, typed answers (one typo), checks against the local Huawei
 * Cloud API server with a port-22 problem that gets fixed, review, a saved preset, a real
 * Packer 1.6.6 null build over SSH, the result; then a second run from the saved preset.
 */
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {State} from '../../source/core/state.js';
import {CLI} from '../helpers/cli.js';
import {nullTemplate, tempDir, TEST_KEYS} from '../helpers/kit.js';
import {filesContaining} from '../helpers/scan.js';
import {startSshd, type Sshd} from '../helpers/sshd.js';
import {openTerminal, type Terminal} from '../helpers/tmux.js';
import {missing, titled} from '../helpers/tools.js';
import {startCloudServer, type CloudServer} from '../fixtures/cloud/server.js';

const reason = missing({tools: ['packer', 'ssh-keygen', '/usr/sbin/sshd', 'tmux'], root: true});

/** Presses a key, then waits for the screen to show what should follow. */
async function press(terminal: Terminal, key: string, expected: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string> {
	terminal.send(key);
	return terminal.waitFor(expected, timeoutMs);
}

async function typeAndEnter(terminal: Terminal, text: string, expected: string | RegExp): Promise<string> {
	terminal.type(text);
	await terminal.waitFor(text.slice(-12));
	return press(terminal, 'Enter', expected);
}

/** The wizard's current cooked/raw state of the terminal, read with stty in the shell. */
async function terminalModes(terminal: Terminal): Promise<string[]> {
	terminal.type(`echo "MODE=$(stty -a | tr ' ' '\\n' | grep -x -E -- '-?(icanon|echo)' | paste -sd,)"`);
	terminal.send('Enter');
	const screen = await terminal.waitFor(/MODE=[-a-z]/);
	return /MODE=([-a-z,]+)/.exec(screen)![1]!.split(',').sort();
}

describe.skipIf(reason)(titled('the wizard, end to end in tmux', reason), () => {
	let sshd: Sshd;
	let cloud: CloudServer;
	let folder: string;
	let state: string;
	let env: Record<string, string>;

	beforeAll(async () => {
		sshd = await startSshd(tempDir('sshd'));
		cloud = await startCloudServer({scenario: 'no-port-22', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
		folder = path.join(tempDir('wizard'), 'image-build');
		mkdirSync(folder);
		state = tempDir('state');
		env = {...TEST_KEYS, ...cloud.env, PACKER_TEMPLATE: 'test-null.pkr.hcl', CCE_WIZARD_STATE_DIR: state, HOME: tempDir('home')};
	});
	afterAll(async () => {
		await sshd?.stop();
		await cloud?.close();
	});

	it('first run: empty folder → kit → new preset → answers → checks, fixed → review → saved preset → build → result', async () => {
		const terminal = openTerminal({columns: 100, rows: 30, env, cwd: folder});
		try {
			terminal.type(`node ${CLI}; echo "EXIT=$?"`);
			await press(terminal, 'Enter', 'There is no builder kit in');
			expect(terminal.screen()).toContain('+ turbo-node.pkr.hcl');
			await press(terminal, 'Enter', 'Which settings should this build use?');
			// The test template (null builder, SSH to the local sshd) beside the kit just laid out.
			writeFileSync(path.join(folder, 'test-null.pkr.hcl'), nullTemplate(sshd));

			await press(terminal, 'Enter', '1/8 Region');
			// Keys are exported, so the region, VPC, network and security group come as lists from the cloud.
			await terminal.waitFor('Type a value…');
			expect(terminal.screen()).toMatch(/❯ ap-southeast-1\n/);
			await press(terminal, 'Enter', '2/8 VPC ID');
			await terminal.waitFor('vpc-cce');
			await press(terminal, 'Enter', '3/8 Network ID');
			await terminal.waitFor('subnet-nodes');
			expect(terminal.screen()).toContain('Network ID 5b8c1e2f-7d4a-4c3b-8e9f-1a2b3c4d5e6f');
			await press(terminal, 'Enter', '4/8 Security group ID');
			await terminal.waitFor('sg-image-build');
			await press(terminal, 'Enter', '5/8 Source image ID');
			// A typo: one character short. Validation catches it before anything runs.
			await typeAndEnter(terminal, '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5', "'1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5' is not valid");
			terminal.type('f');
			await terminal.waitFor('0a1b2c3d4e5f');
			await press(terminal, 'Enter', '6/8 Availability zone');
			await terminal.waitFor('(any: the plugin picks one)');
			await press(terminal, 'Enter', '7/8 Flavor');
			await terminal.waitFor('c7.large.2  2 vCPUs');
			expect(terminal.screen()).not.toContain('kc1.large.2'); // Arm flavors are not offered
			await press(terminal, 'Enter', '8/8 Image name');
			await press(terminal, 'Enter', 'Access key (AK)');
			expect(terminal.screen()).toContain(`exported as ****${TEST_KEYS.IAM_ACCESS_KEY.slice(-4)}`);
			await press(terminal, 'Enter', 'Secret key (SK)');
			// The checks: port 22 is not open.
			await press(terminal, 'Enter', 'no inbound rule allows TCP 22', 120_000);
			await terminal.waitFor('Fix what failed, then r to run the checks again');
			// Fix it in the "console", then re-run.
			cloud.use('healthy');
			await press(terminal, 'r', 'All clear: Enter to review', 120_000);
			await press(terminal, 'Enter', 'Enter build · s save preset');
			expect(terminal.screen()).toMatch(/Source image ID\s+1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\s+prompt/);
			expect(terminal.screen()).toMatch(/Project ID\s+0a1b2c3d4e5f40718293a4b5c6d7e8f9\s+cloud/);
			// The environment Packer gets, in full below the settings (End scrolls to it), keys masked.
			await press(terminal, 'End', `IAM_SECRET_KEY=****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)}`);
			await press(terminal, 'Home', /Source image ID\s+1c2d3e4f/);
			await press(terminal, 's', 'Save as preset:');
			await typeAndEnter(terminal, 'ci', 'Saved presets/ci.json (no keys).');
			// Build.
			await press(terminal, 'Enter', 'Building image', 60_000);
			await terminal.waitFor('Image built in', 240_000);
			await press(terminal, 'Enter', 'Image ID:');
			expect(terminal.screen()).toMatch(/Image ID:\nNull\n/);
			// Then straight into the cleanup checklist.
			await press(terminal, 'Enter', 'After the build: cleanup checklist', 60_000);
			await terminal.waitFor('Delete the temporary access key: the key still works', 60_000);
			await press(terminal, 'q', /EXIT=0/);
			// Leaving with the key still live: one line says what is left and how to come back.
			const left = terminal.screen().replace(/\n/g, '');
			expect(left).toMatch(/cleanup items still open: .*the temporary access key \(still to delete\)/);
			expect(left).toContain(`Come back to them with: node ${CLI} cleanup`);
			expect(await terminalModes(terminal)).toEqual(['echo', 'icanon']);

			const preset = JSON.parse(readFileSync(path.join(folder, 'presets', 'ci.json'), 'utf8'));
			expect(preset.settings).toMatchObject({region_name: 'ap-southeast-1', source_image_id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', network_id: '5b8c1e2f-7d4a-4c3b-8e9f-1a2b3c4d5e6f'});
			const keys = [TEST_KEYS.IAM_SECRET_KEY, TEST_KEYS.IAM_ACCESS_KEY];
			for (const key of keys) expect(terminal.history()).not.toContain(key);
			expect(filesContaining([folder, state], keys)).toEqual([]);
		} finally {
			terminal.kill();
		}
	});

	it('second run: the saved preset goes straight to the checks; quitting restores the terminal', async () => {
		const terminal = openTerminal({columns: 100, rows: 30, env, cwd: folder});
		try {
			terminal.type(`node ${CLI}; echo "EXIT=$?"`);
			await press(terminal, 'Enter', 'Reuse the last one: ci');
			await press(terminal, 'Enter', 'All clear: Enter to review', 120_000);
			// Quit mid-flow: it asks first.
			await press(terminal, 'q', 'Quit the wizard? Nothing has been built. y/n');
			await press(terminal, 'n', screen => !screen.includes('Quit the wizard?'));
			expect(terminal.screen()).toContain('All clear: Enter to review');
			terminal.send('C-c');
			await terminal.waitFor('Quit the wizard?');
			await press(terminal, 'y', /EXIT=1/);
			expect(await terminalModes(terminal)).toEqual(['echo', 'icanon']);
			for (const key of [TEST_KEYS.IAM_SECRET_KEY, TEST_KEYS.IAM_ACCESS_KEY]) expect(terminal.history()).not.toContain(key);
		} finally {
			terminal.kill();
		}
	});

	it('--preset --yes at 80×24 goes straight through to the build: no optional question, no key confirmation, no stop at checks or review', async () => {
		const preset = JSON.parse(readFileSync(path.join(folder, 'presets', 'ci.json'), 'utf8'));
		const {ecs_az: _az, ecs_flavor: _flavor, image_name: _name, ...required} = preset.settings;
		writeFileSync(path.join(folder, 'presets', 'yes.json'), JSON.stringify({schemaVersion: 1, settings: required}, null, 2));
		const terminal = openTerminal({columns: 80, rows: 24, env, cwd: folder});
		try {
			terminal.type(`clear; node ${CLI} --preset yes --yes; echo "EXIT=$?"`);
			terminal.send('Enter');
			// No key pressed from here until the build has finished.
			await terminal.waitFor('Building image', 180_000);
			await terminal.waitFor('Image built in', 240_000);
			expect(terminal.history()).not.toContain('Access key (AK)');
			await press(terminal, 'Enter', 'Image ID:');
			await press(terminal, 'q', /EXIT=0/);
		} finally {
			terminal.kill();
		}
	});

	it('--preset --yes at 120×40 stops at the checks when one fails, and hands the keys back', async () => {
		cloud.use('no-port-22');
		const terminal = openTerminal({columns: 120, rows: 40, env, cwd: folder});
		try {
			terminal.type(`clear; node ${CLI} --preset yes --yes; echo "EXIT=$?"`);
			terminal.send('Enter');
			const stopped = await terminal.waitFor('Fix what failed, then r', 90_000);
			expect(stopped).toContain('no inbound rule allows TCP 22');
			expect(stopped).not.toContain('Building image');
			await press(terminal, 'Enter', 'Enter does not continue: 1 check failed');
			await press(terminal, 'q', 'Quit the wizard?');
			await press(terminal, 'y', /EXIT=1/);
		} finally {
			terminal.kill();
			cloud.use('healthy');
		}
	});

	it('says why a build cannot start (another holds the workspace), and stays', async () => {
		cloud.use('healthy');
		const holder = spawn('sleep', ['300']);
		const lock = new State(state).lockWorkspace(folder, holder.pid);
		const terminal = openTerminal({columns: 100, rows: 30, env, cwd: folder});
		try {
			terminal.type(`clear; node ${CLI} --preset ci --yes; echo "EXIT=$?"`);
			terminal.send('Enter');
			const screen = await terminal.waitFor('Not started: another build is running', 120_000);
			expect(screen.replace(/\s+/g, ' ')).toContain(`process ${holder.pid}`);
			expect(screen).not.toContain('EXIT=');
			await press(terminal, 'q', 'Quit the wizard?');
			await press(terminal, 'y', /EXIT=1/);
		} finally {
			terminal.kill();
			holder.kill();
			rmSync(lock.file, {force: true});
		}
	});

	it('fits an 80×24 terminal, follows a resize, and shows help on ?', async () => {
		const terminal = openTerminal({columns: 80, rows: 24, env, cwd: folder});
		try {
			terminal.type(`clear; node ${CLI} --preset ci; echo "EXIT=$?"`);
			await press(terminal, 'Enter', 'All clear: Enter to review', 120_000);
			const review = await press(terminal, 'Enter', 'Enter build');
			// Every line within 80 columns, the footer with the keys on screen.
			for (const line of review.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
			expect(review).toMatch(/Enter build · s save preset/);
			await press(terminal, '?', 'The wizard walks you from an empty executor');
			await press(terminal, 'Escape', screen => !screen.includes('The wizard walks you from'));
			execFileSync('tmux', ['resize-window', '-t', terminal.name, '-x', '120', '-y', '40']);
			// Wider: the whole step trail comes back on the first line.
			await terminal.waitFor(screen => screen.split('\n')[0]!.includes('Preset › Settings › Access keys › Checks › Review › Build'), 10_000);
			await press(terminal, 'q', 'Quit the wizard?');
			await press(terminal, 'y', /EXIT=1/);
		} finally {
			terminal.kill();
		}
	});

	it('killed with SIGKILL during a build: Packer runs on, the next start follows it to its end, then the checklist', async () => {
		const pidFile = path.join(sshd.workDir, 'long-step.pid');
		writeFileSync(path.join(folder, 'user-scripts', '50-long.sh'), `#!/usr/bin/env bash\necho "long step started"\necho $$ > ${pidFile}\nexec sleep 120\n`, {mode: 0o755});
		const terminal = openTerminal({columns: 100, rows: 30, env, cwd: folder});
		try {
			terminal.type(`node ${CLI} --preset ci; echo "EXIT=$?"`);
			await press(terminal, 'Enter', 'All clear: Enter to review', 120_000);
			await press(terminal, 'Enter', 'Enter build');
			await press(terminal, 'Enter', 'long step started', 180_000);
			const shell = execFileSync('tmux', ['display', '-p', '-t', terminal.name, '#{pane_pid}'], {encoding: 'utf8'}).trim();
			const wizard = execFileSync('pgrep', ['-P', shell, 'node'], {encoding: 'utf8'}).trim();
			process.kill(Number(wizard), 'SIGKILL');
			await terminal.waitFor(/EXIT=137/);
			// Packer was not killed with the wizard: the long step still runs.
			const step = Number(readFileSync(pidFile, 'utf8'));
			expect(() => process.kill(step, 0)).not.toThrow();
			terminal.type(`clear; node ${CLI}; echo "EXIT=$?"`);
			await press(terminal, 'Enter', 'is still running', 120_000);
			// Followed from its output, from the start; Ctrl+C cancels it as if it were the wizard's own.
			await press(terminal, 'f', 'long step started', 120_000);
			await press(terminal, 'C-c', 'Build cancelled', 180_000);
			await press(terminal, 'Enter', 'Enter cleanup checklist', 60_000);
			await press(terminal, 'Enter', 'After the build: cleanup checklist', 60_000);
			await terminal.waitFor('Release the executor', 120_000);
			await press(terminal, 'q', /EXIT=/);
		} finally {
			terminal.kill();
			try {
				execFileSync('pkill', ['-KILL', '-f', folder]);
			} catch {}
			try {
				process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
			} catch {}
			rmSync(path.join(folder, 'user-scripts', '50-long.sh'), {force: true});
		}
	});
});
