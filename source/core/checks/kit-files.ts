/** Checks of the files the operator put in the kit: user scripts, kernel parameters, secrets. */
import {readdir, readFile, stat} from 'node:fs/promises';
import {FileError, readTextFile} from '../files.js';
import path from 'node:path';
import {keysInText} from '../secrets.js';
import type {Check, Finding} from './engine.js';
import {probe, templateFile, type CheckContext} from './context.js';
import {place} from './report.js';
import {kernelFindings, looksLikeSysctl, WATCHED_PARAMETERS} from './kernel.js';

/** A text file of the kit, or (with `problem`) one that cannot be read, saying why. */
export type KitFile = {name: string; file: string; text: string; problem?: string};

const TEXT_LIMIT = 5 * 1024 * 1024;

/**
 * The text files directly in a kit folder (binaries and very large files are left out), by
 * name. A regular file that cannot be read is listed with its problem and no text.
 */
export async function readKitFolder(dir: string): Promise<KitFile[]> {
	const names = (await readdir(dir).catch(() => [] as string[])).sort();
	const files = await Promise.all(
		names.map(async (name): Promise<KitFile | undefined> => {
			const file = path.join(dir, name);
			const info = await stat(file).catch(() => undefined);
			if (!info?.isFile() || info.size > TEXT_LIMIT) return undefined;
			let bytes: Buffer;
			try {
				bytes = Buffer.from(await readTextFile(file, TEXT_LIMIT), 'utf8');
			} catch (error) {
				return {name, file, text: '', problem: error instanceof FileError ? `cannot be read: ${error.reason}` : (error as Error).message};
			}
			if (bytes.subarray(0, 8192).includes(0)) return undefined;
			return {name, file, text: bytes.toString('utf8')};
		}),
	);
	return files.filter((f): f is KitFile => f !== undefined);
}

const relative = (context: CheckContext, file: string) => path.relative(context.workspace, file) || file;

function findingsDetail(findings: Finding[], what: string): string {
	const first = findings[0]!;
	const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
	return `${findings.length} ${what}: ${place(first)}${first.message}${more}`;
}

export const userScriptsCheck: Check<CheckContext> = {
	id: 'scripts.syntax',
	title: 'User scripts are valid shell',
	family: 'scripts',
	timeoutMs: 30_000,
	async run(context, _results, signal) {
		const dir = path.join(context.workspace, 'user-scripts');
		const all = await readKitFolder(dir);
		const scripts = all.filter(f => f.name.endsWith('.sh') && !f.problem);
		const errors: Finding[] = all
			.filter(f => f.problem && f.name.endsWith('.sh'))
			.map(f => ({file: relative(context, f.file), message: `${f.problem} (the build uploads and runs it: make it readable, e.g. chmod a+r)`}));
		const notes: Finding[] = [];
		for (const other of all) {
			if (other.problem && !other.name.endsWith('.sh')) notes.push({file: relative(context, other.file), message: other.problem});
			else if (!other.name.endsWith('.sh') && other.name !== 'README.md') {
				notes.push({file: relative(context, other.file), message: 'is not run: only *.sh files in user-scripts/ run'});
			}
		}
		await Promise.all(
			scripts.map(async script => {
				const shown = relative(context, script.file);
				const first = script.text.split('\n')[0] ?? '';
				if (!first.startsWith('#!')) {
					errors.push({file: shown, line: 1, message: 'has no shebang (start it with #!/usr/bin/env bash)'});
					return;
				}
				if (!/\b(bash|sh)\b/.test(first)) return; // another interpreter: not ours to parse
				const result = await probe('bash', ['-n', script.file], {signal});
				if (result.exitCode !== 0) {
					const line = /line (\d+):/.exec(result.stderr)?.[1];
					const message = result.stderr.split('\n')[0]!.replace(/^.*?line \d+: /, '');
					errors.push({file: shown, line: line ? Number(line) : undefined, message: `bash -n: ${message}`});
				}
			}),
		);
		// shellcheck findings are warnings, and only once every script parses.
		let shellcheckNote = '';
		if (scripts.length > 0 && errors.length === 0) {
			const shellcheck = await probe('shellcheck', ['-f', 'gcc', '-S', 'warning', ...scripts.map(s => s.file)], {signal, timeoutMs: 25_000});
			if (shellcheck.exitCode === undefined) shellcheckNote = ' (shellcheck is not installed: only bash -n)';
			for (const line of shellcheck.exitCode === 1 ? shellcheck.stdout.split('\n') : []) {
				const match = /^(.*?):(\d+):\d+: (\w+): (.*)$/.exec(line);
				if (match) notes.push({file: relative(context, match[1]!), line: Number(match[2]), message: `shellcheck ${match[3]}: ${match[4]}`});
			}
		}
		const sortFindings = (a: Finding, b: Finding) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0);
		errors.sort(sortFindings);
		notes.sort(sortFindings);
		if (errors.length > 0) {
			return {status: 'fail', detail: findingsDetail(errors, 'script error(s)'), findings: errors, fix: 'Fix each script at the line shown; check with: bash -n user-scripts/NAME.sh'};
		}
		if (notes.length > 0) {
			return {status: 'warn', detail: findingsDetail(notes, 'note(s)'), findings: notes, fix: 'Review each finding; the build still runs the *.sh scripts.'};
		}
		return {status: 'pass', detail: scripts.length === 0 ? 'no user scripts (only the kit steps will run)' : `${scripts.length} script(s) pass bash -n${shellcheckNote}`};
	},
};

export const kernelParametersCheck: Check<CheckContext> = {
	id: 'kernel.parameters',
	title: 'Kernel parameters left alone',
	family: 'kernel',
	async run(context) {
		const scripts = await readKitFolder(path.join(context.workspace, 'user-scripts'));
		const packages = await readKitFolder(path.join(context.workspace, 'user-packages'));
		const sysctlFiles = packages.filter(p => looksLikeSysctl(p.name, p.text));
		const setsOf = new Map(sysctlFiles.map(p => [p.name, [...new Set(kernelFindings(p.text).map(f => f.parameter))]]));
		// A user package lands in /tmp/<name>; a script refers to it by that path or by its name.
		const applied = (target: string) => setsOf.get(path.basename(target)) ?? [];
		const findings: Finding[] = [];
		for (const script of scripts) {
			for (const f of kernelFindings(script.text, applied)) {
				findings.push({file: relative(context, script.file), line: f.line, message: `${f.parameter} (${f.how})`});
			}
		}
		for (const file of sysctlFiles) {
			for (const f of kernelFindings(file.text)) {
				findings.push({file: relative(context, file.file), line: f.line, message: `${f.parameter} (sysctl file)`});
			}
		}
		if (findings.length === 0) return {status: 'pass', detail: `no user script or sysctl file changes the ${WATCHED_PARAMETERS.length} watched parameters`};
		return {
			status: 'warn',
			detail: findingsDetail(findings, 'change(s) to parameters that degrade nodes'),
			findings,
			fix: 'CCE warns that changing these degrades nodes. Verify the values in a test environment first, or remove the change.',
		};
	},
};

export const kitSecretsCheck: Check<CheckContext> = {
	id: 'secrets.kit',
	title: 'No keys in the kit',
	family: 'secrets',
	async run(context) {
		const folders = ['scripts', 'user-scripts', 'user-packages', 'presets'].map(f => path.join(context.workspace, f));
		const files = (await Promise.all(folders.map(readKitFolder))).flat();
		const template = templateFile(context);
		const templateText = await readFile(template, 'utf8').catch(() => undefined);
		if (templateText !== undefined) files.push({name: path.basename(template), file: template, text: templateText});
		// The keys in use are found whatever they look like; anything key-shaped is found too.
		const keys = {accessKey: context.answers.get('access_key')?.value, secretKey: context.answers.get('secret_key')?.value};
		const findings: Finding[] = files.flatMap(file => keysInText(file.text, keys).map(hit => ({file: relative(context, file.file), ...hit})));
		if (findings.length === 0) return {status: 'pass', detail: `${files.length} file(s) scanned, no key found`};
		return {
			status: 'fail',
			detail: findingsDetail(findings, 'key(s) in kit files'),
			findings,
			fix: 'Remove each key from the file (and from git history if committed), delete that key in the console (My Credentials → Access Keys), and give keys only through the environment.',
		};
	},
};
