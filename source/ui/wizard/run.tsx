/** Starts the interactive wizard; resolves with the exit code when the operator is done. */
import path from 'node:path';
import {render} from 'ink';
import {parseSetFlags} from '../../core/answers.js';
import type {Options} from '../../core/args.js';
import {listKit, missingKitFiles} from '../../core/kit.js';
import {listPresets, loadPreset} from '../../core/presets.js';
import {restoreTerminalOnExit} from '../terminal.js';
import {App} from './App.js';

export async function runWizard(options: Options, workspace: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
	const flags = parseSetFlags(options.set);
	const preset = options.preset ? await loadPreset(workspace, options.preset) : undefined;
	const [missingKit, presets, kitFiles] = await Promise.all([missingKitFiles(workspace), listPresets(workspace), listKit()]);
	const restore = restoreTerminalOnExit();
	const ended: {outcome: 'built' | 'quit' | 'failed'; buildId?: string} = {outcome: 'quit'};
	const app = render(
		<App
			workspace={workspace}
			env={env}
			inputs={{flags, env, preset: preset?.values}}
			presetName={preset?.name}
			yes={options.yes}
			missingKit={missingKit}
			kitFiles={kitFiles}
			presets={presets}
			openState={async () => new (await import('../../core/state.js')).State()}
			onExit={(result, buildId) => {
				ended.outcome = result;
				ended.buildId = buildId;
			}}
		/>,
		{exitOnCtrlC: false, patchConsole: false},
	);
	try {
		await app.waitUntilExit();
	} finally {
		restore();
	}
	if (ended.buildId) {
		// Leaving with the checklist not done (the key still live, items open): one line on what is left.
		const [{State}, {leftToDo}, {startedWith}, {packageRoot}] = await Promise.all([
			import('../../core/state.js'),
			import('../../core/cleanup/checklist.js'),
			import('../../core/started-with.js'),
			import('../../core/kit.js'),
		]);
		const state = new State();
		const build = state.builds().find(b => b.id === ended.buildId);
		const here = path.resolve(workspace) === process.cwd() ? '' : ` --dir ${workspace}`;
		const line = build && leftToDo(state, build, `${startedWith({packageRoot, cwd: process.cwd(), env})} cleanup${here}`);
		if (line) process.stdout.write(`${line}\n`);
	}
	return ended.outcome === 'built' ? 0 : 1;
}
