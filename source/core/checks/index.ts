/** Every check, in the order they are shown. */
import type {Check} from './engine.js';
import type {CheckContext} from './context.js';
import {cloudChecks} from './cloud.js';
import {distributionChecks} from './distribution.js';
import {pluginCredentialsCheck} from './credentials.js';
import {executorChecks} from './executor.js';
import {kernelParametersCheck, kitSecretsCheck, userScriptsCheck} from './kit-files.js';
import {packerChecks} from './packer.js';
import {pluginCheck} from './plugin.js';
import {settingsCheck} from './settings-check.js';

/** The checks that run on the executor itself (no cloud access needed). */
export function localChecks(): Array<Check<CheckContext>> {
	return [settingsCheck, ...executorChecks, ...packerChecks, pluginCheck, pluginCredentialsCheck, userScriptsCheck, kernelParametersCheck, kitSecretsCheck];
}

/** Every check: the executor's, then the cloud's (which skip without keys). */
export function allChecks(env: Readonly<Record<string, string | undefined>>): Array<Check<CheckContext>> {
	return [...localChecks(), ...cloudChecks(env), ...distributionChecks(env)];
}
