/** Starts the interactive wizard; resolves with the exit code when the operator is done. */
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
	const ended: {outcome: 'built' | 'quit' | 'failed'} = {outcome: 'quit'};
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
			onExit={result => {
				ended.outcome = result;
			}}
		/>,
		{exitOnCtrlC: false, patchConsole: false},
	);
	try {
		await app.waitUntilExit();
	} finally {
		restore();
	}
	return ended.outcome === 'built' ? 0 : 1;
}
