/**
 * All cloud checks together should take about as long as the slowest one, not the sum.
 * The local API server answers each service after an injected delay; the baseline runs
 * the same checks one after another, in the same process run.
 */
import {afterAll, beforeAll, bench, describe} from 'vitest';
import {resolveAnswers} from '../source/core/answers.js';
import {cloudChecks} from '../source/core/checks/cloud.js';
import {runChecks, type CheckResult} from '../source/core/checks/engine.js';
import {startCloudServer, type CloudServer} from '../test/fixtures/cloud/server.js';
import {TEST_KEYS} from '../test/helpers/kit.js';

let server: CloudServer;
let env: Record<string, string>;

beforeAll(async () => {
	server = await startCloudServer({scenario: 'healthy', credentials: {accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY}});
	server.scenario.latencyMs = {iam: 40, vpc: 120, ecs: 80, ims: 150};
	env = {...server.env, ...TEST_KEYS};
});
afterAll(async () => server?.close());

const context = () => {
	const preset = new Map(Object.entries(server.scenario.answers).map(([k, v]) => [k, String(v)]));
	return {workspace: process.cwd(), env, answers: resolveAnswers({env, preset})};
};

function assertPassed(results: CheckResult[]): void {
	const failed = results.filter(r => r.status !== 'pass');
	if (failed.length > 0) throw new Error(`benchmark scenario broke: ${failed.map(r => `${r.id}: ${r.detail}`).join('; ')}`);
}

describe('cloud checks with injected latency (iam 40 ms, vpc 120, ecs 80, ims 150)', () => {
	bench(
		'concurrent (the engine)',
		async () => {
			assertPassed(await runChecks(cloudChecks(env), context()));
		},
		{iterations: 8, warmupIterations: 1},
	);

	bench(
		'baseline: one check after another',
		async () => {
			const checks = cloudChecks(env);
			const ctx = context();
			const results: CheckResult[] = [];
			// Each check alone, with what it depends on already done.
			for (const check of checks) {
				const done = await runChecks(
					checks.filter(c => c === check || (check.dependsOn ?? []).includes(c.id)),
					ctx,
				);
				results.push(done.find(r => r.id === check.id)!);
			}
			assertPassed(results);
		},
		{iterations: 8, warmupIterations: 1},
	);
});
