/** `check [--preset NAME] [--json]`: every prerequisite, exit 0 when nothing failed. */
import {runChecks} from '../core/checks/engine.js';
import {allChecks} from '../core/checks/index.js';
import {formatResults, resultsJson} from '../core/checks/report.js';
import type {Options} from '../core/args.js';
import {resolveFor} from './context.js';
import {EXIT, type Io} from './io.js';

export async function runCheck(io: Io, args: string[], options: Options, env = process.env): Promise<number> {
	if (args.length > 0) {
		io.err('Usage: cce-image-wizard check [--preset NAME] [--set KEY=VALUE ...] [--json]');
		return EXIT.usage;
	}
	const {workspace, answers} = await resolveFor(options, env);
	const results = await runChecks(allChecks(env), {workspace, env, answers, credential: {}});
	if (options.json) {
		io.out(JSON.stringify(resultsJson(results), null, 2));
	} else {
		io.out(formatResults(results, {color: io.color}));
	}
	return results.some(r => r.status === 'fail') ? EXIT.failed : EXIT.ok;
}
