/**
 * CPU the progress panes use while Packer prints nothing (BENCH_IDLE_SECONDS, default 60),
 * against the same wait with nothing rendered, in the same run.
 */
import {Writable} from 'node:stream';
import {render} from 'ink';
import {createElement} from 'react';
import {bench, describe} from 'vitest';
import {plannedStages} from '../source/core/run/progress.js';
import {BuildSession} from '../source/core/run/session.js';
import {BuildScreen} from '../source/ui/build/BuildScreen.js';

const seconds = Number(process.env['BENCH_IDLE_SECONDS'] ?? 60);

/** A terminal-sized sink for Ink's output. */
function sink(): NodeJS.WriteStream {
	const stream = new Writable({write: (_chunk, _encoding, done) => done()}) as unknown as NodeJS.WriteStream;
	Object.assign(stream, {columns: 100, rows: 30, isTTY: true});
	return stream;
}

async function cpuDuring(run: () => Promise<void>): Promise<number> {
	const before = process.cpuUsage();
	await run();
	const used = process.cpuUsage(before);
	return (used.user + used.system) / 1000;
}

const wait = () => new Promise<void>(resolve => setTimeout(resolve, seconds * 1000));
const results: Record<string, number> = {};

describe(`${seconds} s of silence`, () => {
	bench(
		'panes rendered (spinner, clock)',
		async () => {
			const session = new BuildSession(plannedStages({uploads: [], userScripts: ['a.sh']}), t => t);
			session.push('1795600000,,ui,say,==> b: Waiting for SSH to become available...', 'stdout');
			const controls = {session, cancel() {}, forceStop() {}, packerLog: 'logs/packer.log'};
			const app = render(createElement(BuildScreen, {controls}), {stdout: sink(), patchConsole: false, exitOnCtrlC: false});
			results['panes'] = await cpuDuring(wait);
			app.unmount();
			console.log(`CPU over ${seconds} s: panes ${results['panes']?.toFixed(0)} ms (${((results['panes']! / (seconds * 1000)) * 100).toFixed(2)}% of one core)`);
		},
		{iterations: 1, warmupIterations: 0, time: 0},
	);

	bench(
		'baseline: the same wait, nothing rendered',
		async () => {
			results['idle'] = await cpuDuring(wait);
			console.log(`CPU over ${seconds} s: baseline ${results['idle']?.toFixed(0)} ms; panes/baseline ${((results['panes'] ?? 0) / Math.max(1, results['idle']!)).toFixed(1)}x`);
		},
		{iterations: 1, warmupIterations: 0, time: 0},
	);
});
