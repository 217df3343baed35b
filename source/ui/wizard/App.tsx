/**
 * The wizard: the one owner of the step machine and of the keys that work on every
 * screen. Screens render state and send intents; the slow work (checks, the cloud lists,
 * saving, the build) runs here in effects, loaded after the first frame.
 */
import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useReducer, useRef, useState} from 'react';
import type {AnswerInputs} from '../../core/answers.js';
import type {LaunchedBuild} from '../../core/run/launch.js';
import {writeEnvFile} from '../../core/env.js';
import {initKit, repinTemplate} from '../../core/kit.js';
import {listPresets, PresetExistsError, presetValuesOf, savePreset, type PresetListing} from '../../core/presets.js';
import {credentialMode, SETTINGS_BY_KEY} from '../../core/settings.js';
import type {State} from '../../core/state.js';
import {BuildScreen} from '../build/BuildScreen.js';
import {Footer} from '../components/Footer.js';
import {Header} from '../components/Header.js';
import {tint} from '../theme.js';
import {useTerminalSize} from '../use-terminal-size.js';
import {HelpOverlay} from './HelpOverlay.js';
import {ChecksStep} from './steps/ChecksStep.js';
import {PresetStep} from './steps/PresetStep.js';
import {QuestionStep, type Choices} from './steps/QuestionStep.js';
import {ResultStep} from './steps/ResultStep.js';
import {ReviewStep} from './steps/ReviewStep.js';
import {ChecklistScreen} from '../cleanup/ChecklistScreen.js';
import {SecretsStep} from './steps/SecretsStep.js';
import {credentialLinesOf} from '../../core/run/report.js';
import {WorkspaceStep} from './steps/WorkspaceStep.js';
import {checksVerdict, correctionToApply, footerKeys, initialState, reduce, STEP_TITLES, type ScreenMode, type Step} from './wizard-state.js';
import type {PlannedCheck} from './checks-board.js';
import {wrapText} from '../layout.js';

export type WizardProps = {
	workspace: string;
	env: Readonly<Record<string, string | undefined>>;
	inputs: AnswerInputs;
	presetName?: string;
	/** --yes: straight through unless something fails. */
	yes?: boolean;
	missingKit: string[];
	kitFiles: string[];
	presets: PresetListing[];
	/** The wizard's state store; opened after the first frame (conf is slow to load). */
	openState: () => Promise<State>;
	/** How the wizard ended, and the build it ran or cleaned up after (for the line about what is left). */
	onExit: (outcome: 'built' | 'quit' | 'failed', buildId?: string) => void;
};

const STEPS: Step[] = ['preset', 'answers', 'secrets', 'checks', 'review', 'build', 'result', 'cleanup'];

export function App(props: WizardProps) {
	const {exit} = useApp();
	const {rows, columns} = useTerminalSize();
	const [state, dispatch] = useReducer(reduce, props, p =>
		initialState({workspace: p.workspace, missingKit: p.missingKit, presets: p.presets, inputs: p.inputs, presetName: p.presetName, yes: p.yes}),
	);
	const [reviewMode, setReviewMode] = useState<NonNullable<ScreenMode['review']>>('table');
	const reviewTyping = reviewMode !== 'table';
	const [listed, setListed] = useState(false);
	const [plan, setPlan] = useState<PlannedCheck[]>([]);
	const [choices, setChoices] = useState<Record<string, Choices | undefined>>({});
	const [launched, setLaunched] = useState<LaunchedBuild>();
	const [problem, setProblem] = useState<string>();
	// The plugin generation the template pins, read when the access-keys step opens: 1.x suggests temporary.
	const [pinGeneration, setPinGeneration] = useState<0 | 1>();
	const suggestedWay = pinGeneration === 1 ? 'temporary' : 'key';
	const credentialsAnswer = state.answers.get('credentials');
	const way = credentialsAnswer && credentialsAnswer.source !== 'default' ? credentialMode(new Map([['credentials', credentialsAnswer.value]])) : suggestedWay;
	const buildStarted = useRef(false);
	const store = useRef<State | undefined>(undefined);
	const [stateReady, setStateReady] = useState(false);

	useEffect(() => {
		void props.openState().then(async opened => {
			store.current = opened;
			const [{unfinished}, {runningBuilds, settleEndedBuilds}] = await Promise.all([import('../../core/cleanup/checklist.js'), import('../../core/run/recover.js')]);
			// Builds whose wizard was stopped: an ended one gets its end recorded, a running one can be followed.
			await settleEndedBuilds(opened, props.workspace).catch(() => []);
			const history = opened.builds().filter(b => b.workspace === props.workspace);
			const running = runningBuilds(opened, props.workspace)[0];
			const open = history.filter(b => b.id !== running?.id && unfinished(opened, b));
			dispatch({type: 'state-loaded', lastPreset: opened.lastPreset(props.workspace), history, unfinishedBuild: open.at(-1), unfinishedCount: open.length, runningBuild: running});
			setStateReady(true);
		});
	}, []);

	// One screen listens at a time: behind an overlay, the screen's fields and lists are deaf.
	const screenActive = state.overlay === undefined;

	// SIGINT, SIGTERM, SIGHUP (a dropped SSH session): during a build, cancel as Ctrl+C does and wait
	// (bounded) for Packer's clean-up; otherwise, quit. Listened to once the state (and conf) is loaded.
	const building = useRef<LaunchedBuild | undefined>(undefined);
	building.current = launched;
	useEffect(() => {
		if (!stateReady) return;
		let stop: (() => void) | undefined;
		let waiting = false;
		void import('../../core/run/signals.js').then(({onStopSignals, waitForEnd}) => {
			stop = onStopSignals(() => {
				const build = building.current;
				if (!build || build.handle.session.phase === 'finished') return dispatch({type: 'quit'});
				void import('../../core/run/session.js').then(({interruptBuild}) => {
					interruptBuild(build.handle);
					if (waiting) return;
					waiting = true;
					void waitForEnd(build, Promise.resolve()).then(how => how === 'left' && dispatch({type: 'quit'}));
				});
			});
		});
		return () => stop?.();
	}, [stateReady]);

	const typing = state.step === 'answers' || state.step === 'secrets' || (state.step === 'review' && reviewTyping);
	const questionKey = state.step === 'answers' ? state.questions[state.question] : undefined;

	// Quitting: hand back to run.tsx, which restores the terminal.
	useEffect(() => {
		if (!state.quitting) return;
		props.onExit(state.build ? (state.build.outcome === 'success' ? 'built' : 'failed') : 'quit', state.cleanupBuild?.id ?? launched?.record.id);
		exit();
	}, [state.quitting]);

	useEffect(() => {
		if (state.step !== 'secrets') return;
		void (async () => {
			const [{readPluginPin}, {templateFile}] = await Promise.all([import('../../core/plugin-pin.js'), import('../../core/checks/context.js')]);
			setPinGeneration((await readPluginPin(templateFile({workspace: state.workspace, env: props.env}))).generation);
		})();
	}, [state.step]);

	// The checks, streamed as they finish; loaded only when first needed.
	useEffect(() => {
		if (state.step !== 'checks' || !state.checksRunning) return;
		let current = true;
		void (async () => {
			const [{checkForBuild}, {allChecks}] = await Promise.all([import('../../core/run/prepare.js'), import('../../core/checks/index.js')]);
			if (current) setPlan(allChecks(props.env).map(({id, title, family, dependsOn, timeoutMs}) => ({id, title, family, dependsOn, timeoutMs})));
			const prepared = await checkForBuild(state.workspace, state.answers, props.env, result => current && dispatch({type: 'check-finished', result}));
			if (current) dispatch({type: 'checks-done', results: prepared.results, answers: new Map(prepared.answers), credential: prepared.credential});
		})();
		return () => {
			current = false;
		};
	}, [state.checkRun]);

	// Choices from the cloud for the current question, when the keys are exported.
	const choiceKey = questionKey ? `${questionKey}|${state.answers.get('region_name')?.value}|${state.answers.get('vpc_id')?.value}|${state.answers.get('ecs_az')?.value}` : undefined;
	useEffect(() => {
		if (!questionKey || !choiceKey || choiceKey in choices) return;
		setChoices(all => ({...all, [choiceKey]: 'loading'}));
		void (async () => {
			const {choicesFor} = await import('../../core/cloud/lists.js');
			// A list that fails falls back to free text, and says why.
			const found: Choices | undefined = await choicesFor(questionKey, state.answers, props.env).catch((error: Error) => ({error: error.message.split('\n')[0]!}));
			setChoices(all => ({...all, [choiceKey]: found}));
		})();
	}, [choiceKey]);

	// The build starts once, when the review is confirmed (or is followed, when it outlived its wizard).
	useEffect(() => {
		if (state.step !== 'build' || buildStarted.current) return;
		buildStarted.current = true;
		void (async () => {
			try {
				const {launchBuild, followBuild} = await import('../../core/run/launch.js');
				const opened = store.current ?? (await props.openState());
				if (state.following && state.runningBuild) {
					const keys = {accessKey: props.env['IAM_ACCESS_KEY'], secretKey: props.env['IAM_SECRET_KEY']};
					setLaunched(await followBuild({state: opened, record: state.runningBuild, keys}));
					return;
				}
				const build = await launchBuild({workspace: state.workspace, answers: state.answers, preset: state.presetName, state: opened, baseEnv: props.env, credential: state.credential});
				if (state.presetName) {
					try {
						opened.setLastPreset(state.workspace, state.presetName);
					} catch {}
				}
				if (build.tookOverLock) dispatch({type: 'notice', text: build.tookOverLock});
				setLaunched(build);
			} catch (error) {
				buildStarted.current = false;
				setProblem(`Not started: ${(error as Error).message}`);
				dispatch({type: 'launch-failed'});
			}
		})();
	}, [state.step]);

	useInput(
		(input, key) => {
			if (state.overlay === 'quit') {
				if (input === 'y' || (key.ctrl && input === 'c')) dispatch({type: 'quit'});
				else if (input === 'n' || key.escape) dispatch({type: 'overlay'});
				return;
			}
			if (state.overlay === 'help') {
				if (key.escape || input === '?' || input === 'q') dispatch({type: 'overlay'});
				return;
			}
			if (key.ctrl && input === 'c') return dispatch({type: 'overlay', overlay: 'quit'});
			// The review's own prompts (preset name, overwrite, edit) take every other key.
			if (state.step === 'review' && reviewTyping) return;
			if (state.step === 'result') {
				if (input === 'q') dispatch({type: 'quit'});
				else if (key.return && launched) void launched.finished.then(({record}) => dispatch({type: 'open-cleanup', build: record}));
				return;
			}
			if (state.step === 'preset' && input === 'c' && state.unfinishedBuild) return dispatch({type: 'open-cleanup', build: state.unfinishedBuild});
			if (state.step === 'preset' && input === 'f' && state.runningBuild) return dispatch({type: 'follow-build'});
			if (key.escape) {
				setProblem(undefined);
				return dispatch({type: 'back'});
			}
			if (typing) return;
			if (input === '?') return dispatch({type: 'overlay', overlay: 'help'});
			if (input === 'q') return dispatch({type: 'overlay', overlay: 'quit'});
			if (state.step === 'checks') {
				if (input === 'r') dispatch({type: 'rerun-checks'});
				const correction = correctionToApply(state.checks);
				if (input === 'c' && correction?.applies === 'plugin-pin' && !state.checksRunning) {
					const version = correction.value;
					void import('../../core/checks/context.js')
						.then(async ({templateFile}) => repinTemplate(templateFile({workspace: state.workspace, env: props.env}), version))
						.then(
							() => dispatch({type: 'plugin-repinned', version}),
							(error: Error) => setProblem(`Could not re-pin the plugin: ${error.message}`),
						);
				} else if (input === 'c' && correction) dispatch({type: 'apply-correction', key: correction.key, value: correction.value});
				if (key.return) dispatch({type: 'continue'});
			}
		},
		{isActive: state.step !== 'build' && state.step !== 'cleanup'},
	);

	// The live region stays a row shorter than the terminal: header, footer, and the lines
	// under the screen (the quit question, a notice) come off the screen's room.
	const quitQuestion = `Quit the wizard? ${state.build ? '' : 'Nothing has been built. '}y/n`;
	const message = problem ?? state.notice;
	const room = Math.max(4, rows - 3 - (state.overlay === 'quit' ? 1 : 0) - (message ? wrapText(message, columns).length : 0));

	const body = () => {
		if (state.overlay === 'help') return <HelpOverlay />;
		switch (state.step) {
			case 'workspace':
				return (
					<WorkspaceStep
						workspace={state.workspace}
						files={props.kitFiles}
						isActive={screenActive}
						onInit={() =>
							void initKit(state.workspace).then(async () => {
								dispatch({type: 'kit-laid'});
								dispatch({type: 'presets-loaded', presets: await listPresets(state.workspace)});
							})
						}
					/>
				);
			case 'preset':
				return (
					<Box flexDirection="column">
						{state.runningBuild && (
							<Text color={tint('yellow')} wrap="wrap">
								Build {state.runningBuild.id} is still running: its wizard was stopped, its Packer goes on (packer.sh, process {state.runningBuild.runner?.pid}). Press f to follow it.
							</Text>
						)}
						{state.unfinishedBuild && (
							<Text color={tint('yellow')} wrap="wrap">
								{state.unfinishedBuild.endedAt
									? `Build ${state.unfinishedBuild.id} (${state.unfinishedBuild.outcome}) has an unfinished cleanup checklist.`
									: `Build ${state.unfinishedBuild.id} never recorded an end: the wizard was stopped during it. Resources may be left in the account.`}{' '}
								Press c to resume the checklist.
								{(state.unfinishedCount ?? 0) > 1 ? ` ${state.unfinishedCount! - 1} older build(s) too: cce-image-wizard cleanup --build ID.` : ''}
							</Text>
						)}
					<PresetStep
						presets={state.presets}
						lastPreset={state.lastPreset}
						history={state.history}
						isActive={screenActive}
						resume={state.started ? `Continue with the answers so far${state.presetName ? ` (preset ${state.presetName})` : ''}` : undefined}
						onChoose={choice => {
							setProblem(undefined);
							if (choice.kind === 'resume') return dispatch({type: 'resume-answers'});
							if (choice.kind === 'new') return dispatch({type: 'preset-chosen'});
							if (choice.listing.error) return setProblem(`${choice.listing.name}: ${choice.listing.error}`);
							setProblem(undefined);
							dispatch({type: 'preset-chosen', name: choice.listing.name, values: choice.listing.values});
						}}
					/>
					</Box>
				);
			case 'answers': {
				const key = questionKey!;
				return (
					<QuestionStep
						key={`${key}:${state.question}`}
						setting={SETTINGS_BY_KEY.get(key)!}
						answer={state.answers.get(key)!}
						choices={choiceKey ? choices[choiceKey] : undefined}
						position={`${state.question + 1}/${state.questions.length}`}
						onListedChange={setListed}
						isActive={screenActive}
						onAnswer={value => dispatch({type: 'answered', key, value})}
					/>
				);
			}
			case 'secrets':
				return (
					<SecretsStep
						key={state.keyField}
						isActive={screenActive}
						exported={{accessKey: props.env['IAM_ACCESS_KEY'] || undefined, secretKey: props.env['IAM_SECRET_KEY'] || undefined}}
						field={state.keyField}
						accessKey={state.typedKeys.access_key}
						way={way}
						suggested={suggestedWay}
						onWay={mode => dispatch({type: 'way-chosen', mode})}
						onKey={(field, value, mode) => dispatch({type: 'key-entered', field, value, mode})}
					/>
				);
			case 'checks': {
				const verdict = checksVerdict(state);
				const blockedVerdict = `Fix what failed, then r to run the checks again${state.checks.some(r => r.correction) ? ' (or c to apply the suggested correction)' : ''}.`;
				return (
					<Box flexDirection="column">
						{/* The verdict below can wrap to two lines on a narrow terminal: the list gives them up. */}
						<ChecksStep plan={plan} results={state.checks} running={state.checksRunning} height={room - (verdict === 'blocked' ? wrapText(blockedVerdict, columns).length : 1)} columns={columns} isActive={screenActive} />
						{verdict === 'blocked' && <Text color={tint('red')}>{blockedVerdict}</Text>}
						{verdict === 'warnings' && <Text color={tint('yellow')}>Warnings: read them, then Enter to continue anyway (or fix and r).</Text>}
						{verdict === 'clear' && <Text color={tint('green')}>All clear: Enter to review.</Text>}
					</Box>
				);
			}
			case 'review':
				return (
					<ReviewStep
						answers={state.answers}
						credential={state.credential}
						presetName={state.presetName}
						workspace={state.workspace}
						height={room}
						columns={columns}
						isActive={screenActive}
						onModeChange={setReviewMode}
						actions={{
							save: async (name, force) => {
								try {
									await savePreset(state.workspace, name, presetValuesOf(state.answers.values()), {force});
									store.current?.setLastPreset(state.workspace, name);
									dispatch({type: 'presets-loaded', presets: await listPresets(state.workspace)});
									return 'saved';
								} catch (error) {
									if (error instanceof PresetExistsError) return 'exists';
									return (error as Error).message;
								}
							},
							writeEnv: async () => {
								await writeEnvFile(`${state.workspace}/build.env`, state.answers, state.presetName ? `preset ${state.presetName}` : 'the wizard');
								return `Wrote build.env (mode 0600, no keys): source build.env, then export the keys (read -rs) and make image.`;
							},
							edit: key => dispatch({type: 'edit-setting', key}),
							build: () => dispatch({type: 'continue'}),
						}}
					/>
				);
			case 'build':
				return launched ? (
					<BuildScreen controls={launched.handle} title={`Building image (build ${launched.record.id})`} onContinue={() => void launched.finished.then(({result}) => dispatch({type: 'build-finished', result}))} />
				) : (
					<Text>Starting packer.sh…</Text>
				);
			case 'result':
				return <ResultStep result={state.build!} credentialLines={credentialLinesOf(state.credential)} />;
			case 'cleanup': {
				const build = state.cleanupBuild!;
				const typed = (key: string) => state.answers.get(key)?.value || props.env[key === 'access_key' ? 'IAM_ACCESS_KEY' : 'IAM_SECRET_KEY'] || '';
				const keys = typed('access_key') && typed('secret_key') ? {accessKey: typed('access_key'), secretKey: typed('secret_key')} : undefined;
				return store.current ? (
					<ChecklistScreen
						context={{workspace: state.workspace, build, keys, region: build.region || state.answers.get('region_name')?.value, env: props.env}}
						state={store.current}
						onDone={() => dispatch({type: 'quit'})}
					/>
				) : (
					<Text>Opening the checklist…</Text>
				);
			}
		}
	};

	if (state.step === 'build') return body();
	const current = STEPS.indexOf(state.step);
	return (
		<Box flexDirection="column">
			<Header steps={STEPS.map(s => STEP_TITLES[s])} current={current === -1 ? 0 : current} columns={columns} />
			{body()}
			{state.overlay === 'quit' && <Text color={tint('yellow')}>{quitQuestion}</Text>}
			{message && <Text color={tint(problem ? 'red' : 'cyan')} wrap="wrap">{message}</Text>}
			<Footer keys={footerKeys(state, {review: reviewMode, listed: state.step === 'answers' && listed})} columns={columns} />
		</Box>
	);
}
