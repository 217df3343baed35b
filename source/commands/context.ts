/**
 * What every command starts from: the workspace, and the answers resolved from
 * --set flags, the environment and the preset.
 */
import path from 'node:path';
import {parseSetFlags, resolveAnswers, type Answer} from '../core/answers.js';
import {loadPreset, type Preset} from '../core/presets.js';
import type {Options} from '../core/args.js';

export function workspaceOf(options: Pick<Options, 'dir'>): string {
	return path.resolve(options.dir ?? '.');
}

export type Resolved = {workspace: string; preset?: Preset; answers: Map<string, Answer>};

/** Resolves the answers; throws PresetError / AnswerError with a message for the operator. */
export async function resolveFor(
	options: Pick<Options, 'dir' | 'preset' | 'set'>,
	env: Readonly<Record<string, string | undefined>> = process.env,
	presetName = options.preset,
): Promise<Resolved> {
	const workspace = workspaceOf(options);
	const flags = parseSetFlags(options.set);
	const preset = presetName === undefined ? undefined : await loadPreset(workspace, presetName);
	return {workspace, preset, answers: resolveAnswers({flags, env, preset: preset?.values})};
}
