/** Renders the build panes for `build` on a terminal, until the build has ended. */
import {render} from 'ink';
import type {LaunchedBuild} from '../../core/run/launch.js';
import {restoreTerminalOnExit} from '../terminal.js';
import {BuildScreen} from './BuildScreen.js';

export async function showBuildPanes(launched: LaunchedBuild): Promise<void> {
	const restore = restoreTerminalOnExit();
	const app = render(<BuildScreen controls={launched.handle} title={`Building image (build ${launched.record.id})`} />, {exitOnCtrlC: false, patchConsole: false});
	try {
		await launched.finished;
		// One last frame with the result, then hand the terminal back.
		await new Promise(resolve => setTimeout(resolve, 150));
	} finally {
		app.unmount();
		restore();
	}
}
