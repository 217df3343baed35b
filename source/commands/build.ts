/**
 * `build [--preset NAME ...] --yes [--json]`: every check, then the build, without prompts;
 * several presets are built one after another, with one summary at the end.
 * On a terminal the progress panes show it; otherwise plain lines (or JSON events, one
 * per line) report stage changes, errors and what exists in the account.
 */
import {problems} from '../core/answers.js';
import type {Options} from '../core/args.js';
import {launchBuild} from '../core/run/launch.js';
import {checkForBuild} from '../core/run/prepare.js';
import {credentialLines, followSession, plainLine, resultLines, type BuildReportEvent} from '../core/run/report.js';
import {interruptBuild, type BuildResult} from '../core/run/session.js';
import {leftRunningLines, onStopSignals, waitForEnd} from '../core/run/signals.js';
import {formatResults, resultsJson} from '../core/checks/report.js';
import {settleEndedBuilds} from '../core/run/recover.js';
import {State} from '../core/state.js';
import {resolveFor} from './context.js';
import {EXIT, type Io} from './io.js';

/** How one preset's build ended, for the summary of `build --preset a --preset b`. */
export type BuildSummary = {preset?: string; build?: string; outcome: 'success' | 'failed' | 'cancelled' | 'not built'; imageId?: string; images?: BuildResult['images']; errors: string[]};

/** `build --preset a --preset b ...`: each preset's checks and build in turn, then one summary. */
export async function runBuild(io: Io, args: string[], options: Options, env = process.env, tty = Boolean(process.stdout.isTTY && process.stdin.isTTY)): Promise<number> {
	const names = options.presets ?? [];
	if (names.length <= 1) return runOneBuild(io, args, options, env, tty);
	if (args.length > 0 || !options.yes) return runOneBuild(io, args, options, env, tty); // says what is wrong
	const summaries: BuildSummary[] = [];
	for (const [index, name] of names.entries()) {
		if (!options.json) io.out(`\n=== Preset ${name} (${index + 1} of ${names.length}) ===`);
		// In JSON every event names its preset.
		const tagged: Io = options.json ? {...io, out: line => io.out(JSON.stringify({preset: name, ...(JSON.parse(line) as object)}))} : io;
		let summary: BuildSummary = {preset: name, outcome: 'not built', errors: []};
		try {
			await runOneBuild(tagged, [], {...options, preset: name, presets: [name]}, env, tty, s => (summary = {...s, preset: name}));
		} catch (error) {
			// A preset that cannot be read stops only itself.
			summary = {preset: name, outcome: 'not built', errors: [error instanceof Error ? error.message : String(error)]};
			if (!options.json) io.err(`cce-image-wizard: ${summary.errors[0]}`);
		}
		summaries.push(summary);
		if (summary.outcome === 'cancelled') break; // the operator stopped: not the next one either
	}
	for (const name of names.slice(summaries.length)) summaries.push({preset: name, outcome: 'not built', errors: ['not started: an earlier build was cancelled']});
	if (options.json) io.out(JSON.stringify({type: 'summary', builds: summaries}));
	else for (const line of summaryLines(summaries)) io.out(line);
	return summaries.every(s => s.outcome === 'success' && s.errors.length === 0) ? EXIT.ok : EXIT.failed;
}

export function summaryLines(summaries: BuildSummary[]): string[] {
	const width = Math.max(...summaries.map(s => (s.preset ?? '').length));
	const lines = ['', `Summary of ${summaries.length} builds:`];
	for (const s of summaries) {
		const ok = s.outcome === 'success' && s.errors.length === 0;
		const images = (s.images ?? []).filter(i => i.status === 'active').map(i => `${i.region} ${i.id}`);
		const made = images.length > 0 ? images.join(', ') : s.imageId ?? '';
		lines.push(`  ${ok ? '✔' : '✖'} ${(s.preset ?? '').padEnd(width)}  ${s.outcome}${made ? `: ${made}` : ''}${s.build ? ` (build ${s.build})` : ''}`);
		for (const error of s.errors.slice(-3)) lines.push(`      ${error}`);
	}
	return lines;
}

async function runOneBuild(io: Io, args: string[], options: Options, env: NodeJS.ProcessEnv, tty: boolean, report?: (summary: BuildSummary) => void): Promise<number> {
	if (args.length > 0) {
		io.err('Usage: cce-image-wizard build [--preset NAME ...] [--set KEY=VALUE ...] --yes [--json]');
		return EXIT.usage;
	}
	if (!options.yes) {
		io.err('cce-image-wizard build starts billable resources: confirm with --yes (or run the wizard: cce-image-wizard).');
		return EXIT.usage;
	}
	const {workspace, preset, answers} = await resolveFor(options, env);
	const json = (event: object) => io.out(JSON.stringify(event));

	if (!options.json) io.out('Checking prerequisites…');
	const prepared = await checkForBuild(workspace, answers, env);
	if (options.json) json({type: 'checks', ...resultsJson(prepared.results)});
	else io.out(formatResults(prepared.results, {color: io.color}));
	if (prepared.blocked) {
		if (!options.json) io.err('Not building: fix what failed above, then run again.');
		report?.({outcome: 'not built', errors: prepared.results.filter(r => r.status === 'fail').map(r => `${r.title}: ${r.detail}`)});
		return EXIT.failed;
	}
	const remaining = problems(prepared.answers);
	if (remaining.length > 0) {
		io.err(`Not building: ${remaining.join(' ')}`);
		report?.({outcome: 'not built', errors: remaining});
		return EXIT.failed;
	}

	const state = new State();
	for (const ended of await settleEndedBuilds(state, workspace)) {
		io.err(`Build ${ended.id}, whose wizard was stopped, ended meanwhile (${ended.outcome}); \`cce-image-wizard cleanup --build ${ended.id}\` shows its checklist.`);
	}
	const launched = await launchBuild({workspace, answers: prepared.answers, preset: preset?.name, state, baseEnv: env, credential: prepared.credential});
	const {handle} = launched;
	if (launched.tookOverLock) io.err(launched.tookOverLock);
	if (preset) {
		try {
			state.setLastPreset(workspace, preset.name);
		} catch {} // a convenience: never in the way of a build
	}

	// SIGINT, SIGTERM and SIGHUP cancel as the first Ctrl+C does; the third forces.
	let cancelled!: () => void;
	const firstCancel = new Promise<void>(resolve => (cancelled = resolve));
	const stopSignals = onStopSignals(() => {
		const kind = interruptBuild(handle);
		if (kind === 'cancel') cancelled();
		if (tty && !options.json) return; // the panes say it
		if (kind === 'cancel') io.err('Stop requested: signal twice more to stop at once (may leave billable resources).');
		else if (kind === 'warn') io.err('Still cleaning up. Stopping now can leave an ECS, EIP, disk or key pair behind that keeps costing money; signal once more to force.');
	});
	let how: 'ended' | 'left';
	try {
		if (tty && !options.json) {
			const {showBuildPanes} = await import('../ui/build/show.js');
			how = await showBuildPanes(launched, firstCancel);
		} else {
			const report = (event: BuildReportEvent) => {
				if (options.json) return json(event);
				const line = plainLine(event);
				if (line) io.out(line);
			};
			if (!options.json) io.out(`Build ${launched.record.id} started. Packer's log: ${handle.packerLog}`);
			const stop = followSession(handle.session, report);
			try {
				how = await waitForEnd(launched, firstCancel);
			} finally {
				stop();
			}
		}
	} finally {
		stopSignals();
	}
	if (how === 'left') {
		for (const line of leftRunningLines(launched)) io.err(line);
		report?.({build: launched.record.id, outcome: 'cancelled', errors: ['Packer was left to finish its clean-up on its own']});
		return EXIT.failed;
	}

	const {result, record} = await launched.finished;
	report?.({build: record.id, outcome: result.outcome, imageId: result.imageId, images: result.images, errors: result.outcome === 'success' ? (result.distributionErrors ?? []) : result.errors.slice(-3)});
	if (options.json) json({type: 'result', build: record.id, result});
	else for (const line of [...resultLines(result), ...credentialLines(record)]) io.out(line);
	// A failed copy, share or tag fails the run (CI must notice), but the image it names exists.
	return result.outcome === 'success' && !result.distributionErrors?.length ? EXIT.ok : EXIT.failed;
}
