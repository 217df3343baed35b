/**
 * The after-build checklist: leftovers in the account, keys in logs and files, the shell
 * environment, the temporary access key, the executor. Each item verifies what it can;
 * every change (deletion, redaction) is an explicit action the caller confirms first.
 */
import {lstat, readdir, realpath, rm, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as api from '../cloud/api.js';
import {formatExpiry} from '../cloud/credential.js';
import {CloudClient, CloudError} from '../cloud/client.js';
import {FileError, redactFile, scanFile} from '../files.js';
import {packerTempFolders} from '../run/runner.js';
import {keysInText, redactor, scrubKeys, type KeyPair} from '../secrets.js';
import type {BuildRecord, ChecklistProgress, LedgerEntry, State} from '../state.js';

export type ItemId = 'leftovers' | 'logs' | 'files' | 'environment' | 'access-key' | 'executor';
export type ItemState = 'todo' | 'done' | 'verified' | 'skipped';

export type CleanupFinding = {file?: string; line?: number; message: string; resource?: LedgerEntry};

export type Item = {
	id: ItemId;
	title: string;
	explanation: string;
	state: ItemState;
	/** Why it is skipped, or what the verification found. */
	detail: string;
	findings: CleanupFinding[];
	/** The verification needs the API and no keys are known. */
	needsKeys?: boolean;
	/** What the operator can do here (always confirmed first). */
	actions: Array<'delete-resources' | 'redact' | 'delete-logs' | 'delete-access-key'>;
};

export type CleanupContext = {
	workspace: string;
	build: BuildRecord;
	/** The keys to verify and delete with; a security token with a temporary credential (agency). */
	keys?: {accessKey: string; secretKey: string; securityToken?: string};
	region?: string;
	env: Readonly<Record<string, string | undefined>>;
	home?: string;
	/** The system temp folder (os.tmpdir() unless a test gives its own). */
	tempDir?: string;
	/** Variables the operator exported for the build (for the unset line). */
	exported?: string[];
};

export const ITEM_ORDER: ItemId[] = ['leftovers', 'logs', 'files', 'environment', 'access-key', 'executor'];

const TITLES: Record<ItemId, [string, string]> = {
	leftovers: ['Leftover resources', 'What Packer reported creating and not deleting, and anything named like the kit\'s temporary resources. They cost money until deleted.'],
	logs: ['Keys in Packer logs', 'Debug logs (PACKER_LOG=1) can hold the keys; they are redacted in place, or the logs deleted.'],
	files: ['Keys in files and shell history', 'The template, presets, build.env, *.env files and your shell history, scanned for the keys.'],
	environment: ['Exported variables', 'The wizard cannot change the shell that started it: unset the variables yourself.'],
	'access-key': ['Delete the temporary access key', 'Always the last cloud step: deleting the key ends the wizard\'s own access.'],
	executor: ['Release the executor', 'If this ECS was created only for the build, release it (and its EIP): it keeps costing money.'],
};

const base = (id: ItemId): Omit<Item, 'state' | 'detail'> => ({id, title: TITLES[id][0], explanation: TITLES[id][1], findings: [], actions: []});

function client(context: CleanupContext): CloudClient | undefined {
	if (!context.keys || !context.region) return undefined;
	return new CloudClient({region: context.region, credentials: context.keys, env: context.env});
}

/**
 * The project of the region, found as the credentials check finds it: HW_PROJECT_ID, or the
 * one the build recorded, or IAM by name, falling back to GET /v3/auth/projects (which needs
 * no iam:projects:list).
 */
async function projectId(cloud: CloudClient, region: string, context: CleanupContext): Promise<string> {
	const given = context.env['HW_PROJECT_ID'] || (context.build.region === region ? context.build.projectId : undefined);
	if (given) return given;
	let projects: api.Project[];
	try {
		projects = await api.projectsNamed(cloud, region);
	} catch (error) {
		if (!(error instanceof CloudError) || error.status !== 403) throw error;
		projects = await api.authProjects(cloud);
	}
	const project = projects.find(p => p.name === region);
	if (!project) throw new Error(`no project for region ${region}`);
	return project.id;
}

/** The ledger's leftovers plus a scan for anything named like the kit's temporary resources. */
export async function findLeftovers(context: CleanupContext): Promise<{found: LedgerEntry[]; scanned: boolean; problem?: string}> {
	const result = await scanLeftovers(context);
	// The images the build made and copied are its products: never offered for deletion.
	const products = new Set(productImages(context.build).map(i => i.id));
	return {...result, found: result.found.filter(e => !(e.kind === 'image' && products.has(e.id)))};
}

/** The images a build made (and its copies in other regions), by region. */
export function productImages(build: BuildRecord): Array<{region: string; id: string; name?: string}> {
	const images = (build.images ?? []).filter((i): i is typeof i & {id: string} => i.status === 'active' && i.id !== undefined);
	if (images.length === 0 && build.outcome === 'success' && build.imageId) return [{region: build.region ?? '', id: build.imageId, name: build.imageName}];
	return images.map(i => ({region: i.region, id: i.id, name: i.name}));
}

/** The image (and, with plugin 0.4.0, server) name of a build left at the template's default. */
const DEFAULT_IMAGE_NAME = /^cce-custom-\d{14}$/;

const KIND_WORDS: Record<string, string> = {keypair: 'key pairs', eip: 'EIPs', volume: 'volumes', image: 'private images', server: 'servers', vpc: 'VPCs', subnet: 'subnets'};

/**
 * The ledger's leftovers plus what is named like the kit's temporary resources. Each kind is
 * scanned on its own: one that cannot be listed is named, and the others still count.
 * Without a recorded image name (a classic `make image`), servers named like the template's
 * default image name are looked for.
 */
async function scanLeftovers(context: CleanupContext): Promise<{found: LedgerEntry[]; scanned: boolean; problem?: string}> {
	const found: LedgerEntry[] = [...(context.build.leftovers ?? [])];
	const cloud = client(context);
	if (!cloud) return {found, scanned: false};
	const add = (entry: LedgerEntry) => {
		if (!found.some(e => e.kind === entry.kind && e.id === entry.id)) found.push(entry);
	};
	let project: string;
	try {
		project = await projectId(cloud, context.region!, context);
	} catch (error) {
		return {found, scanned: false, problem: error instanceof CloudError ? error.message : (error as Error).message};
	}
	const problems: string[] = [];
	const unscanned = new Set<string>();
	const list = async <T>(kind: string, call: () => Promise<T[]>): Promise<T[]> => {
		try {
			return await call();
		} catch (error) {
			unscanned.add(kind);
			problems.push(`could not scan ${KIND_WORDS[kind] ?? kind}: ${error instanceof CloudError ? error.message : (error as Error).message}`);
			return [];
		}
	};
	const instance = context.build.imageName;
	const [keypairs, eips, volumes, images, servers, vpcs, subnets] = await Promise.all([
		list('keypair', () => api.listKeypairs(cloud, project)),
		list('eip', () => api.listPublicIps(cloud, project)),
		list('volume', () => api.listVolumes(cloud, project, 'packer_')),
		list('image', () => api.listPrivateImages(cloud)),
		list('server', () => api.listServers(cloud, project, instance ?? 'cce-custom-')),
		// Plugin 1.x without vpc_id makes a vpc-packer-* VPC with a subnet-packer-* subnet.
		list('vpc', () => api.listVpcs(cloud, project).then(all => all.filter(v => v.name.startsWith('vpc-packer-')))),
		list('subnet', () => api.listSubnets(cloud, project, '').then(all => all.filter(n => n.name.startsWith('subnet-packer-')))),
	]);
	for (const k of keypairs.filter(k => k.name.startsWith('packer_'))) add({kind: 'keypair', id: k.name, name: k.name});
	for (const e of eips.filter(e => e.bandwidth_name?.startsWith('packer_eip_bandwidth_'))) add({kind: 'eip', id: e.id, detail: e.public_ip_address});
	for (const v of volumes.filter(v => v.name.startsWith('packer_'))) add({kind: 'volume', id: v.id, name: v.name});
	for (const s of servers.filter(s => (instance ? s.name === instance : DEFAULT_IMAGE_NAME.test(s.name)))) add({kind: 'server', id: s.id, name: s.name});
	for (const i of images.filter(i => i.status !== 'active' && /^cce-custom-/.test(i.name))) add({kind: 'image', id: i.id, name: i.name, detail: i.status});
	// Subnets first: a VPC is deleted only once its subnets are gone.
	for (const n of subnets) add({kind: 'subnet', id: n.id, name: n.name, parent: n.vpc_id});
	for (const v of vpcs) add({kind: 'vpc', id: v.id, name: v.name});
	// A ledger entry the scan no longer sees is gone (Packer or someone deleted it); one of a kind
	// that could not be scanned stays.
	const seen = new Set([...keypairs.map(k => `keypair:${k.name}`), ...eips.map(e => `eip:${e.id}`), ...volumes.map(v => `volume:${v.id}`), ...servers.map(s => `server:${s.id}`), ...images.map(i => `image:${i.id}`), ...vpcs.map(v => `vpc:${v.id}`), ...subnets.map(n => `subnet:${n.id}`)]);
	return {
		found: found.filter(e => e.id === '(being created)' || unscanned.has(e.kind) || seen.has(`${e.kind}:${e.id}`)),
		scanned: problems.length === 0,
		...(problems.length > 0 ? {problem: problems.join('; ')} : {}),
	};
}

export const CONSOLE_HINTS: Record<string, string> = {
	keypair: 'ECS → Key Pairs',
	server: 'ECS → Elastic Cloud Server',
	eip: 'EIP → Elastic IPs',
	volume: 'EVS → Disks',
	image: 'IMS → Private Images',
	vpc: 'VPC → Virtual Private Cloud',
	subnet: 'VPC → Subnets',
};

/** The kept images, named so nobody mistakes them for leftovers. */
function productsNote(build: BuildRecord): string {
	const products = productImages(build);
	if (products.length === 0) return '';
	return `; kept, the build's product${products.length === 1 ? '' : 's'}: ${products.map(p => `${p.id}${p.region ? ` (${p.region})` : ''}`).join(', ')}`;
}

/** Files to scan for the keys: the kit's own, presets, build.env, *.env, shell history. */
export async function filesToScan(context: CleanupContext): Promise<string[]> {
	const ws = context.workspace;
	const inDir = async (dir: string, keep: (name: string) => boolean) =>
		(await readdir(dir).catch(() => [] as string[])).filter(keep).map(name => path.join(dir, name));
	const home = context.home ?? os.homedir();
	const candidates = [
		path.join(ws, 'turbo-node.pkr.hcl'),
		...(await inDir(ws, n => n.endsWith('.env') || n.endsWith('.pkr.hcl'))),
		...(await inDir(path.join(ws, 'presets'), n => n.endsWith('.json'))),
		...['.bash_history', '.zsh_history', '.sh_history', '.python_history', '.local/share/fish/fish_history'].map(f => path.join(home, f)),
		// Packer's temp files (packer-log*, packer-shell*): in a private folder a killed build left, or in the system's.
		...(await Promise.all((await packerTempFolders(ws)).map(dir => inDir(dir, () => true)))).flat(),
		...(await inDir(context.tempDir ?? os.tmpdir(), n => n.startsWith('packer'))),
	];
	const existing = await Promise.all([...new Set(candidates)].map(async f => ((await stat(f).catch(() => undefined))?.isFile() ? f : undefined)));
	return existing.filter((f): f is string => f !== undefined);
}

export async function logFiles(workspace: string): Promise<string[]> {
	const dir = path.join(workspace, 'logs');
	return (await readdir(dir).catch(() => [] as string[])).filter(n => /^(packer|wizard)_.*\.log$/.test(n)).sort().map(n => path.join(dir, n));
}

/** Findings kept per file: a log can hold millions of copies of a key. */
const FINDINGS_PER_FILE = 50;

/**
 * Where each file holds a key (see keysInText), read as a stream whatever its size. A file
 * behind a link says where it points (that file is the one a redaction changes); a file that
 * cannot be read is a finding too: it may hold a key.
 */
export async function scanForKeys(files: string[], keys?: KeyPair): Promise<CleanupFinding[]> {
	const findings: CleanupFinding[] = [];
	const exact = [keys?.accessKey ?? '', keys?.secretKey ?? ''].filter(Boolean);
	for (const file of files) {
		let target: string | undefined;
		try {
			target = (await lstat(file)).isSymbolicLink() ? await realpath(file) : undefined;
		} catch {
			target = undefined;
		}
		const link = target ? ` (${file} is a link to ${target}: that file is the one redacted)` : '';
		let count = 0;
		try {
			await scanFile(
				file,
				(segment, firstLine) => {
					for (const hit of keysInText(segment, keys)) {
						count++;
						if (count <= FINDINGS_PER_FILE) findings.push({file, line: firstLine + hit.line - 1, message: `${hit.message}${link}`});
					}
				},
				{keys: exact},
			);
		} catch (error) {
			findings.push({file, message: `could not be scanned (${error instanceof FileError ? error.reason : (error as Error).message}): it may hold a key`});
		}
		if (count > FINDINGS_PER_FILE) findings.push({file, message: `… and ${count - FINDINGS_PER_FILE} more`});
	}
	return findings;
}

/**
 * Replaces the exact key values in each file, changing nothing else (a link's target is the
 * file changed); key-shaped strings that are not the keys only with `keyShaped`. Returns the
 * files changed; throws FileError naming a file that could not be redacted.
 */
export async function redactFiles(files: string[], keys?: KeyPair, options: {keyShaped?: boolean} = {}): Promise<string[]> {
	const exact = redactor([
		{value: keys?.accessKey ?? '', label: 'access key'},
		{value: keys?.secretKey ?? '', label: 'secret key'},
	]);
	const redact = options.keyShaped ? (text: string) => scrubKeys(text, keys) : exact;
	const changed: string[] = [];
	const values = [keys?.accessKey ?? '', keys?.secretKey ?? ''].filter(Boolean);
	for (const file of files) if (await redactFile(file, redact, {followLink: true, keys: values})) changed.push(file);
	return changed;
}

export const EXPORTED = ['IAM_ACCESS_KEY', 'IAM_SECRET_KEY', 'REGION_NAME', 'ECS_VPC_ID', 'ECS_NETWORK_ID', 'ECS_SECGRP_ID', 'CCE_SOURCE_IMAGE_ID', 'HW_PROJECT_ID'];

/** Thrown when the answer neither proves the key works nor that it is gone. */
export class CannotTell extends Error {
	override name = 'CannotTell';
}

/**
 * Whether the key can still sign requests: refused (401) means deleted or disabled. Asked
 * with GET /v3/auth/projects, which needs no IAM permission; a 403 proves nothing either way.
 */
export async function keyStillWorks(context: CleanupContext): Promise<boolean | undefined> {
	const cloud = client(context);
	if (!cloud) return undefined;
	try {
		await api.authProjects(cloud);
		return true;
	} catch (error) {
		if (error instanceof CloudError && error.status === 401) return false;
		if (error instanceof CloudError && error.status === 403) throw new CannotTell(`cannot tell whether the key still works: ${error.message}`);
		throw error;
	}
}

/** Every item, verified as far as it can be without changing anything. */
export async function verifyChecklist(context: CleanupContext, progress: ChecklistProgress): Promise<Item[]> {
	const keep = (id: ItemId, verified: boolean, detail: string, extra: Partial<Item> = {}): Item => {
		const saved = progress[id];
		const state: ItemState = verified ? 'verified' : saved?.state === 'skipped' || saved?.state === 'done' ? (saved.state as ItemState) : 'todo';
		return {...base(id), state, detail: state === 'skipped' && saved?.note ? `skipped: ${saved.note}` : detail, ...extra};
	};

	const leftovers = await findLeftovers(context);
	const logs = await logFiles(context.workspace);
	const logFindings = await scanForKeys(logs, context.keys);
	const files = await filesToScan(context);
	const fileFindings = await scanForKeys(files, context.keys);
	const exported = (context.exported ?? EXPORTED.filter(name => context.env[name])).filter(name => EXPORTED.includes(name));
	let keyWorks: boolean | undefined;
	let keyProblem: string | undefined;
	try {
		keyWorks = await keyStillWorks(context);
	} catch (error) {
		keyProblem = error instanceof CannotTell ? error.message : `could not verify: ${(error as Error).message}`;
	}

	return [
		keep('leftovers', leftovers.scanned && leftovers.found.length === 0, leftovers.found.length > 0
			? `${leftovers.found.length} resource(s) may still exist and cost money${leftovers.problem ? `; ${leftovers.problem}` : ''}`
			: leftovers.scanned ? `nothing left in the account${productsNote(context.build)}` : leftovers.problem ? (leftovers.problem.startsWith('could not scan') ? leftovers.problem : `could not scan: ${leftovers.problem}`) : 'needs keys to scan the account; the build recorded no leftovers', {
			findings: leftovers.found.map(resource => ({message: `${resource.kind} ${resource.id}${resource.name && resource.name !== resource.id ? ` (${resource.name})` : ''} — console: ${CONSOLE_HINTS[resource.kind] ?? ''}`, resource})),
			needsKeys: !context.keys,
			actions: leftovers.found.length > 0 && context.keys ? ['delete-resources'] : [],
		}),
		keep('logs', logFindings.length === 0, logFindings.length === 0 ? `${logs.length} log(s), no key in them` : `${logFindings.length} key(s) in logs`, {
			findings: logFindings,
			actions: logFindings.length > 0 ? ['redact', 'delete-logs'] : [],
		}),
		keep('files', fileFindings.length === 0, fileFindings.length === 0 ? `${files.length} file(s) scanned, no key` : `${fileFindings.length} key(s) in files`, {
			findings: fileFindings,
			actions: fileFindings.length > 0 ? ['redact'] : [],
		}),
		keep('environment', exported.length === 0, exported.length === 0 ? 'nothing of the build is exported in this environment' : `run in your shell: unset ${exported.join(' ')}`),
		context.build.credential
			? // A temporary credential expires by itself: nothing to delete. A long-term key that only minted it is the operator's call.
				keep('access-key', true, temporaryCredentialNote(context.build.credential, keyWorks), {
					actions: context.build.credential.mintedWith && keyWorks === true ? ['delete-access-key'] : [],
				})
			: keep('access-key', keyWorks === false, keyWorks === false ? 'the key is refused: deleted' : keyWorks === true ? 'the key still works' : keyProblem ? keyProblem : 'needs keys to verify; or delete it in the console: My Credentials → Access Keys', {
					needsKeys: !context.keys,
					actions: keyWorks === true ? ['delete-access-key'] : [],
				}),
		keep('executor', false, 'if this ECS exists only for the build: ECS → Elastic Cloud Server → this executor → More → Delete (tick "Release EIP" and "Delete data disks")'),
	];
}

/** The access-key item for a build that gave Packer a temporary credential. */
export function temporaryCredentialNote(credential: NonNullable<BuildRecord['credential']>, keyWorks?: boolean, now = new Date()): string {
	const expires = credential.expiresAt ? formatExpiry(new Date(credential.expiresAt), now) : 'by itself';
	const what = credential.mode === 'agency' ? `the executor's agency credential ${credential.accessKey}` : `a temporary credential ${credential.accessKey}`;
	const parts = [`done by itself: Packer had ${what}, which expires ${expires}; nothing to delete.`];
	if (credential.mintedWith) {
		parts.push(
			`Your key ${credential.mintedWith} only minted it and never reached Packer, its logs or the temporary ECS: keep it or delete it as you see fit${keyWorks === true ? ' (it still works)' : keyWorks === false ? ' (it is refused: deleted)' : ''}.`,
		);
	}
	return parts.join(' ');
}

export function recordItem(state: State, buildId: string, id: ItemId, itemState: ItemState, note?: string): void {
	const progress = state.checklist(buildId);
	state.saveChecklist(buildId, {...progress, [id]: {state: itemState, ...(note ? {note} : {}), at: new Date().toISOString()}});
}

/** Whether a build still has something to do after it: a checklist not all verified/done/skipped, or no recorded end. */
export function unfinished(state: State, build: BuildRecord): boolean {
	if (!build.endedAt) return true;
	const progress = state.checklist(build.id);
	return ITEM_ORDER.some(id => !progress[id] || progress[id]!.state === 'todo');
}

/**
 * One line for the moment the wizard ends with the checklist not done: what is left and how
 * to come back. Undefined when nothing is left.
 */
export function leftToDo(state: State, build: BuildRecord, command = 'cce-image-wizard cleanup'): string | undefined {
	if (!unfinished(state, build)) return undefined;
	const progress = state.checklist(build.id);
	const open = ITEM_ORDER.filter(id => !progress[id] || progress[id]!.state === 'todo');
	const what = open.map(id => (id === 'access-key' ? 'the temporary access key (still to delete)' : TITLES[id][0].toLowerCase()));
	const ended = build.endedAt ? '' : ' It never recorded an end: resources may be left in the account.';
	return `Build ${build.id}: ${open.length} of ${ITEM_ORDER.length} cleanup items still open: ${what.join(', ')}.${ended} Come back to them with: ${command}`;
}

export async function deleteLogs(files: string[]): Promise<void> {
	await Promise.all(files.map(file => rm(file, {force: true})));
}

export async function deleteLeftover(context: CleanupContext, resource: LedgerEntry): Promise<void> {
	const cloud = client(context);
	if (!cloud) throw new Error('needs keys');
	await api.deleteResource(cloud, await projectId(cloud, context.region!, context), resource.kind, resource.id, undefined, resource.parent);
}

export async function deleteTheAccessKey(context: CleanupContext): Promise<void> {
	const cloud = client(context);
	if (!cloud || !context.keys) throw new Error('needs keys');
	await api.deleteAccessKey(cloud, context.keys.accessKey);
}
