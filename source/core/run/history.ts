/** The build history in the state: a record when a build starts, completed when it ends. */
import {randomBytes} from 'node:crypto';
import type {BuildRecord} from '../state.js';
import type {BuildResult} from './session.js';

export function newBuildId(timestamp: string): string {
	return `${timestamp}-${randomBytes(2).toString('hex')}`;
}

/** Saved as Packer starts, so a wizard killed mid-build leaves a record without an end. */
export function recordStart(record: Omit<BuildRecord, 'startedAt'> & {startedAt?: string}): BuildRecord {
	return {...record, startedAt: record.startedAt ?? new Date().toISOString()};
}

export function recordEnd(record: BuildRecord, result: BuildResult): BuildRecord {
	const {runner: _runner, ...rest} = record;
	return {
		...rest,
		endedAt: new Date().toISOString(),
		outcome: result.outcome,
		imageId: result.imageId,
		imageName: result.imageName,
		logPath: result.packerLog,
		leftovers: result.leftovers,
		errors: [...result.errors, ...(result.distributionErrors ?? [])].slice(-10),
		...(result.images ? {images: result.images.map(({jobId: _job, ...image}) => image)} : {}),
		...(result.sharedWith?.length ? {sharedWith: result.sharedWith} : {}),
	};
}
