/** Checks of the executor itself: platform, Node.js, disk space, the kit. */
import {mkdir, rm, statfs} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {describeFileError} from '../files.js';
import {missingKitFiles} from '../kit.js';
import type {Check} from './engine.js';
import type {CheckContext} from './context.js';

const MB = 1024 * 1024;

export const executorChecks: Array<Check<CheckContext>> = [
	{
		id: 'executor.platform',
		title: 'Linux on x86_64',
		family: 'executor',
		async run() {
			const platform = os.platform();
			const arch = os.arch();
			if (platform !== 'linux') {
				return {status: 'fail', detail: `this is ${platform}/${arch}`, fix: 'Run the build on a Linux x86_64 ECS in the same VPC (the executor).'};
			}
			if (arch !== 'x64') {
				return {
					status: 'warn',
					detail: `Linux on ${arch}; the procedure's executor is x86_64`,
					fix: 'Packer and the huaweicloud plugin must be the linux_' + arch + ' builds; an x86_64 executor is the tested path.',
				};
			}
			return {status: 'pass', detail: `Linux ${os.release()} on x86_64`};
		},
	},
	{
		id: 'executor.node',
		title: 'Node.js version',
		family: 'executor',
		async run() {
			const major = Number(process.versions.node.split('.')[0]);
			return major >= 20
				? {status: 'pass', detail: `Node.js ${process.versions.node}`}
				: {status: 'fail', detail: `Node.js ${process.versions.node}; 20 or later is needed`, fix: 'Install Node.js 20 LTS (e.g. from your distribution or nodejs.org).'};
		},
	},
	{
		id: 'executor.disk',
		title: 'Free disk space for logs',
		family: 'executor',
		async run(context) {
			const stats = await statfs(context.workspace);
			const free = stats.bavail * stats.bsize;
			const detail = `${Math.floor(free / MB)} MB free in ${context.workspace}`;
			// PACKER_LOG=1 debug logs of one build reach tens of MB.
			if (free < 50 * MB) return {status: 'fail', detail, fix: 'Free at least 500 MB (old logs/packer_*.log files can go).'};
			if (free < 500 * MB) return {status: 'warn', detail, fix: 'Free some space: a debug log can reach tens of MB (old logs/packer_*.log files can go).'};
			return {status: 'pass', detail};
		},
	},
	{
		id: 'executor.writable',
		title: 'Workspace writable',
		family: 'executor',
		async run(context) {
			// What a build writes first: logs/ (and Packer's private temp folder beside it).
			const probeDir = path.join(context.workspace, '.cce-write-check');
			try {
				await rm(probeDir, {recursive: true, force: true});
				await mkdir(probeDir, {mode: 0o700});
				await rm(probeDir, {recursive: true, force: true});
				return {status: 'pass', detail: `a build can write logs/ in ${context.workspace}`};
			} catch (error) {
				return {
					status: 'fail',
					detail: `cannot write in ${context.workspace}: ${describeFileError(error)}`,
					fix: 'The build writes its logs and temporary files into the workspace: run it from a writable copy (cce-image-wizard init DIR), or make this folder writable.',
				};
			}
		},
	},
	{
		id: 'executor.kit',
		title: 'Builder kit in the workspace',
		family: 'executor',
		async run(context) {
			const missing = await missingKitFiles(context.workspace);
			return missing.length === 0
				? {status: 'pass', detail: `template, packer.sh and scripts in ${context.workspace}`}
				: {status: 'fail', detail: `missing: ${missing.join(', ')}`, fix: `Lay out the kit: cce-image-wizard init ${context.workspace}`};
		},
	},
];
