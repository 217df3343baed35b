/**
 * Answers: one value per setting, from four sources with one precedence —
 * command-line flags > environment > preset > defaults — each remembering its source.
 */
import {checkValue, crossCheck, SETTINGS, SETTINGS_BY_KEY, unsafeValueProblem, unusedSettings, type Setting} from './settings.js';
import {mask} from './secrets.js';

export type Source = 'flag' | 'env' | 'preset' | 'default' | 'prompt' | 'cloud' | 'unset';

export type Answer = {
	key: string;
	value: string;
	source: Source;
	/** Why the value cannot be used, naming the setting; undefined when it can. */
	problem?: string;
	/** The value looks like a key, is one of the keys, or holds control characters: never shown. */
	concealed?: boolean;
};

export type Answers = ReadonlyMap<string, Answer>;

export type AnswerInputs = {
	/** `--set key=value` pairs, already split. */
	flags?: ReadonlyMap<string, string>;
	env?: Readonly<Record<string, string | undefined>>;
	preset?: ReadonlyMap<string, string>;
};

export class AnswerError extends Error {
	override name = 'AnswerError';
}

/**
 * Splits `--set key=value` words into a map; unknown keys and secrets on the command
 * line (they would land in shell history and `ps`) are refused.
 */
export function parseSetFlags(words: readonly string[]): Map<string, string> {
	const flags = new Map<string, string>();
	for (const word of words) {
		const eq = word.indexOf('=');
		const key = eq === -1 ? word : word.slice(0, eq);
		const s = SETTINGS_BY_KEY.get(key);
		if (eq === -1 || !s) {
			throw new AnswerError(
				s
					? `--set ${key} needs a value: --set ${key}=VALUE`
					: `--set: unknown setting '${key}'. Settings: ${SETTINGS.filter(x => !x.secret)
							.map(x => x.key)
							.join(', ')}`,
			);
		}
		if (s.secret) {
			throw new AnswerError(
				`--set ${key}: keys are never taken from the command line (shell history, ps). Export ${s.env} (read -rs ${s.env}; export ${s.env}) or type it in the wizard.`,
			);
		}
		flags.set(key, word.slice(eq + 1).trim());
	}
	return flags;
}

/** Resolves every setting from the inputs, validating each value and the pairs that go together. */
export function resolveAnswers(inputs: AnswerInputs): Map<string, Answer> {
	const answers = new Map<string, Answer>();
	for (const s of SETTINGS) {
		const fromEnv = inputs.env?.[s.env]?.trim();
		let answer: Answer;
		if (inputs.flags?.has(s.key)) answer = {key: s.key, value: inputs.flags.get(s.key)!, source: 'flag'};
		else if (fromEnv !== undefined && fromEnv !== '') answer = {key: s.key, value: fromEnv, source: 'env'};
		else if (inputs.preset?.has(s.key)) answer = {key: s.key, value: inputs.preset.get(s.key)!, source: 'preset'};
		else if (s.default !== undefined) answer = {key: s.key, value: s.default, source: 'default'};
		else answer = {key: s.key, value: '', source: 'unset'};
		answers.set(s.key, withProblem(s, answer));
	}
	return withCrossProblems(answers);
}

function withProblem(s: Setting, answer: Answer): Answer {
	const plain = {key: answer.key, value: answer.value, source: answer.source};
	const unsafe = unsafeValueProblem(s, answer.value);
	if (unsafe) return {...plain, problem: unsafe, concealed: true};
	const problem = checkValue(s, answer.value);
	return problem === undefined ? plain : {...plain, problem};
}

/** Settings other than the keys whose value is one of the keys given (whatever it looks like). */
function concealKeys(answers: Map<string, Answer>): void {
	const keys = SETTINGS.filter(s => s.secret)
		.map(s => ({label: s.label, value: answers.get(s.key)?.value ?? ''}))
		.filter(k => k.value.length >= 8);
	for (const [key, answer] of answers) {
		const s = SETTINGS_BY_KEY.get(key)!;
		if (s.secret || answer.concealed) continue;
		const same = keys.find(k => answer.value.toLowerCase().includes(k.value.toLowerCase()));
		if (same) {
			answers.set(key, {
				...answer,
				concealed: true,
				problem: `${s.label} (${s.env}): the value given holds the ${same.label}, so it is neither shown nor used. Give this setting its own value.`,
			});
		}
	}
}

function withCrossProblems(answers: Map<string, Answer>): Map<string, Answer> {
	concealKeys(answers);
	const values = new Map([...answers].map(([key, a]) => [key, a.value]));
	// What the credentials mode does not use is no problem when missing or malformed.
	for (const key of unusedSettings(values)) {
		const answer = answers.get(key);
		if (answer?.problem) answers.set(key, {key: answer.key, value: answer.value, source: answer.source});
	}
	for (const {key, message} of crossCheck(values)) {
		const answer = answers.get(key)!;
		if (!answer.problem) answers.set(key, {...answer, problem: message});
	}
	return answers;
}

/** The answers with one value changed (as the wizard does when the operator types one). */
export function withAnswer(answers: Answers, key: string, value: string, source: Source = 'prompt'): Map<string, Answer> {
	const s = SETTINGS_BY_KEY.get(key);
	if (!s) throw new AnswerError(`no setting '${key}'`);
	const next = new Map<string, Answer>([...answers].map(([k, a]) => [k, {key: a.key, value: a.value, source: a.source}]));
	next.set(key, {key, value: value.trim(), source});
	for (const [k, a] of next) next.set(k, withProblem(SETTINGS_BY_KEY.get(k)!, a));
	return withCrossProblems(next);
}

/** The value of a setting ('' when unset). */
export function valueOf(answers: Answers, key: string): string {
	return answers.get(key)?.value ?? '';
}

export function problems(answers: Answers): string[] {
	return [...answers.values()].flatMap(a => (a.problem ? [a.problem] : []));
}

/** The value of a setting as a person may see it: secrets masked, concealed values hidden. */
export function shown(answer: Answer): string {
	const s = SETTINGS_BY_KEY.get(answer.key);
	if (s?.secret) return answer.value ? mask(answer.value) : '';
	if (answer.concealed) return '(hidden)';
	return answer.value;
}

/** The non-secret answers as a plain object for `--json`, secrets masked. */
export function answersJson(answers: Answers): Array<{key: string; env: string; value: string; source: Source; problem?: string}> {
	return [...answers.values()].map(a => ({
		key: a.key,
		env: SETTINGS_BY_KEY.get(a.key)!.env,
		value: shown(a),
		source: a.source,
		...(a.problem ? {problem: a.problem} : {}),
	}));
}
