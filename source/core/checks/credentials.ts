/**
 * Whether the plugin the template pins can take the credential the build will use: a
 * temporary credential (credentials=temporary|agency, or an exported IAM_SECURITY_TOKEN)
 * needs a security token, which plugin 0.4.0 does not know; 1.x does.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {valueOf} from '../answers.js';
import {pluginPin} from '../plugin-pin.js';
import {credentialMode} from '../settings.js';
import type {Check} from './engine.js';
import {templateFile, type CheckContext} from './context.js';

export const pluginCredentialsCheck: Check<CheckContext> = {
	id: 'plugin.credentials',
	title: 'Plugin takes the credential',
	family: 'plugin',
	async run(context) {
		const mode = credentialMode(new Map([['credentials', valueOf(context.answers, 'credentials')]]));
		const token = mode !== 'key' || valueOf(context.answers, 'security_token') !== '';
		const file = templateFile(context);
		const text = await readFile(file, 'utf8').catch(() => undefined);
		const pin = text === undefined ? undefined : pluginPin(text);
		const relative = path.relative(context.workspace, file) || file;
		if (!pin?.version) return {status: 'skip', detail: `${relative} pins no huaweicloud plugin version`};
		if (!token) {
			return pin.generation === 0
				? {status: 'pass', detail: `credentials=key: your key goes to plugin ${pin.version}, as the procedure does`}
				: {status: 'pass', detail: `credentials=key: your key goes to plugin ${pin.version}; credentials=temporary would keep it out of Packer (this plugin takes temporary credentials)`};
		}
		const what = mode === 'key' ? 'a security token (IAM_SECURITY_TOKEN)' : `credentials=${mode}`;
		if (pin.generation === 0) {
			return {
				status: 'fail',
				detail: `${what} needs a security token, which plugin ${pin.version} (pinned in ${relative}) does not take; plugin 1.2.2 does`,
				fix: `Pin the plugin to 1.2.2 (c in the wizard; or set version = "= 1.2.2" in required_plugins of ${relative}), or use credentials=key with a long-term key.`,
				...(pin.line === undefined
					? {}
					: {correction: {key: 'plugin', value: '1.2.2', reason: `re-pin the plugin to = 1.2.2 in ${relative}, which takes security tokens; only that line changes`, applies: 'plugin-pin' as const}}),
			};
		}
		return {status: 'pass', detail: `plugin ${pin.version} takes the security token of ${mode === 'key' ? 'your temporary credential' : `the ${mode} credential`}`};
	},
};
