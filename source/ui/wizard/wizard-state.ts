/**
 * The wizard's steps as a pure state machine: workspace → preset → answers → secrets →
 * checks → review → build → result. Screens send actions; effects in App run the slow
 * work (checks, saving, the build) and send its results back as actions.
 */
import {problems, resolveAnswers, withAnswer, type Answer, type AnswerInputs} from '../../core/answers.js';
import type {CheckResult, Correction} from '../../core/checks/engine.js';
import type {BuildResult} from '../../core/run/session.js';
import type {PresetListing} from '../../core/presets.js';
import type {BuildRecord} from '../../core/state.js';
import type {BuildCredential} from '../../core/cloud/credential.js';
import {credentialMode, SETTINGS_BY_KEY, type CredentialMode} from '../../core/settings.js';

export type Step = 'workspace' | 'preset' | 'answers' | 'secrets' | 'checks' | 'review' | 'build' | 'result' | 'cleanup';

export const STEP_TITLES: Record<Step, string> = {
	workspace: 'Workspace',
	preset: 'Preset',
	answers: 'Settings',
	secrets: 'Access keys',
	checks: 'Checks',
	review: 'Review',
	build: 'Build',
	result: 'Result',
	cleanup: 'Cleanup',
};

/** Settings asked when no flag, variable or preset gives them: the required ones and the usual choices. */
const ASKED_WHEN_MISSING = ['region_name', 'vpc_id', 'network_id', 'security_group_id', 'source_image_id', 'ecs_az', 'ecs_flavor', 'image_name'];

export type WizardState = {
	step: Step;
	workspace: string;
	/** Kit files missing from the workspace (the workspace step lays them out). */
	missingKit: string[];
	presets: PresetListing[];
	lastPreset?: string;
	/** This workspace's builds (from the state, loaded after the first frame). */
	history: BuildRecord[];
	presetName?: string;
	/** Where answers come from, besides what the operator types. */
	inputs: AnswerInputs;
	answers: Map<string, Answer>;
	/** The settings to ask, in order, and where we are. */
	questions: string[];
	question: number;
	/** Keys typed in the wizard (memory only). */
	typedKeys: {access_key?: string; secret_key?: string};
	/** The credential the checks obtained with credentials=temporary|agency, for the build (memory only). */
	credential?: BuildCredential;
	/** Which key the access-keys step asks now. */
	keyField: 'access_key' | 'secret_key';
	/** Set once a preset (or "Start new") is chosen: going back to the preset step then offers to continue. */
	started: boolean;
	/**
	 * `--yes`: straight through (defaults taken, exported keys used, checks and review passed)
	 * until something fails; from then on the operator drives.
	 */
	yes: boolean;
	checks: CheckResult[];
	checksRunning: boolean;
	/** Bumped to ask App to (re)run the checks. */
	checkRun: number;
	build?: BuildResult;
	/** A passing message at the bottom of the screen ("Saved presets/x.json"). */
	notice?: string;
	overlay?: 'help' | 'quit';
	quitting: boolean;
	/** Set while one setting is edited from the review: the checks run again after it. */
	editing?: boolean;
	/** The newest build of this workspace whose checklist is unfinished (or that never recorded an end). */
	unfinishedBuild?: BuildRecord;
	/** How many builds of this workspace have an unfinished checklist, that one included. */
	unfinishedCount?: number;
	/** A build whose wizard was stopped, and whose packer.sh still runs: the wizard can follow it. */
	runningBuild?: BuildRecord;
	/** The build step follows `runningBuild` instead of starting one. */
	following?: boolean;
	/** The build whose checklist is open. */
	cleanupBuild?: BuildRecord;
};

export type Action =
	| {type: 'kit-laid'}
	| {type: 'preset-chosen'; name?: string; values?: Map<string, string>}
	| {type: 'answered'; key: string; value: string}
	| {type: 'back'}
	| {type: 'keys-entered'; accessKey: string; secretKey: string; mode?: CredentialMode}
	/** The access-keys step's choice of how Packer gets its credential. */
	| {type: 'way-chosen'; mode: CredentialMode}
	/** One key of the access-keys step, as submitted (valid). */
	| {type: 'key-entered'; field: 'access_key' | 'secret_key'; value: string; mode?: CredentialMode}
	/** Back at the preset step: carry on with the answers so far. */
	| {type: 'resume-answers'}
	| {type: 'checks-started'}
	| {type: 'check-finished'; result: CheckResult}
	| {type: 'checks-done'; results: CheckResult[]; answers?: Map<string, Answer>; credential?: BuildCredential}
	| {type: 'rerun-checks'}
	| {type: 'apply-correction'; key: string; value: string}
	| {type: 'plugin-repinned'; version: string}
	| {type: 'continue'}
	| {type: 'edit-setting'; key: string}
	| {type: 'build-finished'; result: BuildResult}
	| {type: 'presets-loaded'; presets: PresetListing[]}
	| {type: 'state-loaded'; lastPreset?: string; history: BuildRecord[]; unfinishedBuild?: BuildRecord; unfinishedCount?: number; runningBuild?: BuildRecord}
	| {type: 'follow-build'}
	| {type: 'launch-failed'}
	| {type: 'open-cleanup'; build: BuildRecord}
	| {type: 'notice'; text?: string}
	| {type: 'overlay'; overlay?: 'help' | 'quit'}
	| {type: 'quit'};

export function initialState(options: {
	workspace: string;
	missingKit: string[];
	presets: PresetListing[];
	inputs: AnswerInputs;
	presetName?: string;
	yes?: boolean;
}): WizardState {
	const answers = resolveAnswers(options.inputs);
	const base: WizardState = {
		step: options.missingKit.length > 0 ? 'workspace' : 'preset',
		workspace: options.workspace,
		missingKit: options.missingKit,
		presets: options.presets,
		history: [],
		inputs: options.inputs,
		answers,
		questions: [],
		question: 0,
		typedKeys: {},
		keyField: 'access_key',
		started: false,
		yes: options.yes ?? false,
		checks: [],
		checksRunning: false,
		checkRun: 0,
		quitting: false,
	};
	// A preset given on the command line skips the preset step.
	if (options.presetName && base.step === 'preset') return choosePreset(base, options.presetName, options.inputs.preset);
	return base;
}

/**
 * The settings still to ask: those the inputs leave unset or invalid, from the asked list.
 * With `yes`, a default is taken as it is: only what is missing and required, or invalid.
 */
export function questionsFor(answers: ReadonlyMap<string, Answer>, yes = false): string[] {
	return ASKED_WHEN_MISSING.filter(key => {
		const answer = answers.get(key)!;
		if (answer.problem !== undefined) return true;
		if (yes) return answer.source === 'unset' && SETTINGS_BY_KEY.get(key)?.required === true;
		return answer.source === 'default' || answer.source === 'unset';
	});
}

/** Whether the access-keys step has nothing to ask: the keys are known, or the agency needs none. */
const keysKnown = (state: WizardState) =>
	credentialMode(new Map([['credentials', state.answers.get('credentials')?.value ?? '']])) === 'agency' ||
	['access_key', 'secret_key'].every(key => state.answers.get(key)?.value && !state.answers.get(key)?.problem);

function choosePreset(state: WizardState, name: string | undefined, values: ReadonlyMap<string, string> | undefined): WizardState {
	const inputs: AnswerInputs = {...state.inputs, preset: values};
	const answers = resolveAnswers(inputs);
	const questions = questionsFor(answers, state.yes);
	const next: WizardState = {...state, presetName: name, inputs, answers, questions, question: 0, notice: undefined, started: true, keyField: 'access_key'};
	if (questions.length > 0) return {...next, step: 'answers'};
	// A complete preset with the keys exported: straight to the checks.
	return keysKnown(next) ? startChecks(next) : {...next, step: 'secrets'};
}

function afterAnswers(state: WizardState): WizardState {
	if (state.editing) return startChecks({...state, editing: false});
	// With --yes, exported keys are used without asking.
	return state.yes && keysKnown(state) ? startChecks(state) : {...state, step: 'secrets'};
}

function startChecks(state: WizardState): WizardState {
	return {...state, step: 'checks', checks: [], checksRunning: true, checkRun: state.checkRun + 1, notice: undefined};
}

/** Whether the checks let the build go on, and what the operator has to do. */
export function checksVerdict(state: WizardState): 'running' | 'blocked' | 'warnings' | 'clear' {
	if (state.checksRunning) return 'running';
	if (state.checks.some(r => r.status === 'fail')) return 'blocked';
	if (state.checks.some(r => r.status === 'warn')) return 'warnings';
	return 'clear';
}

export function reduce(state: WizardState, action: Action): WizardState {
	switch (action.type) {
		case 'kit-laid':
			return {...state, missingKit: [], step: 'preset'};
		case 'presets-loaded':
			return {...state, presets: action.presets};
		case 'state-loaded':
			return {...state, lastPreset: action.lastPreset, history: action.history, unfinishedBuild: action.unfinishedBuild, unfinishedCount: action.unfinishedCount, runningBuild: action.runningBuild};
		case 'follow-build':
			return state.runningBuild ? {...state, step: 'build', following: true, presetName: state.runningBuild.preset, notice: undefined} : state;
		case 'launch-failed':
			// Back to the review, where the reason is shown; nothing was started.
			return {...state, step: state.following ? 'preset' : 'review', following: false, yes: false};
		case 'open-cleanup':
			return {...state, step: 'cleanup', cleanupBuild: action.build, notice: undefined};
		case 'preset-chosen':
			return choosePreset(state, action.name, action.values);
		case 'answered': {
			const answers = withAnswer(state.answers, action.key, action.value);
			if (answers.get(action.key)?.problem) return {...state, answers};
			const next = {...state, answers};
			if (state.question + 1 < state.questions.length) return {...next, question: state.question + 1};
			return afterAnswers(next);
		}
		case 'edit-setting':
			// From the review: ask one setting again, then come back.
			return {...state, step: 'answers', questions: [action.key], question: 0, editing: true};
		case 'back':
			state = {...state, notice: undefined};
			switch (state.step) {
				case 'answers':
					if (state.editing) return {...state, step: 'review', editing: false};
					return state.question > 0 ? {...state, question: state.question - 1} : {...state, step: 'preset'};
				case 'secrets':
					if (state.keyField === 'secret_key') return {...state, keyField: 'access_key'};
					return state.questions.length > 0 ? {...state, step: 'answers', question: state.questions.length - 1} : {...state, step: 'preset'};
				case 'checks':
					return {...state, step: 'secrets'};
				case 'review':
					return startChecks(state);
				default:
					return state;
			}
		case 'keys-entered': {
			let answers: Map<string, Answer> = state.answers;
			if (action.mode && action.mode !== answers.get('credentials')?.value) answers = withAnswer(answers, 'credentials', action.mode);
			if (action.mode === 'agency') return startChecks({...state, answers, credential: undefined});
			answers = withAnswer(answers, 'access_key', action.accessKey, action.accessKey === state.inputs.env?.['IAM_ACCESS_KEY'] ? 'env' : 'prompt');
			answers = withAnswer(answers, 'secret_key', action.secretKey, action.secretKey === state.inputs.env?.['IAM_SECRET_KEY'] ? 'env' : 'prompt');
			return startChecks({...state, answers, credential: undefined, typedKeys: {access_key: action.accessKey, secret_key: action.secretKey}});
		}
		case 'way-chosen':
			return {...state, answers: withAnswer(state.answers, 'credentials', action.mode)};
		case 'key-entered':
			if (action.field === 'access_key') return {...state, typedKeys: {...state.typedKeys, access_key: action.value}, keyField: 'secret_key'};
			return reduce(state, {type: 'keys-entered', accessKey: state.typedKeys.access_key ?? '', secretKey: action.value, mode: action.mode});
		case 'resume-answers':
			if (!state.started) return state;
			if (state.questions.length > 0) return {...state, step: 'answers', question: 0, notice: undefined};
			return {...state, step: 'secrets', keyField: 'access_key', notice: undefined};
		case 'checks-started':
			return {...state, checks: [], checksRunning: true};
		case 'check-finished':
			return {...state, checks: [...state.checks.filter(r => r.id !== action.result.id), action.result]};
		case 'checks-done': {
			const done = {...state, checks: action.results, checksRunning: false, answers: action.answers ?? state.answers, credential: action.credential};
			if (!state.yes || state.step !== 'checks') return done;
			// --yes: on to the build unless a check failed; a failure hands the keys back to the operator.
			if (checksVerdict(done) === 'blocked' || problems(done.answers).length > 0) return {...done, yes: false};
			return {...done, step: 'build', notice: undefined};
		}
		case 'rerun-checks':
			return state.checksRunning ? state : startChecks(state);
		case 'apply-correction': {
			const answers = withAnswer(state.answers, action.key, action.value);
			const label = SETTINGS_BY_KEY.get(action.key)?.label ?? action.key;
			return {...startChecks({...state, answers}), notice: `${label} set to ${action.value}; checking again.`};
		}
		case 'plugin-repinned':
			return {...startChecks(state), notice: `The template now pins the huaweicloud plugin = ${action.version}; checking again.`};
		case 'continue':
			switch (state.step) {
				case 'secrets':
					return keysKnown(state) ? startChecks(state) : state;
				case 'checks': {
					const verdict = checksVerdict(state);
					if (verdict === 'clear' || verdict === 'warnings') return {...state, step: 'review', notice: undefined};
					if (verdict === 'running') return {...state, notice: 'The checks are still running: Enter works once they are done.'};
					const failed = state.checks.filter(r => r.status === 'fail').length;
					return {...state, notice: `Enter does not continue: ${failed} check${failed === 1 ? '' : 's'} failed. Fix ${failed === 1 ? 'it' : 'them'}, then r to run the checks again.`};
				}
				case 'review':
					return problems(state.answers).length === 0 ? {...state, step: 'build', notice: undefined} : state;
				default:
					return state;
			}
		case 'build-finished':
			return {...state, step: 'result', build: action.result};
		case 'notice':
			return {...state, notice: action.text};
		case 'overlay':
			return {...state, overlay: action.overlay};
		case 'quit':
			return {...state, quitting: true, overlay: undefined};
	}
}

/** The correction `c` applies: a failed check's first, else any check's (such as the plugin re-pin). */
export function correctionToApply(checks: readonly CheckResult[]): Correction | undefined {
	return (checks.find(r => r.correction && r.status === 'fail') ?? checks.find(r => r.correction))?.correction;
}

/** What the screen around the state shows that the state does not know (a prompt open in the review, a list on screen). */
export type ScreenMode = {review?: 'table' | 'name' | 'overwrite' | 'edit'; listed?: boolean};

/**
 * The footer's keys for this state: only keys that do something here, most useful first;
 * the last two (help and quit) are the ones a narrow terminal keeps.
 */
export function footerKeys(state: WizardState, mode: ScreenMode = {}): Array<[string, string]> {
	if (state.overlay === 'quit') return [['y', 'quit'], ['n', 'stay']];
	if (state.overlay === 'help') return [['Esc', 'close help'], ['q', 'close']];
	switch (state.step) {
		case 'workspace':
			return [['Enter', 'lay out the kit'], ['?', 'help'], ['q', 'quit']];
		case 'preset':
			return [
				['↑↓', 'choose'],
				['Enter', 'pick'],
				...(state.runningBuild ? [['f', 'follow the running build'] as [string, string]] : []),
				...(state.unfinishedBuild ? [['c', 'resume cleanup'] as [string, string]] : []),
				['?', 'help'],
				['q', 'quit'],
			];
		case 'answers':
			return mode.listed
				? [['↑↓', 'choose'], ['Enter', 'pick'], ['Esc', 'back'], ['Ctrl+C', 'quit']]
				: [['Enter', 'next'], ['Esc', 'back'], ['Ctrl+U', 'clear'], ['Ctrl+C', 'quit']];
		case 'secrets':
			return [['Enter', 'next'], ['Esc', 'back'], ['Ctrl+U', 'clear'], ['Ctrl+C', 'quit']];
		case 'checks': {
			const verdict = checksVerdict(state);
			return [
				...(verdict === 'clear' || verdict === 'warnings' ? [['Enter', 'review'] as [string, string]] : []),
				...(verdict === 'running' ? [] : [['r', 're-run checks'] as [string, string]]),
				...(verdict !== 'running' && state.checks.some(r => r.correction) ? [['c', 'apply correction'] as [string, string]] : []),
				['↑↓', 'scroll'],
				['Esc', 'back'],
				['?', 'help'],
				['q', 'quit'],
			];
		}
		case 'review':
			if (mode.review === 'name') return [['Enter', 'save'], ['Esc', 'cancel'], ['Ctrl+C', 'quit']];
			if (mode.review === 'overwrite') return [['y', 'overwrite'], ['n', 'keep it'], ['Ctrl+C', 'quit']];
			if (mode.review === 'edit') return [['↑↓', 'choose'], ['Enter', 'edit'], ['Esc', 'back'], ['Ctrl+C', 'quit']];
			return [['Enter', 'build'], ['s', 'save preset'], ['e', 'edit a setting'], ['w', 'write build.env'], ['↑↓', 'scroll'], ['Esc', 'back'], ['?', 'help'], ['q', 'quit']];
		case 'result':
			return [['Enter', 'cleanup checklist'], ['q', 'quit']];
		case 'build':
		case 'cleanup':
			return [];
	}
}
