/** Renders the build panes for `build` on a terminal, until the build has ended (or was left to run). */
import {render} from 'ink';
import type {LaunchedBuild} from '../../core/run/launch.js';
import {waitForEnd} from '../../core/run/signals.js';
import {restoreTerminalOnExit} from '../terminal.js';
import {BuildScreen} from './BuildScreen.js';

export async function showBuildPanes(launched: LaunchedBuild, cancelled: Promise<void>): Promise<'ended' | 'left'> {
	const restore = restoreTerminalOnExit();
	const app = render(<BuildScreen controls={launched.handle} title={`Building image (build ${launched.record.id})`} />, {exitOnCtrlC: false, patchConsole: false});
	try {
		// A Ctrl+C on the panes cancels as a signal does: both start the bounded wait.
		const how = await waitForEnd(launched, Promise.race([cancelled, waitForInterrupt(launched)]));
		// One last frame with the result, then hand the terminal back.
		if (how === 'ended') await new Promise(resolve => setTimeout(resolve, 150));
		return how;
	} finally {
		app.unmount();
		restore();
	}
}

/** Resolves when the operator first asks the build to stop. */
function waitForInterrupt(launched: LaunchedBuild): Promise<void> {
	const {session} = launched.handle;
	return new Promise(resolve => {
		const stop = session.subscribe(() => {
			if (session.interrupts > 0) {
				stop();
				resolve();
			}
		});
	});
}
