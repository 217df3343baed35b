#!/usr/bin/env node
// Runs the end-to-end test files with the cores oversubscribed: one CPU burner per core
// beside them, as on a busy CI machine or a shared executor. Usage: make test-load
// (or node tools/test-load.mjs [vitest filters]). The burners stop with this script, and
// by themselves if it dies: each checks that its parent is still there.
import {spawn} from 'node:child_process';
import os from 'node:os';

const cores = os.availableParallelism();
const parent = process.pid;
const burnerCode = `
	const parent = ${parent};
	const end = Date.now() + 2 * 60 * 60 * 1000;
	for (let i = 0; ; i++) {
		if (i % 5e6 === 0 && (process.ppid !== parent || Date.now() > end)) process.exit(0);
	}
`;
const burners = Array.from({length: cores}, () => spawn(process.execPath, ['-e', burnerCode], {stdio: 'ignore'}));
const stopBurners = () => {
	for (const burner of burners) {
		try {
			burner.kill('SIGKILL');
		} catch {}
	}
};
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {
	stopBurners();
	process.exit(130);
});

console.log(`test-load: ${cores} CPU burner(s) on ${cores} core(s), then the end-to-end tests`);
const filters = process.argv.slice(2);
const tests = spawn('npx', ['vitest', 'run', ...(filters.length > 0 ? filters : ['test/e2e'])], {stdio: 'inherit'});
tests.on('exit', (code, signal) => {
	stopBurners();
	process.exitCode = code ?? (signal ? 1 : 0);
});
