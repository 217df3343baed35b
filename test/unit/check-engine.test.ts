import {describe, expect, it} from 'vitest';
import {runChecks, summarize, type Check, type CheckResult} from '../../source/core/checks/engine.js';

type Ctx = Record<string, never>;
const check = (id: string, run: Check<Ctx>['run'], extra: Partial<Check<Ctx>> = {}): Check<Ctx> => ({id, title: `title ${id}`, family: 'executor', run, ...extra});
const pass = async () => ({status: 'pass' as const, detail: 'ok'});

describe('the check engine', () => {
	it('runs independent checks concurrently', async () => {
		// Each check waits until the other has started: run one after the other, they would never finish.
		let release!: () => void;
		const bothStarted = new Promise<void>(resolve => (release = resolve));
		let started = 0;
		const meet = async () => {
			if (++started === 2) release();
			await bothStarted;
			return {status: 'pass' as const, detail: 'met'};
		};
		const results = await runChecks([check('a', meet, {timeoutMs: 2000}), check('b', meet, {timeoutMs: 2000})], {});
		expect(results.map(r => r.status)).toEqual(['pass', 'pass']);
	});

	it('runs a check after the checks it depends on, and gives it their results', async () => {
		const order: string[] = [];
		const results = await runChecks(
			[
				check('child', async (_c, done) => {
					order.push('child');
					return {status: 'pass', detail: `parent said ${String(done.get('parent')?.data?.['value'])}`};
				}, {dependsOn: ['parent']}),
				check('parent', async () => {
					order.push('parent');
					return {status: 'pass', detail: 'ok', data: {value: 42}};
				}),
			],
			{},
		);
		expect(order).toEqual(['parent', 'child']);
		expect(results[0]).toMatchObject({id: 'child', detail: 'parent said 42'});
	});

	it('skips a check whose dependency failed, unless it tolerates that', async () => {
		let ran = false;
		const results = await runChecks(
			[
				check('broken', async () => ({status: 'fail', detail: 'no', fix: 'fix it'})),
				check('needs', async () => ((ran = true), {status: 'pass', detail: 'ok'}), {dependsOn: ['broken']}),
				check('copes', async () => ({status: 'warn', detail: 'copes'}), {dependsOn: ['broken'], tolerates: ['broken']}),
			],
			{},
		);
		expect(ran).toBe(false);
		expect(results[1]).toMatchObject({status: 'skip', detail: 'not checked: "title broken" did not pass'});
		expect(results[2]).toMatchObject({status: 'warn'});
	});

	it('turns a throwing check into a fail that says so', async () => {
		const [result] = await runChecks([check('boom', async () => {
			throw new Error('disk on fire');
		})], {});
		expect(result).toMatchObject({status: 'fail', detail: 'the check could not run: disk on fire'});
		expect(result!.fix).toBeDefined();
	});

	it('cuts a hanging check at its timeout, aborts it, and the others still finish', async () => {
		let aborted = false;
		const streamed: string[] = [];
		const results = await runChecks(
			[
				check('hangs', (_c, _r, signal) => {
					signal.addEventListener('abort', () => (aborted = true));
					return new Promise(() => {});
				}, {timeoutMs: 200}),
				check('fine', pass),
				check('after-fine', pass, {dependsOn: ['fine']}),
			],
			{},
			{onResult: r => streamed.push(r.id)},
		);
		expect(results[0]).toMatchObject({status: 'fail', detail: 'the check timed out after 0.2 s and was stopped'});
		expect(aborted).toBe(true);
		expect(results.slice(1).map(r => r.status)).toEqual(['pass', 'pass']);
		// Results stream as they finish: the hanging check comes last.
		expect(streamed).toEqual(['fine', 'after-fine', 'hangs']);
	});

	it('refuses a dependency on an unknown check', async () => {
		await expect(runChecks([check('a', pass, {dependsOn: ['ghost']})], {})).rejects.toThrow(/unknown check ghost/);
	});

	it('summarizes', () => {
		const r = (status: CheckResult['status']) => ({status}) as CheckResult;
		expect(summarize([r('pass'), r('fail'), r('fail'), r('skip')])).toEqual({pass: 1, warn: 0, fail: 2, skip: 1});
	});
});
