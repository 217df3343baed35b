/**
 * Whether the plugin the template pins can take the credential the build will use: a
 * temporary credential (credentials=temporary|agency, or an exported IAM_SECURITY_TOKEN)
 * needs a security token, which plugin 0.4.0 does not know; 1.2.2 does.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {valueOf} from '../answers.js';
import {credentialMode} from '../settings.js';
import {requiredPlugins} from '../template.js';
import {satisfies} from '../version.js';
import type {Check} from './engine.js';
import {templateFile, type CheckContext} from './context.js';

/** The huaweicloud plugin's version constraint in a template, when it has one. */
export function pluginConstraint(templateText: string): string | undefined {
	return requiredPlugins(templateText).find(p => p.name === 'huaweicloud')?.version;
}

/** Whether a pin can load a plugin without security-token support (0.4.0 has none). */
export function pinAllowsTokenless(constraint: string): boolean {
	return satisfies('0.4.0', constraint);
}

export const REPIN_FIX = (file: string) =>
	`Pin the plugin to 1.2.2: in ${file}, set version = "= 1.2.2" in required_plugins (or lay out a new kit with \`cce-image-wizard init --plugin 1.2.2\`); or use credentials=key with a long-term key.`;

export const pluginCredentialsCheck: Check<CheckContext> = {
	id: 'plugin.credentials',
	title: 'Plugin takes the credential',
	family: 'plugin',
	async run(context) {
		const mode = credentialMode(new Map([['credentials', valueOf(context.answers, 'credentials')]]));
		const token = mode !== 'key' || valueOf(context.answers, 'security_token') !== '';
		const file = templateFile(context);
		const text = await readFile(file, 'utf8').catch(() => undefined);
		const constraint = text === undefined ? undefined : pluginConstraint(text);
		const shown = path.basename(file);
		if (!constraint) return {status: 'skip', detail: `${shown} pins no huaweicloud plugin version`};
		const version = constraint.replace(/^=\s*/, '');
		const tokenless = pinAllowsTokenless(constraint);
		if (!token) {
			return tokenless
				? {status: 'pass', detail: `credentials=key: your key goes to plugin ${version}, as the procedure does`}
				: {status: 'pass', detail: `credentials=key: your key goes to plugin ${version}; credentials=temporary would keep it out of Packer (plugin ${version} takes temporary credentials)`};
		}
		const what = mode === 'key' ? 'a security token (IAM_SECURITY_TOKEN)' : `credentials=${mode}`;
		if (tokenless) {
			return {
				status: 'fail',
				detail: `${what} needs a security token, which plugin ${version} (pinned in ${shown}) does not take; plugin 1.2.2 does`,
				fix: REPIN_FIX(shown),
			};
		}
		return {status: 'pass', detail: `plugin ${version} takes the security token of ${mode === 'key' ? 'your temporary credential' : `the ${mode} credential`}`};
	},
};
