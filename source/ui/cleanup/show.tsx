/** Opens the checklist screen for `cleanup` on a terminal. */
import {render} from 'ink';
import type {CleanupContext} from '../../core/cleanup/checklist.js';
import type {State} from '../../core/state.js';
import {restoreTerminalOnExit} from '../terminal.js';
import {ChecklistScreen} from './ChecklistScreen.js';

export async function showChecklist(context: CleanupContext, state: State): Promise<number> {
	const restore = restoreTerminalOnExit();
	const app = render(<ChecklistScreen context={context} state={state} onDone={() => app.unmount()} />, {exitOnCtrlC: false, patchConsole: false});
	try {
		await app.waitUntilExit();
	} finally {
		restore();
	}
	return 0;
}
