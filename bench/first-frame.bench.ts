/**
 * Time from starting `cce-image-wizard` in a terminal to its first frame, against the
 * smallest Ink app, in the same run. Both run under `script` (a real pseudo-terminal);
 * the clock stops when the frame's text appears.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {bench, describe} from 'vitest';
import {packageRoot} from '../source/core/kit.js';

const empty = mkdtempSync(path.join(os.tmpdir(), 'cce-first-frame-'));

function timeToText(command: string, text: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn('script', ['-qfc', `stty cols 100 rows 30; ${command}`, '/dev/null'], {
			cwd: empty,
			env: {...process.env, CI: undefined, CCE_WIZARD_STATE_DIR: path.join(empty, 'state'), TERM: 'xterm-256color'},
			stdio: ['pipe', 'pipe', 'ignore'],
		});
		let output = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no frame within 10 s: ${output}`));
		}, 10_000);
		child.stdout.on('data', chunk => {
			output += String(chunk);
			// eslint-disable-next-line no-control-regex
			if (output.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').includes(text)) {
				const took = performance.now() - started;
				clearTimeout(timer);
				child.kill('SIGKILL');
				resolve(took);
			}
		});
	});
}

describe('time to first frame', () => {
	bench('cce-image-wizard', async () => {
		await timeToText(`node ${path.join(packageRoot, 'dist', 'cli.js')}`, 'There is no builder kit');
	}, {iterations: 10, warmupIterations: 1});

	bench('baseline: a minimal Ink app', async () => {
		await timeToText(`node ${path.join(packageRoot, 'bench', 'fixtures', 'minimal-ink.mjs')}`, 'There is no builder kit');
	}, {iterations: 10, warmupIterations: 1});
});
