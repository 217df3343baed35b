/**
 * The review as lines that fit the screen's width (pure): each setting's value wraps inside
 * its column, so the source column stays in line; the environment Packer gets is shown in
 * full, one variable a line, keys masked.
 */
import {shown, type Answer} from '../../core/answers.js';
import {describeCredential, mayOutlast, type BuildCredential} from '../../core/cloud/credential.js';
import {buildEnvironment} from '../../core/env.js';
import {mask} from '../../core/secrets.js';
import {SETTINGS, SETTINGS_BY_KEY} from '../../core/settings.js';
import {wrapText} from '../layout.js';

export type ReviewLine = {key: string; text: string; dim?: boolean; source?: string; warn?: boolean};

const SOURCE_WIDTH = 7; // flag, env, preset, prompt, cloud, default

export function reviewLines(answers: ReadonlyMap<string, Answer>, workspace: string, columns: number, credential?: BuildCredential, now = new Date()): ReviewLine[] {
	const rows = SETTINGS.map(s => answers.get(s.key)!).filter(a => a && (a.source !== 'default' || a.value !== ''));
	const labelWidth = Math.max(...rows.map(a => SETTINGS_BY_KEY.get(a.key)!.label.length));
	const valueWidth = Math.max(12, columns - labelWidth - 2 - 1 - SOURCE_WIDTH);
	const lines: ReviewLine[] = [];
	for (const a of rows) {
		const label = SETTINGS_BY_KEY.get(a.key)!.label;
		const pieces = wrapText(shown(a) || '(empty)', valueWidth);
		pieces.forEach((piece, index) =>
			lines.push({key: `${a.key}:${index}`, text: `${(index === 0 ? label : '').padEnd(labelWidth)}  ${piece.padEnd(valueWidth)}`, source: index === 0 ? a.source : undefined}),
		);
	}
	// With credentials=temporary|agency, Packer gets the checks' credential, not the operator's keys.
	const temporary = credential && credential.mode !== 'key' ? credential : undefined;
	if (temporary) {
		for (const [index, piece] of wrapText(`Credential for Packer: ${describeCredential(temporary, now)}`, columns, '  ').entries()) lines.push({key: `credential:${index}`, text: piece});
		const outlasts = temporary.expiresAt ? mayOutlast(answers.get('ssh_timeout')?.value ?? '', temporary.expiresAt, now) : undefined;
		if (outlasts) {
			const text = `The build may take ${Math.round(outlasts.needed / 60)} min; the credential has ${Math.max(0, Math.round(outlasts.left / 60))} min left (e to raise credential_duration).`;
			for (const [index, piece] of wrapText(text, columns, '  ').entries()) lines.push({key: `outlasts:${index}`, text: piece, warn: true});
		}
	}
	const env = {
		...buildEnvironment(answers),
		...(temporary ? {IAM_ACCESS_KEY: temporary.accessKey, IAM_SECRET_KEY: temporary.secretKey, IAM_SECURITY_TOKEN: temporary.securityToken ?? ''} : {}),
	};
	const secretEnv = new Set(SETTINGS.filter(s => s.secret).map(s => s.env));
	lines.push({key: 'env', text: 'Environment Packer gets:', dim: true});
	for (const [name, value] of Object.entries(env)) {
		for (const [index, piece] of wrapText(`${name}=${secretEnv.has(name) ? mask(value) : value}`, columns - 2, '    ').entries()) {
			lines.push({key: `env:${name}:${index}`, text: `  ${piece}`, dim: true});
		}
	}
	for (const [index, piece] of wrapText(`Command: cd ${workspace} && ./packer.sh -machine-readable`, columns, '  ').entries()) {
		lines.push({key: `command:${index}`, text: piece, dim: true});
	}
	return lines;
}
