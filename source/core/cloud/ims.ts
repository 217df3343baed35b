/**
 * The IMS calls that hand a finished image on: cross-region replication, image members
 * (sharing with other projects), tags, and the asynchronous jobs the first two start.
 * Paths and fields as huaweicloud-sdk-go-v3 services/ims/v2 (ims_meta.go, model/*) name them.
 */
import type {CloudClient} from './client.js';

export type JobStatus = 'SUCCESS' | 'FAIL' | 'RUNNING' | 'INIT';

export type Job = {
	status: JobStatus;
	job_id?: string;
	job_type?: string;
	begin_time?: string;
	end_time?: string;
	error_code?: string;
	fail_reason?: string;
	entities?: {
		image_id?: string;
		image_name?: string;
		current_task?: string;
		process_percent?: number;
		error_code?: string;
		error?: string;
		results?: Array<{image_id?: string; project_id?: string; status?: string}>;
	};
};

/** `POST /v1/cloudimages/{image_id}/cross_region_copy`: starts a copy; resolves with the job ID. */
export async function copyImageToRegion(
	client: CloudClient,
	imageId: string,
	copy: {name: string; description?: string; region: string; projectName: string; agencyName: string},
	signal?: AbortSignal,
): Promise<string> {
	const body = {
		name: copy.name,
		...(copy.description ? {description: copy.description} : {}),
		region: copy.region,
		project_name: copy.projectName,
		agency_name: copy.agencyName,
	};
	const response = await client.request<{job_id?: string}>('ims', 'POST', `/v1/cloudimages/${imageId}/cross_region_copy`, {body, signal});
	return jobIdOf(response.body, 'cross-region copy');
}

/** `POST /v1/cloudimages/members`: shares images with projects; resolves with the job ID. */
export async function addImageMembers(client: CloudClient, imageIds: string[], projectIds: string[], signal?: AbortSignal): Promise<string> {
	const response = await client.request<{job_id?: string}>('ims', 'POST', '/v1/cloudimages/members', {body: {images: imageIds, projects: projectIds}, signal});
	return jobIdOf(response.body, 'image members');
}

/** `POST /v2/{project_id}/images/{image_id}/tags/action` with action `create` (adds or updates; 204). */
export async function tagImage(client: CloudClient, projectId: string, imageId: string, tags: Array<{key: string; value: string}>, signal?: AbortSignal): Promise<void> {
	await client.request('ims', 'POST', `/v2/${projectId}/images/${imageId}/tags/action`, {body: {action: 'create', tags}, signal});
}

/** `GET /v1/{project_id}/jobs/{job_id}`. */
export async function getJob(client: CloudClient, projectId: string, jobId: string, signal?: AbortSignal): Promise<Job> {
	const response = await client.request<Job>('ims', 'GET', `/v1/${projectId}/jobs/${jobId}`, {signal});
	return response.body;
}

function jobIdOf(body: {job_id?: string} | undefined, what: string): string {
	if (!body?.job_id) throw new Error(`IMS accepted the ${what} but returned no job_id`);
	return body.job_id;
}

export class JobFailedError extends Error {
	constructor(readonly job: Job) {
		const reason = job.fail_reason || job.entities?.error || job.error_code || 'no reason given';
		super(`IMS job ${job.job_id ?? ''} (${job.job_type ?? 'job'}) failed: ${reason}${job.error_code && !reason.includes(job.error_code) ? ` [${job.error_code}]` : ''}`);
		this.name = 'JobFailedError';
	}
}

export class JobTimeoutError extends Error {
	override name = 'JobTimeoutError';
}

/**
 * Polls a job until it ends: the finished job on SUCCESS, JobFailedError on FAIL,
 * JobTimeoutError after `timeoutMs`. `onProgress` sees every answer (for the panes).
 */
export async function waitForJob(
	client: CloudClient,
	projectId: string,
	jobId: string,
	options: {intervalMs?: number; timeoutMs?: number; signal?: AbortSignal; onProgress?: (job: Job) => void} = {},
): Promise<Job> {
	const interval = options.intervalMs ?? 10_000;
	const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
	for (;;) {
		const job = await getJob(client, projectId, jobId, options.signal);
		options.onProgress?.(job);
		if (job.status === 'SUCCESS') return job;
		if (job.status === 'FAIL') throw new JobFailedError(job);
		if (Date.now() + interval > deadline) throw new JobTimeoutError(`IMS job ${jobId} has not finished after ${Math.round((options.timeoutMs ?? 3_600_000) / 60_000)} minutes (last status ${job.status}); it may still finish: see IMS → Private Images`);
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(resolve, interval);
			options.signal?.addEventListener('abort', () => {
				clearTimeout(timer);
				reject(options.signal!.reason);
			}, {once: true});
		});
	}
}

/** `GET /v3.0/OS-AGENCY/agencies?domain_id=…&name=…`: the agencies of that name in the account. */
export async function findAgency(client: CloudClient, domainId: string, name: string, signal?: AbortSignal): Promise<Array<{id: string; name: string; trust_domain_name?: string}>> {
	const response = await client.request<{agencies?: Array<{id: string; name: string; trust_domain_name?: string}>}>('iam', 'GET', '/v3.0/OS-AGENCY/agencies', {query: {domain_id: domainId, name}, signal});
	return (response.body.agencies ?? []).filter(a => a.name === name);
}
