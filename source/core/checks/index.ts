/** Every check, in the order they are shown. */
import type {Check} from './engine.js';
import type {CheckContext} from './context.js';
import {executorChecks} from './executor.js';
import {kernelParametersCheck, kitSecretsCheck, userScriptsCheck} from './kit-files.js';
import {packerChecks} from './packer.js';
import {pluginCheck} from './plugin.js';
import {settingsCheck} from './settings-check.js';

/** The checks that run on the executor itself (no cloud access needed). */
export function localChecks(): Array<Check<CheckContext>> {
	return [settingsCheck, ...executorChecks, ...packerChecks, pluginCheck, userScriptsCheck, kernelParametersCheck, kitSecretsCheck];
}
