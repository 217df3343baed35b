import {render} from 'ink-testing-library';
import {describe, expect, it, vi} from 'vitest';
import {resolveAnswers} from '../../source/core/answers.js';
import {setting} from '../../source/core/settings.js';
import {tint} from '../../source/ui/theme.js';
import {ChecksStep} from '../../source/ui/wizard/steps/ChecksStep.js';
import {PresetStep} from '../../source/ui/wizard/steps/PresetStep.js';
import {QuestionStep} from '../../source/ui/wizard/steps/QuestionStep.js';
import {ReviewStep} from '../../source/ui/wizard/steps/ReviewStep.js';
import {SecretsStep} from '../../source/ui/wizard/steps/SecretsStep.js';
import {frameShowing} from '../helpers/ink.js';
import {PROCEDURE_ENV, TEST_KEYS} from '../helpers/kit.js';

const ENTER = '\r';

describe('QuestionStep', () => {
	it('validates live as typed and submits only a valid value', async () => {
		const onAnswer = vi.fn();
		const {stdin, lastFrame} = render(<QuestionStep setting={setting('region_name')} answer={{key: 'region_name', value: '', source: 'unset'}} position="1/8" onAnswer={onAnswer} />);
		await frameShowing(lastFrame, '1/8 Region');
		stdin.write('ap-southeast-1a');
		await frameShowing(lastFrame, 'got an availability zone');
		stdin.write(ENTER);
		await frameShowing(lastFrame, 'ap-southeast-1a');
		expect(onAnswer).not.toHaveBeenCalled();
		stdin.write('\u007F');
		await frameShowing(lastFrame, frame => !frame.includes('availability zone'));
		stdin.write(ENTER);
		await vi.waitFor(() => expect(onAnswer).toHaveBeenCalledWith('ap-southeast-1'));
	});

	it('offers the cloud\'s choices, with free text always possible', async () => {
		const onAnswer = vi.fn();
		const choices = [{label: 'vpc-a  10.0.0.0/16', value: '0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e90'}];
		const {stdin, lastFrame} = render(<QuestionStep setting={setting('vpc_id')} answer={{key: 'vpc_id', value: '', source: 'unset'}} choices={choices} position="2/8" onAnswer={onAnswer} />);
		await frameShowing(lastFrame, 'Type a value…');
		stdin.write('\u001B[B'); // down to "Type a value…"
		await frameShowing(lastFrame, /❯ Type a value…/);
		stdin.write(ENTER);
		await frameShowing(lastFrame, '›');
		expect(lastFrame()).not.toContain('vpc-a');
	});
});

describe('SecretsStep', () => {
	it('masks what is typed, and takes the exported key on Enter', async () => {
		const onKey = vi.fn();
		const first = render(<SecretsStep field="access_key" exported={{secretKey: TEST_KEYS.IAM_SECRET_KEY}} onKey={onKey} />);
		await frameShowing(first.lastFrame, 'Access key (AK)');
		first.stdin.write(TEST_KEYS.IAM_ACCESS_KEY);
		await frameShowing(first.lastFrame, '*'.repeat(20));
		expect(first.lastFrame()).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
		first.stdin.write(ENTER);
		await vi.waitFor(() => expect(onKey).toHaveBeenCalledWith('access_key', TEST_KEYS.IAM_ACCESS_KEY, 'key'));
		first.unmount();
		const second = render(<SecretsStep field="secret_key" accessKey={TEST_KEYS.IAM_ACCESS_KEY} exported={{secretKey: TEST_KEYS.IAM_SECRET_KEY}} onKey={onKey} />);
		await frameShowing(second.lastFrame, `exported as ****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)}`);
		expect(second.lastFrame()).toContain(`Access key: ****${TEST_KEYS.IAM_ACCESS_KEY.slice(-4)}`);
		second.stdin.write(ENTER);
		await vi.waitFor(() => expect(onKey).toHaveBeenCalledWith('secret_key', TEST_KEYS.IAM_SECRET_KEY, 'key'));
		expect(second.lastFrame()).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
	});

	it('offers the three ways, one line each; ↑↓ asks for another; agency asks for no key', async () => {
		const onWay = vi.fn();
		const keyWay = render(<SecretsStep field="access_key" exported={{}} onKey={vi.fn()} onWay={onWay} />);
		const frame = await frameShowing(keyWay.lastFrame, 'Access key (AK)');
		for (const way of ['key', 'temporary', 'agency']) expect(frame).toMatch(new RegExp(`^\\s*(›\\s*)?${way}\\s+\\S`, 'm'));
		expect(frame).toMatch(/› key/);
		expect(frame).not.toContain('suggested');
		keyWay.stdin.write('\u001B[B');
		await vi.waitFor(() => expect(onWay).toHaveBeenCalledWith('temporary'));
		keyWay.stdin.write('\u001B[A');
		await vi.waitFor(() => expect(onWay).toHaveBeenCalledWith('agency'));
		keyWay.unmount();
		const onKey = vi.fn();
		const agency = render(<SecretsStep field="access_key" way="agency" exported={{}} onKey={onKey} />);
		await frameShowing(agency.lastFrame, /› agency/);
		expect(agency.lastFrame()).not.toContain('Access key (AK)');
		agency.stdin.write(ENTER);
		await vi.waitFor(() => expect(onKey).toHaveBeenCalledWith('secret_key', '', 'agency'));
	});

	it('marks temporary as suggested when the kit pins plugin 1.2.2, and says what the key is for', async () => {
		const {lastFrame} = render(<SecretsStep field="access_key" way="temporary" suggested="temporary" exported={{}} onKey={vi.fn()} />);
		const frame = await frameShowing(lastFrame, /› temporary/);
		expect(frame).toMatch(/› temporary\s+.*← suggested/);
		expect(frame).toContain('The kit pins plugin 1.2.2');
		expect(frame).toContain('mints the temporary credential');
	});

	it('refuses a malformed key without echoing it', async () => {
		const {stdin, lastFrame} = render(<SecretsStep field="access_key" exported={{}} onKey={vi.fn()} />);
		await frameShowing(lastFrame, 'Access key (AK)');
		stdin.write('short-key');
		await frameShowing(lastFrame, '*********');
		stdin.write(ENTER);
		const frame = await frameShowing(lastFrame, 'got 9 characters');
		expect(frame).not.toContain('short-key');
	});
});

describe('PresetStep', () => {
	it('lists new, the last preset, the saved ones, and a broken one with its error', async () => {
		const onChoose = vi.fn();
		const presets = [
			{name: 'prod', file: 'presets/prod.json', values: new Map([['region_name', 'cn-north-4'], ['source_image_id', '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f']])},
			{name: 'broken', file: 'presets/broken.json', error: 'presets/broken.json:3: settings.flavour: unknown setting.'},
		];
		const history = [{id: 'b1', workspace: '/ws', preset: 'prod', startedAt: '2026-11-20T10:00:00.000Z', outcome: 'success' as const}];
		const {stdin, lastFrame} = render(<PresetStep presets={presets} lastPreset="prod" history={history} onChoose={onChoose} />);
		const frame = await frameShowing(lastFrame, 'Reuse the last one: prod');
		expect(frame).toContain('cn-north-4  image 1c2d3e4f…  last used 2026-11-20 10:00 (success)');
		expect(frame).toContain('broken  ✖ cannot be used: presets/broken.json:3: settings.flavour: unknown setting.');
		stdin.write(ENTER);
		await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith({kind: 'preset', listing: presets[0]}));
	});
});

describe('PresetStep pointer', () => {
	it('keeps a space after the pointer when the chosen label wraps', async () => {
		const long = `presets/broken.json:1: settings.volume_size: expected a number, got string. ${'Fix the value by hand. '.repeat(4)}`;
		const presets = [{name: 'broken', file: 'presets/broken.json', error: long}];
		const {stdin, lastFrame} = render(<PresetStep presets={presets} history={[]} onChoose={vi.fn()} />);
		await frameShowing(lastFrame, '❯ Start new');
		stdin.write('\u001B[B');
		const frame = await frameShowing(lastFrame, /❯\s*broken/);
		expect(frame).toContain('❯ broken  ✖ cannot be used');
	});
});

describe('ChecksStep', () => {
	it('groups results, folds a family that passed, and shows fixes and corrections', () => {
		const {lastFrame} = render(
			<ChecksStep
				running={false}
				height={20}
				results={[
					{id: 'executor.node', title: 'Node.js version', family: 'executor', status: 'pass', detail: 'ok', durationMs: 1},
					{id: 'cloud.network', title: 'Network ID of the subnet', family: 'cloud', status: 'fail', detail: 'is the Subnet ID', fix: 'Set ECS_NETWORK_ID=x', correction: {key: 'network_id', value: 'x', reason: 'the Network ID'}, durationMs: 1},
				]}
			/>,
		);
		const frame = lastFrame()!;
		expect(frame).toContain('✔ Executor (Node.js version)');
		expect(frame).toContain('Huawei Cloud');
		expect(frame).toContain('✖ Network ID of the subnet: is the Subnet ID');
		expect(frame).toContain('c: use x (the Network ID)');
		expect(frame).toContain('fix: Set ECS_NETWORK_ID=x');
	});
});

describe('ReviewStep', () => {
	const answers = resolveAnswers({env: PROCEDURE_ENV});
	const actions = () => ({save: vi.fn(async () => 'saved' as const), writeEnv: vi.fn(async () => 'Wrote build.env'), edit: vi.fn(), build: vi.fn()});

	it('shows every value with its source, the environment with the keys masked, and the command', () => {
		const {lastFrame} = render(<ReviewStep answers={answers} workspace="/ws" height={30} actions={actions()} onModeChange={() => {}} />);
		const frame = lastFrame()!;
		expect(frame).toMatch(/Region\s+ap-southeast-1\s+env/);
		expect(frame).toMatch(/Flavor\s+c7\.large\.2\s+default/);
		expect(frame).toContain(`IAM_SECRET_KEY=****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)}`);
		expect(frame).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(frame).toContain('Command: cd /ws && ./packer.sh -machine-readable');
	});

	it('wraps a long value inside its column, keeps the source column in line, and shows the environment in full', async () => {
		const description = 'Node image for the payments cluster: containerd, the node-exporter agent, our CA bundle and the audit rules from security';
		const long = resolveAnswers({env: {...PROCEDURE_ENV, PKR_VAR_image_description: description}});
		const {lastFrame} = render(<ReviewStep answers={long} workspace="/ws" height={60} columns={80} actions={actions()} onModeChange={() => {}} />);
		const frame = await frameShowing(lastFrame, 'Command:');
		const lines = frame.split('\n');
		for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
		// The source column starts at the same place on every settings row, the long one too.
		const sourceAt = (line: string) => line.search(/ (env|default|preset|flag|prompt|cloud)$/);
		const rows = lines.filter(line => sourceAt(line) > 0);
		expect(rows.find(line => line.startsWith('Image description'))).toBeDefined();
		expect(new Set(rows.map(sourceAt)).size).toBe(1);
		// Every word of the description is on screen, in its column.
		expect(frame.replace(/\s+/g, ' ')).toContain(description);
		// The environment, one variable a line and nothing cut, the keys masked.
		expect(frame).toContain(`  IAM_SECRET_KEY=****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)}`);
		expect(frame).toContain(`  ECS_SECGRP_ID=${PROCEDURE_ENV.ECS_SECGRP_ID}`);
		expect(frame).not.toContain('…');
		expect(frame).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
	});

	it('scrolls when the table is taller than its room, saying how much is hidden', async () => {
		const {lastFrame, stdin} = render(<ReviewStep answers={answers} workspace="/ws" height={10} columns={80} actions={actions()} onModeChange={() => {}} />);
		const top = await frameShowing(lastFrame, /↓ \d+ more/);
		expect(top.split('\n').length).toBeLessThanOrEqual(10);
		expect(top).not.toContain('Command:');
		stdin.write('\u001B[F'); // End
		const bottom = await frameShowing(lastFrame, 'Command:');
		expect(bottom).toMatch(/↑ \d+ more/);
		expect(bottom).not.toMatch(/↓ \d+ more/);
	});

	it('saves a preset by name, asking before overwriting', async () => {
		const act = actions();
		act.save.mockResolvedValueOnce('exists' as never);
		const {stdin, lastFrame} = render(<ReviewStep answers={answers} workspace="/ws" height={30} actions={act} onModeChange={() => {}} />);
		stdin.write('s');
		await frameShowing(lastFrame, 'Save as preset:');
		stdin.write('../bad');
		await frameShowing(lastFrame, '../bad');
		stdin.write(ENTER);
		await frameShowing(lastFrame, 'cannot be a preset name');
		stdin.write('\u001B'); // Esc leaves the prompt
		await frameShowing(lastFrame, frame => !frame.includes('Save as preset:'));
		stdin.write('s');
		await frameShowing(lastFrame, 'Save as preset:');
		stdin.write('ci');
		await frameShowing(lastFrame, /Save as preset: ci/);
		stdin.write(ENTER);
		await frameShowing(lastFrame, 'presets/ci.json exists. Overwrite it? y/n');
		stdin.write('y');
		await frameShowing(lastFrame, 'Saved presets/ci.json (no keys).');
		expect(act.save.mock.calls).toEqual([['ci', false], ['ci', true]]);
	});
});

describe('colours', () => {
	it('are off with NO_COLOR', () => {
		const saved = process.env['NO_COLOR'];
		process.env['NO_COLOR'] = '1';
		expect(tint('red')).toBeUndefined();
		delete process.env['NO_COLOR'];
		expect(tint('red')).toBe('red');
		if (saved !== undefined) process.env['NO_COLOR'] = saved;
	});
});
