/**
 * CPU the progress panes use while Packer prints nothing (BENCH_IDLE_SECONDS, default 60),
 * against the same wait with nothing rendered, in the same run. Both run under `script` (a
 * real pseudo-terminal, as the first-frame benchmark does): without one, Ink shows "Raw mode
 * is not supported" instead of the panes. The frame measured is checked to be the panes.
 */
import {spawn} from 'node:child_process';
import path from 'node:path';
import {bench, describe} from 'vitest';
import {packageRoot} from '../source/core/kit.js';

const seconds = Number(process.env['BENCH_IDLE_SECONDS'] ?? 60);
const fixture = path.join(packageRoot, 'bench', 'fixtures', 'idle-panes.mjs');

/** Runs the fixture in a pseudo-terminal; its screen text (escapes removed) and the CPU it used. */
function inTerminal(mode: 'panes' | 'baseline'): Promise<{screen: string; cpuMs: number}> {
	return new Promise((resolve, reject) => {
		const child = spawn('script', ['-qfc', `stty cols 100 rows 30; node ${fixture} ${mode} ${seconds}`, '/dev/null'], {
			env: {...process.env, CI: undefined, TERM: 'xterm-256color'},
			stdio: ['pipe', 'pipe', 'ignore'],
		});
		let output = '';
		child.stdout.on('data', chunk => (output += String(chunk)));
		child.once('error', reject);
		child.once('close', () => {
			// eslint-disable-next-line no-control-regex
			const screen = output.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
			const cpu = /CPU_MS=([\d.]+)/.exec(screen);
			if (!cpu) return reject(new Error(`no CPU figure from the ${mode} run:\n${screen}`));
			resolve({screen, cpuMs: Number(cpu[1])});
		});
	});
}

const results: Record<string, number> = {};

describe(`${seconds} s of silence`, () => {
	bench(
		'panes rendered (spinner, clock)',
		async () => {
			const {screen, cpuMs} = await inTerminal('panes');
			// What was measured must be the panes, not an error screen.
			if (!screen.includes('Wait for SSH') || !screen.includes('Ctrl+C cancel') || /Raw mode is not supported|ERROR/.test(screen)) {
				throw new Error(`the measured frame is not the build panes:\n${screen.slice(-2000)}`);
			}
			results['panes'] = cpuMs;
			console.log(`CPU over ${seconds} s: panes ${cpuMs.toFixed(0)} ms (${((cpuMs / (seconds * 1000)) * 100).toFixed(2)}% of one core)`);
		},
		{iterations: 1, warmupIterations: 0, time: 0},
	);

	bench(
		'baseline: the same wait, nothing rendered',
		async () => {
			results['idle'] = (await inTerminal('baseline')).cpuMs;
			console.log(`CPU over ${seconds} s: baseline ${results['idle'].toFixed(0)} ms; panes/baseline ${((results['panes'] ?? 0) / Math.max(1, results['idle'])).toFixed(1)}x`);
		},
		{iterations: 1, warmupIterations: 0, time: 0},
	);
});
