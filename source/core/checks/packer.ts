/** Checks of Packer: the real binary (not an impostor), its version against the template, the template's syntax. */
import {constants} from 'node:fs';
import {access, mkdtemp, readFile, realpath, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {requiredVersion} from '../template.js';
import {parseVersion, satisfies} from '../version.js';
import type {Check} from './engine.js';
import {probe, templateFile, type CheckContext} from './context.js';

export const INSTALL_PACKER = [
	'Install HashiCorp Packer from its repository:',
	'  yum: sudo yum install -y yum-utils && sudo yum-config-manager --add-repo https://rpm.releases.hashicorp.com/RHEL/hashicorp.repo && sudo yum -y install packer',
	'  apt: wget -O- https://apt.releases.hashicorp.com/gpg | sudo gpg --dearmor -o /usr/share/keyrings/hashicorp-archive-keyring.gpg && echo "deb [signed-by=/usr/share/keyrings/hashicorp-archive-keyring.gpg] https://apt.releases.hashicorp.com $(lsb_release -cs) main" | sudo tee /etc/apt/sources.list.d/hashicorp.list && sudo apt update && sudo apt install packer',
	'or set PACKER_BIN=/path/to/packer.',
].join('\n');

export type PackerCandidate = {
	path: string;
	/** HashiCorp Packer's version, when it is HashiCorp Packer. */
	version?: string;
	/** What it answered instead, when it is not. */
	answer?: string;
};

/** Every executable called `packer` on PATH, in PATH order, without duplicates. */
export async function packersOnPath(pathVariable = ''): Promise<string[]> {
	const seen = new Set<string>();
	const found: string[] = [];
	for (const dir of pathVariable.split(':')) {
		if (!dir) continue;
		const candidate = path.join(dir, 'packer');
		try {
			await access(candidate, constants.X_OK);
			const real = await realpath(candidate);
			if (seen.has(real)) continue;
			seen.add(real);
			found.push(candidate);
		} catch {
			// not there, or not executable
		}
	}
	return found;
}

/**
 * Asks a `packer` what it is. cracklib's password tool (installed as /usr/sbin/packer on
 * CentOS/RHEL) reads words from standard input and writes a dictionary named after its
 * argument into the current folder, so the probe runs with stdin closed, in a throwaway folder.
 */
export async function identifyPacker(file: string, signal?: AbortSignal): Promise<PackerCandidate> {
	const scratch = await mkdtemp(path.join(os.tmpdir(), 'cce-packer-probe-'));
	try {
		const result = await probe(file, ['version'], {signal, cwd: scratch, timeoutMs: 10_000});
		const version = /^Packer v(\d+\.\d+\.\d+\S*)/m.exec(result.stdout)?.[1];
		if (version) return {path: file, version};
		const answer = (result.stdout || result.stderr || result.message || '').split('\n')[0]!.slice(0, 80);
		return {path: file, answer: result.timedOut ? 'no answer within 10 s' : answer || `exit code ${result.exitCode}`};
	} finally {
		await rm(scratch, {recursive: true, force: true});
	}
}

const impostorNote = (c: PackerCandidate) =>
	`${c.path} is not HashiCorp Packer ('${c.path} version' answered "${c.answer}"; cracklib's password tool is also called packer)`;

export const packerChecks: Array<Check<CheckContext>> = [
	{
		id: 'packer.binary',
		title: 'HashiCorp Packer installed',
		family: 'packer',
		timeoutMs: 30_000,
		async run(context, _results, signal) {
			const chosen = context.env['PACKER_BIN'];
			if (chosen) {
				const candidate = await identifyPacker(chosen, signal);
				if (candidate.version) return {status: 'pass', detail: `PACKER_BIN=${chosen}: Packer ${candidate.version}`, data: {...candidate}};
				return {
					status: 'fail',
					detail: candidate.answer?.includes('ENOENT') ? `PACKER_BIN=${chosen} does not exist` : `PACKER_BIN: ${impostorNote(candidate)}`,
					fix: `Point PACKER_BIN at HashiCorp Packer, or unset it to search PATH.\n${INSTALL_PACKER}`,
				};
			}
			const candidates = await Promise.all((await packersOnPath(context.env['PATH'])).map(async file => identifyPacker(file, signal)));
			const real = candidates.find(c => c.version);
			const impostors = candidates.filter(c => !c.version);
			if (!real) {
				return impostors.length > 0
					? {status: 'fail', detail: `only an impostor: ${impostors.map(impostorNote).join('; ')}`, fix: INSTALL_PACKER}
					: {status: 'fail', detail: 'no packer on PATH', fix: INSTALL_PACKER};
			}
			const before = impostors.filter(c => candidates.indexOf(c) < candidates.indexOf(real));
			if (before.length > 0) {
				return {
					status: 'warn',
					detail: `Packer ${real.version} at ${real.path}, but ${impostorNote(before[0]!)} comes first on PATH`,
					fix: `packer.sh and the wizard skip it; for commands you type, use ${real.path} or export PACKER_BIN=${real.path}.`,
					data: {...real},
				};
			}
			return {status: 'pass', detail: `Packer ${real.version} at ${real.path}`, data: {...real}};
		},
	},
	{
		id: 'packer.version',
		title: 'Packer version the template needs',
		family: 'packer',
		dependsOn: ['packer.binary'],
		async run(context, results) {
			const found = results.get('packer.binary')!.data as PackerCandidate;
			const file = templateFile(context);
			const text = await readFile(file, 'utf8').catch(() => undefined);
			if (text === undefined) return {status: 'skip', detail: `no template at ${file} to read the required version from`, fix: 'Lay out the kit: cce-image-wizard init'};
			const needed = requiredVersion(text);
			if (!needed) return {status: 'pass', detail: `Packer ${found.version}; ${path.basename(file)} sets no required_version`, data: {...found}};
			if (satisfies(found.version!, needed)) {
				return {status: 'pass', detail: `Packer ${found.version} satisfies ${needed}`, data: {...found, required: needed}};
			}
			return {
				status: 'fail',
				detail: `Packer ${found.version} at ${found.path}; ${path.basename(file)} needs ${needed}`,
				fix: `${INSTALL_PACKER}\nThen check that \`packer version\` (or PACKER_BIN) shows the new one.`,
				data: {...found, required: needed},
			};
		},
	},
	{
		id: 'template.syntax',
		title: 'Template parses',
		family: 'template',
		dependsOn: ['packer.version'],
		tolerates: ['packer.version'],
		timeoutMs: 30_000,
		async run(context, results, signal) {
			const version = results.get('packer.version')!;
			const found = version.data as (PackerCandidate & {required?: string}) | undefined;
			if (version.status === 'fail' || version.status === 'skip' || !found?.version) {
				return {
					status: 'skip',
					detail: found?.version ? `Packer ${found.version} cannot read this template (it needs ${found.required ?? 'a newer Packer'})` : 'no usable Packer to parse it with',
					fix: 'Install a Packer the template accepts (see the Packer check), then run the checks again.',
				};
			}
			const file = templateFile(context);
			const result = await probe(found.path, ['validate', '-syntax-only', file], {
				signal,
				cwd: path.dirname(file),
				timeoutMs: 25_000,
				env: {...context.env, CHECKPOINT_DISABLE: '1', PACKER_LOG: ''},
			});
			if (result.exitCode === 0) return {status: 'pass', detail: `${path.basename(file)}: syntax OK (packer validate -syntax-only)`};
			const message = (result.stderr || result.stdout).split('\n').filter(line => line.trim()).slice(0, 6).join(' / ');
			return {status: 'fail', detail: `${path.basename(file)}: ${message || result.message}`, fix: `Fix the template, then run: ${found.path} validate -syntax-only ${file}`};
		},
	},
];

/** The major.minor of a Packer version, for layout decisions (1.11 changed plugin loading). */
export function packerMinor(version: string | undefined): [number, number] | undefined {
	const v = version ? parseVersion(version) : undefined;
	return v ? [v[0], v[1]] : undefined;
}
