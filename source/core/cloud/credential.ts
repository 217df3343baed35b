/**
 * The credential a build runs with, by the `credentials` setting:
 *   key        the operator's AK/SK (and a security token, if they exported one), as the procedure does;
 *   temporary  the operator's AK/SK only sign IAM `POST /v3.0/OS-CREDENTIAL/securitytokens`, which
 *              returns a temporary AK, SK and security token; Packer gets only those;
 *   agency     the executor's IAM agency: the ECS metadata service hands out a temporary credential
 *              (`GET /openstack/latest/securitykey`); no key is asked for at all.
 * A temporary credential expires by itself: nothing to delete afterwards.
 */
import {mask} from '../secrets.js';
import type {CredentialMode} from '../settings.js';
import {CloudError, type CloudClient, type Credentials} from './client.js';
import {parseOverride} from './endpoints.js';

export type BuildCredential = Credentials & {
	mode: CredentialMode;
	/** When a temporary credential stops working. */
	expiresAt?: Date;
	/** The operator's long-term access key, masked, when it only minted the temporary one. */
	mintedWith?: string;
};

/** What the IAM API and the metadata service both answer (SDK model `Credential`). */
type CredentialBody = {credential?: {access?: string; secret?: string; securitytoken?: string; expires_at?: string}};

export class CredentialError extends Error {
	override name = 'CredentialError';
	constructor(
		message: string,
		readonly fix: string,
	) {
		super(message);
	}
}

/** "2026-11-25T19:41:07.000000Z" (microseconds, as IAM writes them) → a Date. */
export function parseExpiry(text: string | undefined): Date | undefined {
	if (!text) return undefined;
	const date = new Date(text.replace(/(\.\d{3})\d+/, '$1'));
	return Number.isNaN(date.getTime()) ? undefined : date;
}

function fromBody(body: unknown, mode: CredentialMode, where: string): BuildCredential {
	const c = (body as CredentialBody | undefined)?.credential;
	if (!c?.access || !c.secret || !c.securitytoken) throw new CredentialError(`${where} answered without a credential (access, secret, securitytoken)`, 'Run the checks again; if it persists, ask Huawei Cloud support.');
	return {mode, accessKey: c.access, secretKey: c.secret, securityToken: c.securitytoken, expiresAt: parseExpiry(c.expires_at)};
}

/** The permissions a build needs, for a refusal to name (agency or user policy). */
export const BUILD_PERMISSIONS =
	'ECS FullAccess (servers, key pairs), VPC FullAccess (EIP, security groups), EVS FullAccess (the system disk) and IMS FullAccess (the image), or a custom policy with those actions, in the build region';

/**
 * Mints a temporary credential with the operator's AK/SK (`client` signs with them). IAM
 * needs no special permission for it.
 */
export async function mintTemporary(client: CloudClient, durationSeconds: number, signal?: AbortSignal): Promise<BuildCredential> {
	const body = {auth: {identity: {methods: ['token'], token: {duration_seconds: durationSeconds}}}};
	const response = await client.request('iam', 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', {body, signal});
	return fromBody(response.body, 'temporary', 'IAM');
}

/** The metadata service: CCE_ENDPOINT_METADATA, or the link-local address every ECS reaches. */
export function metadataEndpoint(env: Readonly<Record<string, string | undefined>>): URL {
	const override = env['CCE_ENDPOINT_METADATA'];
	return override ? parseOverride('CCE_ENDPOINT_METADATA', override) : new URL('http://169.254.169.254');
}

const NO_AGENCY = 'Please configure Cloud Service Agency first';

/**
 * The executor's agency credential from the ECS metadata service. Like Huawei's SDK, it first
 * asks for a session token (`PUT /meta-data/latest/api/token`) and goes on without one where the
 * service has none.
 */
export async function agencyCredential(
	env: Readonly<Record<string, string | undefined>>,
	options: {signal?: AbortSignal; timeoutMs?: number} = {},
): Promise<BuildCredential> {
	const base = metadataEndpoint(env);
	const url = (path: string) => new URL(base.href.replace(/\/$/, '') + path);
	const timeoutMs = options.timeoutMs ?? 3_000;
	const call = async (method: string, path: string, headers: Record<string, string>) => {
		try {
			const signals = [AbortSignal.timeout(timeoutMs), options.signal].filter((s): s is AbortSignal => s !== undefined);
			const response = await fetch(url(path), {method, headers, signal: AbortSignal.any(signals)});
			return {status: response.status, text: await response.text()};
		} catch (error) {
			if (options.signal?.aborted) throw error;
			throw new CredentialError(
				`no ECS metadata service at ${base.host} (${(error as Error & {cause?: Error}).cause?.message ?? (error as Error).message})`,
				'credentials=agency works only on a Huawei Cloud ECS with an IAM agency; elsewhere use credentials=temporary with your AK/SK.',
			);
		}
	};
	const session = await call('PUT', '/meta-data/latest/api/token', {'X-Metadata-Token-Ttl-Seconds': '21600'});
	const headers: Record<string, string> = session.status === 200 && session.text ? {'X-Metadata-Token': session.text.trim()} : {};
	const answer = await call('GET', '/openstack/latest/securitykey', headers);
	if (answer.status === 401 || answer.status === 404 || answer.text.includes(NO_AGENCY)) {
		throw new CredentialError(
			`this executor has no IAM agency: the metadata service answered HTTP ${answer.status}${answer.text.includes(NO_AGENCY) ? ` (${NO_AGENCY})` : ''}`,
			`Attach an agency to this ECS (ECS → the executor → Management Information → Agency; create one for "Elastic Cloud Server (ECS)" in IAM → Agencies) with ${BUILD_PERMISSIONS}.`,
		);
	}
	if (answer.status !== 200) throw new CredentialError(`the metadata service answered HTTP ${answer.status}`, 'Run the checks again; the metadata service may be busy.');
	let body: unknown;
	try {
		body = JSON.parse(answer.text);
	} catch {
		throw new CredentialError('the metadata service answered something that is not JSON', 'Check CCE_ENDPOINT_METADATA, or unset it.');
	}
	return fromBody(body, 'agency', 'the metadata service');
}

/**
 * The credential for the build: the given keys, a minted temporary credential, or the agency's.
 * `client` signs with the operator's keys (unused for agency).
 */
export async function obtainCredential(
	mode: CredentialMode,
	keys: Credentials,
	options: {client?: CloudClient; durationSeconds: number; env: Readonly<Record<string, string | undefined>>; signal?: AbortSignal},
): Promise<BuildCredential> {
	switch (mode) {
		case 'key':
			return {mode, ...keys};
		case 'temporary': {
			if (!options.client) throw new CredentialError('needs your access key and secret key to mint the temporary credential', 'Export IAM_ACCESS_KEY and IAM_SECRET_KEY (or type them in the wizard).');
			const minted = await mintTemporary(options.client, options.durationSeconds, options.signal);
			return {...minted, mintedWith: mask(keys.accessKey)};
		}
		case 'agency':
			return agencyCredential(options.env, {signal: options.signal});
	}
}

/** How a credential is described to a person: never more than its masked AK. */
export function describeCredential(credential: BuildCredential, now = new Date()): string {
	switch (credential.mode) {
		case 'key':
			return `long-term key ${mask(credential.accessKey)}${credential.securityToken ? ' with a security token' : ''}`;
		case 'temporary':
			return `temporary credential ${mask(credential.accessKey)} (minted with ${credential.mintedWith ?? 'your key'})${expiryText(credential, now)}`;
		case 'agency':
			return `agency credential ${mask(credential.accessKey)} from the metadata service${expiryText(credential, now)}`;
	}
}

/** ", expires 19:41 UTC (in 59 min)". */
export function expiryText(credential: Pick<BuildCredential, 'expiresAt'>, now = new Date()): string {
	if (!credential.expiresAt) return '';
	return `, expires ${formatExpiry(credential.expiresAt, now)}`;
}

export function formatExpiry(expiresAt: Date, now = new Date()): string {
	const minutes = Math.round((expiresAt.getTime() - now.getTime()) / 60_000);
	const when = `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
	if (minutes < 0) return `${when} (expired)`;
	return `${when} (in ${minutes >= 120 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`})`;
}

/** "15m", "1h30m", "90s" → seconds. */
export function durationSeconds(text: string): number {
	let total = 0;
	for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) total += Number(amount) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
	return total;
}

/** The longest image creation the plugin waits for (0.4.0: 15 minutes), plus room for the rest of the build. */
const IMAGE_WAIT_SECONDS = 15 * 60;
const BUILD_MARGIN_SECONDS = 15 * 60;

/** Whether a credential that expires at `expiresAt` may end before a build started now. */
export function mayOutlast(sshTimeout: string, expiresAt: Date, now = new Date()): {needed: number; left: number} | undefined {
	const needed = durationSeconds(sshTimeout || '15m') + IMAGE_WAIT_SECONDS + BUILD_MARGIN_SECONDS;
	const left = Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
	return left < needed ? {needed, left} : undefined;
}

/** Whether a refusal of a call made with the build's credential is a permission problem. */
export function isPermissionRefusal(error: unknown): boolean {
	return error instanceof CloudError && error.status === 403;
}
