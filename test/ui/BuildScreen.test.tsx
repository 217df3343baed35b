import {readFileSync} from 'node:fs';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {describe, expect, it, vi} from 'vitest';
import {plannedStages} from '../../source/core/run/progress.js';
import {BuildSession} from '../../source/core/run/session.js';
import {packageRoot} from '../../source/core/kit.js';
import {BuildScreen} from '../../source/ui/build/BuildScreen.js';
import {frameShowing} from '../helpers/ink.js';

const lines = readFileSync(path.join(packageRoot, 'test', 'fixtures', 'transcripts', 'ecs-success.txt'), 'utf8').trimEnd().split('\n');

function screen(upTo: number) {
	const session = new BuildSession(plannedStages({uploads: ['example.package'], userScripts: ['example.sh']}), t => t);
	for (const line of lines.slice(0, upTo)) session.push(line, 'stdout');
	const controls = {session, cancel: vi.fn(() => session.setPhase('cancelling')), forceStop: vi.fn(() => session.setPhase('forcing')), packerLog: 'logs/packer_1.log'};
	return {session, controls, ...render(<BuildScreen controls={controls} />)};
}

describe('BuildScreen', () => {
	it('shows the stages, what exists in the account, the log and the keys', async () => {
		const upTo = lines.findIndex(l => l.includes('Connected to SSH')) + 1;
		const {lastFrame, unmount} = screen(upTo);
		const frame = await frameShowing(lastFrame, 'Connected to SSH!');
		expect(frame).toMatch(/… \d earlier\n/);
		expect(frame).toMatch(/✔ Elastic IP \d+s\n/);
		expect(frame).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Wait for SSH/);
		expect(frame).toMatch(/· Run example\.sh/);
		expect(frame).toContain('In your account now:');
		for (const entry of ['keypair packer_6561c6f1-8a1e-4bd5-07f3-3c2a9b1d4e5f', 'volume 8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d (packer_', 'server 3f2e1d0c-9b8a-4765-8432-1f0e9d8c7b6a', 'eip e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9 [203.0.113.25]']) {
			expect(frame).toContain(entry);
		}
		expect(frame).toContain('==> Connected to SSH!');
		expect(frame).toContain('Ctrl+C cancel · l full log');
		unmount();
	});

	it('Ctrl+C cancels, a second warns about billable resources, a third forces', async () => {
		const {controls, stdin, lastFrame, unmount} = screen(20);
		await frameShowing(lastFrame, 'Ctrl+C cancel');
		stdin.write('\u0003');
		await frameShowing(lastFrame, 'Cancelling — Packer is deleting the temporary resources');
		expect(controls.cancel).toHaveBeenCalledTimes(1);
		stdin.write('\u0003');
		await frameShowing(lastFrame, 'Quitting now can leave billable resources behind');
		expect(controls.forceStop).not.toHaveBeenCalled();
		stdin.write('\u0003');
		await frameShowing(lastFrame, 'Stopping Packer at once');
		expect(controls.forceStop).toHaveBeenCalledTimes(1);
		unmount();
	});

	it('l toggles the full log, and the frame never grows taller than the terminal', async () => {
		const {stdin, lastFrame, unmount, session} = screen(lines.length);
		for (let i = 0; i < 500; i++) session.push(`1795600400,,ui,message,    b: noise ${i}`, 'stdout');
		expect((await frameShowing(lastFrame, 'noise 499')).split('\n').length).toBeLessThan(24);
		stdin.write('l');
		const full = await frameShowing(lastFrame, frame => !frame.includes('Wait for image'));
		expect(full).not.toContain('Availability zone');
		expect(full).toContain('noise 499');
		expect(full.split('\n').length).toBeLessThan(24);
		unmount();
	});

	it('the full log scrolls: PgUp, ↑↓, Home, End; what is read stays put while lines arrive', async () => {
		const {stdin, lastFrame, unmount, session} = screen(lines.length);
		for (let i = 0; i < 300; i++) session.push(`1795600400,,ui,message,    b: noise ${i}`, 'stdout');
		await frameShowing(lastFrame, 'noise 299');
		stdin.write('l');
		await frameShowing(lastFrame, 'following');
		stdin.write('\u001B[5~'); // PgUp
		const up = await frameShowing(lastFrame, /\d+ newer below \(End follows\)/);
		expect(up).not.toContain('noise 299');
		const firstShown = /noise (\d+)/.exec(up)![1];
		// New lines do not move what is being read.
		session.push('1795600400,,ui,message,    b: noise 300', 'stdout');
		await frameShowing(lastFrame, frame => /(\d+) newer below/.exec(frame)?.[1] !== /(\d+) newer below/.exec(up)?.[1]);
		expect(/noise (\d+)/.exec(lastFrame()!)![1]).toBe(firstShown);
		stdin.write('\u001B[A'); // ↑ one more line
		await frameShowing(lastFrame, `noise ${Number(firstShown) - 1}`);
		stdin.write('\u001B[H'); // Home: the oldest line kept
		await frameShowing(lastFrame, frame => !frame.includes('noise 2'));
		stdin.write('\u001B[F'); // End: follow again
		const end = await frameShowing(lastFrame, 'following');
		expect(end).toContain('noise 300');
		expect(end.split('\n').length).toBeLessThan(24);
		unmount();
	});

	it('shows the result when the build has ended', async () => {
		const {session, lastFrame, unmount} = screen(lines.length);
		session.finish('success', {exitCode: 0, packerLog: 'logs/packer_1.log', wizardLog: 'logs/wizard_1.log'});
		await frameShowing(lastFrame, 'Image built in');
		expect(lastFrame()).toContain('4b3a2918-0716-4f5e-8d4c-3b2a19081726 (cce-custom-20261125100000)');
		unmount();
	});
});
