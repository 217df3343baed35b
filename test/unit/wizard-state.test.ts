import {describe, expect, it} from 'vitest';
import type {CheckResult} from '../../source/core/checks/engine.js';
import {checksVerdict, correctionToApply, footerKeys, initialState, questionsFor, reduce, type WizardState} from '../../source/ui/wizard/wizard-state.js';
import {resolveAnswers} from '../../source/core/answers.js';
import {PROCEDURE_ENV, TEST_KEYS} from '../helpers/kit.js';

const start = (overrides: Partial<Parameters<typeof initialState>[0]> = {}) =>
	initialState({workspace: '/ws', missingKit: [], presets: [], inputs: {env: {}}, ...overrides});

const result = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({id, title: id, family: 'cloud', status, detail: '', durationMs: 0, ...extra});

function answerAll(state: WizardState, values: Record<string, string>): WizardState {
	let s = state;
	for (let guard = 0; s.step === 'answers'; guard++) {
		if (guard > 50) throw new Error(`stuck on ${s.questions[s.question]}: ${s.answers.get(s.questions[s.question]!)?.problem}`);
		const key = s.questions[s.question]!;
		s = reduce(s, {type: 'answered', key, value: values[key] ?? s.answers.get(key)!.value});
	}
	return s;
}

const GOOD = {
	region_name: 'ap-southeast-1',
	vpc_id: PROCEDURE_ENV.ECS_VPC_ID,
	network_id: PROCEDURE_ENV.ECS_NETWORK_ID,
	security_group_id: PROCEDURE_ENV.ECS_SECGRP_ID,
	source_image_id: PROCEDURE_ENV.CCE_SOURCE_IMAGE_ID,
};

describe('the wizard steps', () => {
	it('starts at the workspace when the kit is missing, else at the preset', () => {
		expect(start({missingKit: ['packer.sh']}).step).toBe('workspace');
		expect(reduce(start({missingKit: ['packer.sh']}), {type: 'kit-laid'}).step).toBe('preset');
		expect(start().step).toBe('preset');
	});

	it('asks only what flags, environment and preset leave open', () => {
		expect(questionsFor(resolveAnswers({}))).toEqual(['region_name', 'vpc_id', 'network_id', 'security_group_id', 'source_image_id', 'ecs_az', 'ecs_flavor', 'image_name']);
		expect(questionsFor(resolveAnswers({env: {REGION_NAME: 'cn-north-4', PKR_VAR_ecs_flavor: 's6.large.2'}, preset: new Map([['vpc_id', GOOD.vpc_id]])}))).toEqual([
			'network_id', 'security_group_id', 'source_image_id', 'ecs_az', 'image_name',
		]);
		// A bad value from the environment is asked again.
		expect(questionsFor(resolveAnswers({env: {REGION_NAME: 'ap-southeast-1a'}}))).toContain('region_name');
	});

	it('keeps an invalid answer on its question, and moves on once it is valid', () => {
		let s = reduce(start(), {type: 'preset-chosen'});
		expect(s.step).toBe('answers');
		s = reduce(s, {type: 'answered', key: 'region_name', value: 'ap-southeast-1a'});
		expect(s.question).toBe(0);
		expect(s.answers.get('region_name')?.problem).toContain('the region is ap-southeast-1');
		s = reduce(s, {type: 'answered', key: 'region_name', value: 'ap-southeast-1'});
		expect(s.question).toBe(1);
	});

	it('Esc goes back one question and keeps every answer', () => {
		let s = reduce(start(), {type: 'preset-chosen'});
		s = reduce(s, {type: 'answered', key: 'region_name', value: 'ap-southeast-1'});
		s = reduce(s, {type: 'answered', key: 'vpc_id', value: GOOD.vpc_id});
		expect(s.question).toBe(2);
		s = reduce(s, {type: 'back'});
		expect(s.question).toBe(1);
		expect(s.answers.get('vpc_id')?.value).toBe(GOOD.vpc_id);
		s = reduce(reduce(s, {type: 'back'}), {type: 'back'});
		expect(s.step).toBe('preset');
		expect(s.answers.get('region_name')?.value).toBe('ap-southeast-1');
	});

	it('goes answers → secrets → checks, and the checks decide whether the review opens', () => {
		let s = answerAll(reduce(start(), {type: 'preset-chosen'}), GOOD);
		expect(s.step).toBe('secrets');
		expect(reduce(s, {type: 'continue'}).step).toBe('secrets'); // no keys yet
		s = reduce(s, {type: 'keys-entered', accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY});
		expect(s).toMatchObject({step: 'checks', checksRunning: true, checkRun: 1});
		expect(s.answers.get('secret_key')).toMatchObject({source: 'prompt'});
		s = reduce(s, {type: 'check-finished', result: result('a', 'pass')});
		expect(checksVerdict(s)).toBe('running');
		s = reduce(s, {type: 'checks-done', results: [result('a', 'pass'), result('b', 'fail')]});
		expect(checksVerdict(s)).toBe('blocked');
		expect(reduce(s, {type: 'continue'}).step).toBe('checks');
		s = reduce(s, {type: 'rerun-checks'});
		expect(s.checkRun).toBe(2);
		s = reduce(s, {type: 'checks-done', results: [result('a', 'pass'), result('b', 'warn')]});
		expect(checksVerdict(s)).toBe('warnings');
		s = reduce(s, {type: 'continue'});
		expect(s.step).toBe('review');
		s = reduce(s, {type: 'continue'});
		expect(s.step).toBe('build');
	});

	it('a correction updates the answer and checks again', () => {
		let s = answerAll(reduce(start(), {type: 'preset-chosen'}), GOOD);
		s = reduce(s, {type: 'keys-entered', accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY});
		s = reduce(s, {type: 'checks-done', results: [result('cloud.network', 'fail', {correction: {key: 'network_id', value: '5b8c1e2f-7d4a-4c3b-8e9f-000000000000', reason: 'r'}})]});
		s = reduce(s, {type: 'apply-correction', key: 'network_id', value: '5b8c1e2f-7d4a-4c3b-8e9f-000000000000'});
		expect(s.answers.get('network_id')).toMatchObject({value: '5b8c1e2f-7d4a-4c3b-8e9f-000000000000', source: 'prompt'});
		expect(s).toMatchObject({step: 'checks', checksRunning: true, checkRun: 2});
		expect(s.notice).toContain('Network ID set to');
	});

	it("c applies a failed check's correction before the plugin re-pin; a re-pin checks again", () => {
		const pin = result('plugin.huaweicloud', 'pass', {family: 'plugin', correction: {key: 'plugin', value: '1.2.2', reason: 'r', applies: 'plugin-pin'}});
		const network = result('cloud.network', 'fail', {correction: {key: 'network_id', value: 'n', reason: 'r'}});
		expect(correctionToApply([pin, network])?.key).toBe('network_id');
		expect(correctionToApply([pin, result('cloud.vpc', 'pass')])?.applies).toBe('plugin-pin');
		expect(correctionToApply([result('cloud.vpc', 'fail')])).toBeUndefined();
		let s = answerAll(reduce(start(), {type: 'preset-chosen'}), GOOD);
		s = reduce(s, {type: 'keys-entered', accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY});
		s = reduce(s, {type: 'checks-done', results: [pin]});
		s = reduce(s, {type: 'plugin-repinned', version: '1.2.2'});
		expect(s).toMatchObject({step: 'checks', checksRunning: true, checkRun: 2});
		expect(s.notice).toContain('pins the huaweicloud plugin = 1.2.2');
	});

	it('a complete preset with exported keys goes straight to the checks', () => {
		const preset = new Map(Object.entries({...GOOD, ecs_az: 'ap-southeast-1a', ecs_flavor: 'c7.large.2', image_name: 'img'}));
		const s = reduce(start({inputs: {env: {...TEST_KEYS}}}), {type: 'preset-chosen', name: 'ci', values: preset});
		expect(s).toMatchObject({step: 'checks', presetName: 'ci', checksRunning: true});
		// Without exported keys it asks for them.
		expect(reduce(start(), {type: 'preset-chosen', name: 'ci', values: preset}).step).toBe('secrets');
	});

	it('editing a setting from the review asks it, then checks again; Esc returns to the review', () => {
		let s = answerAll(reduce(start(), {type: 'preset-chosen'}), GOOD);
		s = reduce(s, {type: 'keys-entered', accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY});
		s = reduce(reduce(s, {type: 'checks-done', results: []}), {type: 'continue'});
		expect(s.step).toBe('review');
		const editing = reduce(s, {type: 'edit-setting', key: 'volume_size'});
		expect(editing).toMatchObject({step: 'answers', questions: ['volume_size']});
		expect(reduce(editing, {type: 'back'}).step).toBe('review');
		const edited = reduce(editing, {type: 'answered', key: 'volume_size', value: '80'});
		expect(edited).toMatchObject({step: 'checks', checksRunning: true});
		expect(edited.answers.get('volume_size')?.value).toBe('80');
	});

	it('back is one step back: the secret key goes back to the access key, and the preset step offers to continue', () => {
		let s = answerAll(reduce(start(), {type: 'preset-chosen'}), GOOD);
		expect(s).toMatchObject({step: 'secrets', keyField: 'access_key'});
		s = reduce(s, {type: 'key-entered', field: 'access_key', value: TEST_KEYS.IAM_ACCESS_KEY});
		expect(s).toMatchObject({step: 'secrets', keyField: 'secret_key'});
		s = reduce(s, {type: 'back'});
		expect(s).toMatchObject({step: 'secrets', keyField: 'access_key'});
		s = reduce(s, {type: 'key-entered', field: 'access_key', value: TEST_KEYS.IAM_ACCESS_KEY});
		const checking = reduce(s, {type: 'key-entered', field: 'secret_key', value: TEST_KEYS.IAM_SECRET_KEY});
		expect(checking).toMatchObject({step: 'checks', typedKeys: {access_key: TEST_KEYS.IAM_ACCESS_KEY, secret_key: TEST_KEYS.IAM_SECRET_KEY}});
		// Back from the first question to the preset step: the answers stay, and continuing finds them.
		for (let i = 0; i < 20 && s.step !== 'preset'; i++) s = reduce(s, {type: 'back'});
		expect(s.step).toBe('preset');
		expect(s.answers.get('vpc_id')?.value).toBe(GOOD.vpc_id);
		const resumed = reduce(s, {type: 'resume-answers'});
		expect(resumed).toMatchObject({step: 'answers', question: 0});
		expect(resumed.answers.get('region_name')?.value).toBe('ap-southeast-1');
		// Before anything was chosen there is nothing to continue.
		expect(reduce(start(), {type: 'resume-answers'}).step).toBe('preset');
	});

	it('Enter on failed checks says why it does not continue', () => {
		let s = answerAll(reduce(start(), {type: 'preset-chosen'}), GOOD);
		s = reduce(s, {type: 'keys-entered', accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY});
		expect(reduce(s, {type: 'continue'}).notice).toContain('still running');
		s = reduce(s, {type: 'checks-done', results: [result('a', 'fail'), result('b', 'fail'), result('c', 'pass')]});
		const refused = reduce(s, {type: 'continue'});
		expect(refused.step).toBe('checks');
		expect(refused.notice).toBe('Enter does not continue: 2 checks failed. Fix them, then r to run the checks again.');
	});

	it('the footer offers only keys that do something here', () => {
		const keys = (state: WizardState, mode?: Parameters<typeof footerKeys>[1]) => footerKeys(state, mode).map(([key]) => key);
		expect(keys(start())).not.toContain('c');
		expect(keys({...start(), unfinishedBuild: {id: 'b', workspace: '/ws', startedAt: ''}})).toContain('c');
		let s = answerAll(reduce(start(), {type: 'preset-chosen'}), GOOD);
		s = reduce(s, {type: 'keys-entered', accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY});
		expect(keys(s)).not.toContain('Enter');
		const failed = reduce(s, {type: 'checks-done', results: [result('a', 'fail')]});
		expect(keys(failed)).not.toContain('Enter');
		expect(keys(failed)).not.toContain('c');
		expect(keys(reduce(s, {type: 'checks-done', results: [result('a', 'fail', {correction: {key: 'network_id', value: 'x', reason: 'r'}})]}))).toContain('c');
		const review = reduce(reduce(s, {type: 'checks-done', results: [result('a', 'pass')]}), {type: 'continue'});
		expect(footerKeys(review)[0]).toEqual(['Enter', 'build']);
		// While a preset name is typed or a setting is chosen, Enter does not build.
		expect(footerKeys(review, {review: 'name'})).toContainEqual(['Enter', 'save']);
		expect(footerKeys(review, {review: 'name'}).flat()).not.toContain('build');
		expect(footerKeys(review, {review: 'edit'}).flat()).not.toContain('build');
		expect(footerKeys({...review, overlay: 'quit'})).toEqual([['y', 'quit'], ['n', 'stay']]);
	});

	it('--yes goes straight through: defaults taken, exported keys used, past checks and review, until something fails', () => {
		const preset = new Map(Object.entries(GOOD));
		const yes = initialState({workspace: '/ws', missingKit: [], presets: [], inputs: {env: {...TEST_KEYS}, preset}, presetName: 'ci', yes: true});
		// AZ, flavor and image name have defaults: not asked; the keys are exported: not asked.
		expect(yes).toMatchObject({step: 'checks', checksRunning: true});
		expect(reduce(yes, {type: 'checks-done', results: [result('a', 'pass'), result('b', 'warn')]}).step).toBe('build');
		const failed = reduce(yes, {type: 'checks-done', results: [result('a', 'fail')]});
		expect(failed).toMatchObject({step: 'checks', yes: false});
		// After a failure the operator drives: a clean re-run stops at the checks as usual.
		expect(reduce(reduce(failed, {type: 'rerun-checks'}), {type: 'checks-done', results: []}).step).toBe('checks');
		// A required setting missing is still asked; without exported keys they are asked too.
		const missing = initialState({workspace: '/ws', missingKit: [], presets: [], inputs: {env: {}, preset: new Map(Object.entries({...GOOD, vpc_id: ''}))}, presetName: 'ci', yes: true});
		expect(missing).toMatchObject({step: 'answers', questions: ['vpc_id']});
		expect(reduce(missing, {type: 'answered', key: 'vpc_id', value: GOOD.vpc_id}).step).toBe('secrets');
		// Without --yes the usual choices are asked.
		expect(initialState({workspace: '/ws', missingKit: [], presets: [], inputs: {env: {...TEST_KEYS}, preset}, presetName: 'ci'}).questions).toEqual(['ecs_az', 'ecs_flavor', 'image_name']);
	});
});

describe('the credential ways', () => {
	const complete = new Map(Object.entries({...GOOD, ecs_az: 'ap-southeast-1a', ecs_flavor: 'c7.large.2', image_name: 'img'}));

	it('a complete preset with credentials=agency goes straight to the checks, no key asked', () => {
		const state = reduce(start(), {type: 'preset-chosen', name: 'p', values: new Map([...complete, ['credentials', 'agency']])});
		expect(state.step).toBe('checks');
	});

	it('the access-keys step sets the way; the checks hand the credential to the build, a new run forgets it', () => {
		let state = reduce(start(), {type: 'preset-chosen', name: 'p', values: complete});
		expect(state.step).toBe('secrets');
		state = reduce(state, {type: 'keys-entered', accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY, mode: 'temporary'});
		expect(state.answers.get('credentials')).toMatchObject({value: 'temporary', source: 'prompt'});
		const credential = {mode: 'temporary' as const, accessKey: 'TEMPAK00000000000001', secretKey: 'tEmP'.repeat(10), securityToken: 'gQ'.repeat(200)};
		state = reduce(state, {type: 'checks-done', results: [], credential});
		expect(state.credential).toBe(credential);
		expect(reduce(state, {type: 'rerun-checks'}).credential).toBe(credential);
		expect(reduce(reduce(state, {type: 'back'}), {type: 'keys-entered', accessKey: '', secretKey: '', mode: 'agency'})).toMatchObject({step: 'checks', credential: undefined});
	});
});
