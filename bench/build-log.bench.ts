/**
 * The build output path at 1,000,000 lines: parse + redact + progress + bounded log pane
 * (BuildSession.push) against a plain line-splitting baseline, in the same run; and the
 * peak heap growth of each, printed after the run.
 */
import {afterAll, bench, describe} from 'vitest';
import {buildRedactor} from '../source/core/run/redact.js';
import {plannedStages} from '../source/core/run/progress.js';
import {BuildSession} from '../source/core/run/session.js';
import {TEST_KEYS} from '../test/helpers/kit.js';

const LINES = 1_000_000;
const lines: string[] = [];
for (let i = 0; i < LINES; i++) {
	lines.push(
		i % 1000 === 0
			? `17956${String(i).padStart(5, '0')},,ui,say,==> b: Provisioning with shell script: /kit/user-scripts/step-${i}.sh`
			: `17956${String(i).padStart(5, '0')},,ui,message,    b: compiling module ${i}%!(PACKER_COMMA) ${i % 7 === 0 ? `key ${TEST_KEYS.IAM_ACCESS_KEY}` : 'ok'}`,
	);
}

const peaks: Record<string, number> = {};
function measure(name: string, run: (sample: () => void) => void): void {
	global.gc?.();
	const start = process.memoryUsage().heapUsed;
	let peak = 0;
	run(() => {
		peak = Math.max(peak, process.memoryUsage().heapUsed - start);
	});
	peaks[name] = Math.max(peaks[name] ?? 0, peak);
}

afterAll(() => {
	const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
	console.log(`peak heap growth over ${LINES} lines: session ${mb(peaks['session'] ?? 0)}, baseline ${mb(peaks['baseline'] ?? 0)}`);
});

describe(`build output, ${LINES} lines`, () => {
	bench(
		'parse + redact + progress + log pane',
		() => {
			measure('session', sample => {
				const session = new BuildSession(plannedStages({uploads: [], userScripts: []}), buildRedactor({accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}));
				for (let i = 0; i < LINES; i++) {
					session.push(lines[i]!, 'stdout');
					if (i % 100_000 === 0) sample();
				}
				if (session.log.total !== LINES) throw new Error('lines lost');
			});
		},
		{iterations: 3, warmupIterations: 0},
	);

	bench(
		'baseline: split each line on commas',
		() => {
			measure('baseline', sample => {
				let fields = 0;
				for (let i = 0; i < LINES; i++) {
					fields += lines[i]!.split(',').length;
					if (i % 100_000 === 0) sample();
				}
				if (fields === 0) throw new Error('nothing split');
			});
		},
		{iterations: 3, warmupIterations: 0},
	);
});
