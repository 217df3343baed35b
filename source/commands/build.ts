/**
 * `build [--preset NAME] --yes [--json]`: every check, then the build, without prompts.
 * On a terminal the progress panes show it; otherwise plain lines (or JSON events, one
 * per line) report stage changes, errors and what exists in the account.
 */
import {problems} from '../core/answers.js';
import type {Options} from '../core/args.js';
import {launchBuild} from '../core/run/launch.js';
import {checkForBuild} from '../core/run/prepare.js';
import {followSession, plainLine, resultLines, type BuildReportEvent} from '../core/run/report.js';
import {formatResults, resultsJson} from '../core/checks/report.js';
import {State} from '../core/state.js';
import {resolveFor} from './context.js';
import {EXIT, type Io} from './io.js';

export async function runBuild(io: Io, args: string[], options: Options, env = process.env, tty = Boolean(process.stdout.isTTY && process.stdin.isTTY)): Promise<number> {
	if (args.length > 0) {
		io.err('Usage: cce-image-wizard build [--preset NAME] [--set KEY=VALUE ...] --yes [--json]');
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
		return EXIT.failed;
	}
	const remaining = problems(prepared.answers);
	if (remaining.length > 0) {
		io.err(`Not building: ${remaining.join(' ')}`);
		return EXIT.failed;
	}

	const state = new State();
	const launched = await launchBuild({workspace, answers: prepared.answers, preset: preset?.name, state, baseEnv: env});
	const {handle} = launched;
	if (launched.tookOverLock) io.err(launched.tookOverLock);
	if (preset) state.setLastPreset(workspace, preset.name);

	if (tty && !options.json) {
		const {showBuildPanes} = await import('../ui/build/show.js');
		await showBuildPanes(launched);
	} else {
		const report = (event: BuildReportEvent) => {
			if (options.json) return json(event);
			const line = plainLine(event);
			if (line) io.out(line);
		};
		if (!options.json) io.out(`Build ${launched.record.id} started. Packer's log: ${handle.packerLog}`);
		const stop = followSession(handle.session, report);
		// Without a terminal, signals stand in for keys: the first cancels cleanly, the third forces.
		let signals = 0;
		const onSignal = () => {
			signals++;
			if (signals === 1) {
				io.err('Cancelling: Packer is deleting the temporary resources. Signal twice more to stop at once (may leave billable resources).');
				handle.cancel();
			} else if (signals === 2) {
				io.err('Still cleaning up. Stopping now can leave an ECS, EIP, disk or key pair behind that keeps costing money; signal once more to force.');
			} else {
				handle.forceStop();
			}
		};
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		try {
			await launched.finished;
		} finally {
			stop();
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		}
	}

	const {result, record} = await launched.finished;
	if (options.json) json({type: 'result', build: record.id, result});
	else for (const line of resultLines(result)) io.out(line);
	// A failed copy, share or tag fails the run (CI must notice), but the image it names exists.
	return result.outcome === 'success' && !result.distributionErrors?.length ? EXIT.ok : EXIT.failed;
}
