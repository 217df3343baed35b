/**
 * Answers (with the keys, held in memory) → the environment packer.sh needs, and
 * build.env: the same without the keys, sourceable by bash.
 */
import {AnswerError, valueOf, type Answers} from './answers.js';
import type {BuildCredential} from './cloud/credential.js';
import {writeFileAtomic} from './files.js';
import {credentialMode, SETTINGS, SETTINGS_BY_KEY, unsafeValueProblem, type Setting} from './settings.js';

export type BuildEnvironment = Record<string, string>;

/** Whether a setting belongs in the child environment with this value. */
function carried(s: Setting, value: string): boolean {
	// Settings read by the template from a fixed name (the procedure's variables, HW_PROJECT_ID)
	// go when they have a value; PKR_VAR_ overrides only when they differ from the template's default.
	if (!s.env.startsWith('PKR_VAR_')) return value !== '';
	return value !== s.default;
}

/**
 * The variables packer.sh needs: the seven of the procedure, HW_PROJECT_ID when known,
 * and PKR_VAR_<name> for every template variable that is not at its default.
 */
export function buildEnvironment(answers: Answers): BuildEnvironment {
	// With credentials=temporary|agency the operator's keys are not the build's: see childEnvironment.
	const keysAreTheBuilds = mode(answers) === 'key';
	const env: BuildEnvironment = {};
	for (const s of SETTINGS) {
		// CCE_CLOUD too: packer.sh derives the plugin's IAM endpoint (HW_AUTH_URL) from it.
		if (!s.variable && s.env !== 'CCE_CLOUD') continue;
		if (s.secret && !keysAreTheBuilds) continue;
		const value = answers.get(s.key)?.value ?? '';
		if (carried(s, value)) env[s.env] = value;
	}
	return env;
}

const mode = (answers: Answers) => credentialMode(new Map([['credentials', valueOf(answers, 'credentials')]]));

/** Every name a credential can reach Packer or its plugin under. */
export const CREDENTIAL_VARIABLES = ['IAM_ACCESS_KEY', 'IAM_SECRET_KEY', 'IAM_SECURITY_TOKEN', 'HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_SECURITY_TOKEN'];

export class CredentialMissingError extends Error {
	override name = 'CredentialMissingError';
}

/**
 * The environment packer.sh runs with: `base` without any credential of its own (an exported
 * HW_ACCESS_KEY would reach the plugin otherwise), the build environment, and the build's
 * credential — with credentials=temporary|agency only the temporary AK, SK and security token,
 * never the operator's long-term key.
 */
export function childEnvironment(
	answers: Answers,
	credential: BuildCredential | undefined,
	base: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(base)) if (value !== undefined && !CREDENTIAL_VARIABLES.includes(name)) env[name] = value;
	Object.assign(env, buildEnvironment(answers));
	const wanted = mode(answers);
	if (wanted !== 'key') {
		if (!credential || credential.mode !== wanted || !credential.securityToken) {
			throw new CredentialMissingError(`credentials=${wanted}: no ${wanted} credential yet; run the checks, which obtain it, before the build`);
		}
		if (credential.expiresAt && credential.expiresAt.getTime() <= Date.now() + 60_000) {
			throw new CredentialMissingError(`the ${wanted} credential expired at ${credential.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; run the checks again for a fresh one`);
		}
		env['IAM_ACCESS_KEY'] = credential.accessKey;
		env['IAM_SECRET_KEY'] = credential.secretKey;
		env['IAM_SECURITY_TOKEN'] = credential.securityToken;
	}
	return env;
}

/** A value quoted for bash, so that sourcing gives back exactly the value. */
export function shellQuote(value: string): string {
	return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The text of build.env: `export` lines for everything but the keys, and how to add the keys safely. */
export function envFileText(answers: Answers, origin: string): string {
	const env = buildEnvironment(answers);
	const secretNames = new Set(SETTINGS.filter(s => s.secret).map(s => s.env));
	const lines = [
		`# Build environment for cce-image-wizard (${origin}).`,
		'# It holds no keys. Load it and add the keys without them reaching disk or shell history:',
		'#   source build.env',
		'#   read -rsp "Access key: " IAM_ACCESS_KEY; echo; read -rsp "Secret key: " IAM_SECRET_KEY; echo',
		'#   export IAM_ACCESS_KEY IAM_SECRET_KEY',
		'#   make image',
		'',
	];
	const unsafe = [...answers.values()].filter(a => a.concealed || unsafeValueProblem(SETTINGS_BY_KEY.get(a.key)!, a.value));
	if (unsafe.length > 0) throw new AnswerError(`build.env not written: ${unsafe.map(a => a.problem ?? a.key).join(' ')}`);
	for (const [name, value] of Object.entries(env)) {
		if (!secretNames.has(name)) lines.push(`export ${name}=${shellQuote(value)}`);
	}
	return `${lines.join('\n')}\n`;
}

/** Writes build.env with mode 0600 (only its owner reads it), atomically. */
export async function writeEnvFile(file: string, answers: Answers, origin: string): Promise<void> {
	await writeFileAtomic(file, envFileText(answers, origin), 0o600);
}
