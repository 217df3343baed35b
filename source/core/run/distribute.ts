/**
 * After the image is active: copy it to other regions, share it with other projects and
 * tag it, each a stage with its own result. Nothing here can hide the image that exists:
 * a failed copy is one failed stage and one failed line, next to the image ID.
 */
import {valueOf, type Answers} from '../answers.js';
import {authProjects, projectsNamed, type Project} from '../cloud/api.js';
import {CloudClient, CloudError, type Credentials} from '../cloud/client.js';
import {addImageMembers, copyImageToRegion, tagImage, waitForJob, type Job} from '../cloud/ims.js';
import {listItems, parseTags} from '../settings.js';
import type {Stage} from './progress.js';

/** One image the build made or copied, by region. */
export type RegionImage = {
	region: string;
	/** Undefined when a copy failed before IMS named the new image. */
	id?: string;
	name?: string;
	kind: 'built' | 'copy';
	status: 'active' | 'failed';
	error?: string;
	/** IMS job that made a copy (to look up in the console when it failed). */
	jobId?: string;
};

export type DistributionPlan = {
	copies: string[];
	shareWith: string[];
	tags: Array<{key: string; value: string}>;
	agency: string;
};

export type DistributionResult = {
	images: RegionImage[];
	/** Project IDs the image was shared with (each must accept it). */
	sharedWith: string[];
	/** What failed, one line each, naming the stage. */
	errors: string[];
	ok: boolean;
};

export function distributionPlan(answers: Answers): DistributionPlan {
	return {
		copies: listItems(valueOf(answers, 'copy_to_regions')),
		shareWith: listItems(valueOf(answers, 'share_with_projects')),
		tags: parseTags(valueOf(answers, 'image_tags')),
		agency: valueOf(answers, 'copy_agency') || 'ims_admin_agency',
	};
}

export const hasDistribution = (plan: DistributionPlan): boolean => plan.copies.length > 0 || plan.shareWith.length > 0 || plan.tags.length > 0;

/** The stages of a plan, in the order they run: one per copy, then share, then tags. */
export function distributionStages(plan: DistributionPlan): Stage[] {
	const stage = (id: string, title: string): Stage => ({id, title, status: 'pending'});
	return [
		...plan.copies.map(region => stage(`copy:${region}`, `Copy to ${region}`)),
		...(plan.shareWith.length > 0 ? [stage('share', `Share with ${plan.shareWith.length} project${plan.shareWith.length === 1 ? '' : 's'}`)] : []),
		...(plan.tags.length > 0 ? [stage('tags', `Tag ${plan.tags.map(t => `${t.key}=${t.value}`).join(', ')}`)] : []),
	];
}

export const isDistributionStage = (id: string): boolean => id.startsWith('copy:') || id === 'share' || id === 'tags';

export type DistributeOptions = {
	plan: DistributionPlan;
	region: string;
	projectId: string;
	image: {id: string; name?: string; description?: string};
	credentials: Credentials;
	cloud?: string;
	env?: Readonly<Record<string, string | undefined>>;
	/** Project of each target region, when the checks found it (looked up otherwise). */
	projects?: Readonly<Record<string, {id: string; name: string}>>;
	/** Between job polls; default 10 s (CCE_JOB_POLL_MS overrides). */
	pollMs?: number;
	/** Longest wait for one job; default 60 min. */
	jobTimeoutMs?: number;
	signal?: AbortSignal;
	/** Every stage change. */
	onStage?: (id: string, change: Partial<Stage>) => void;
	now?: () => number;
};

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

const CANCELLED = 'cancelled: stopped waiting';

/** The project of a region for these credentials: IAM by name, else the projects the key can use. */
async function projectOf(client: CloudClient, region: string, signal?: AbortSignal): Promise<Project | undefined> {
	let projects: Project[];
	try {
		projects = await projectsNamed(client, region, signal);
	} catch (error) {
		if (!(error instanceof CloudError) || error.status !== 403) throw error;
		projects = await authProjects(client, signal);
	}
	return projects.find(p => p.name === region);
}

export async function distribute(options: DistributeOptions): Promise<DistributionResult> {
	const {plan, region, projectId, image, signal} = options;
	const now = options.now ?? Date.now;
	const env = options.env ?? {};
	const fromEnv = Number(env['CCE_JOB_POLL_MS']);
	const pollMs = options.pollMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 10_000);
	const clientFor = (target: string) => new CloudClient({region: target, credentials: options.credentials, cloud: options.cloud, env, signal});
	const home = clientFor(region);
	const stage = (id: string, change: Partial<Stage>) => options.onStage?.(id, change);
	const start = (id: string, detail?: string) => stage(id, {status: 'running', startedAt: now(), ...(detail ? {detail} : {})});
	const end = (id: string, status: 'done' | 'failed' | 'skipped', detail: string) => stage(id, {status, endedAt: now(), detail});

	const images: RegionImage[] = [{region, id: image.id, name: image.name, kind: 'built', status: 'active'}];
	// The jobs are read in the build's project; found again if the answers did not carry it.
	const homeProject = projectId || (await projectOf(home, region, signal).catch(() => undefined))?.id || '';
	const errors: string[] = [];
	const targets = new Map<string, {id: string; name: string}>();

	const copyOne = async (target: string): Promise<void> => {
		const id = `copy:${target}`;
		start(id);
		const name = image.name ?? image.id;
		let jobId: string | undefined;
		try {
			const project = options.projects?.[target] ?? (await projectOf(home, target, signal));
			if (!project) throw new Error(`the account has no project for region ${target} (My Credentials → API Credentials lists them)`);
			targets.set(target, project);
			jobId = await copyImageToRegion(home, image.id, {name, description: image.description, region: target, projectName: project.name, agencyName: plan.agency}, signal);
			stage(id, {detail: `IMS job ${jobId}`});
			const job = await waitForJob(home, homeProject, jobId, {intervalMs: pollMs, timeoutMs: options.jobTimeoutMs, signal, onProgress: (j: Job) => stage(id, {detail: progressText(jobId!, j)})});
			const copied = job.entities?.image_id;
			if (!copied) throw new Error(`IMS job ${jobId} succeeded but named no image; look for ${name} in ${target} (IMS → Private Images)`);
			images.push({region: target, id: copied, name, kind: 'copy', status: 'active', jobId});
			end(id, 'done', `${copied} in ${target}`);
		} catch (error) {
			// Cancelled: the copy may still finish in IMS; say where to look.
			const reason = signal?.aborted ? `${CANCELLED}${jobId ? ` for IMS job ${jobId}, which may still finish: see IMS → Private Images in ${target}` : ''}` : describeError(error);
			images.push({region: target, name, kind: 'copy', status: 'failed', error: reason, ...(jobId ? {jobId} : {})});
			errors.push(`Copy to ${target} failed: ${reason}`);
			end(id, 'failed', reason);
		}
	};

	const share = async (): Promise<string[]> => {
		if (plan.shareWith.length === 0) return [];
		start('share');
		try {
			const jobId = await addImageMembers(home, [image.id], plan.shareWith, signal);
			const job = await waitForJob(home, homeProject, jobId, {intervalMs: pollMs, timeoutMs: options.jobTimeoutMs, signal});
			const refused = (job.entities?.results ?? []).filter(r => r.status && r.status.toLowerCase() !== 'success');
			if (refused.length > 0) throw new Error(`IMS did not share with ${refused.map(r => `${r.project_id} (${r.status})`).join(', ')}`);
			end('share', 'done', `shared with ${plan.shareWith.join(', ')}; each project accepts it in IMS → Private Images → Shared Images`);
			return plan.shareWith;
		} catch (error) {
			const reason = signal?.aborted ? CANCELLED : describeError(error);
			errors.push(`Sharing failed: ${reason}`);
			end('share', 'failed', reason);
			return [];
		}
	};

	const [sharedWith] = await Promise.all([share(), Promise.all(plan.copies.map(copyOne))]);

	if (plan.tags.length > 0 && signal?.aborted) {
		errors.push(`Tagging skipped: ${CANCELLED}`);
		end('tags', 'skipped', CANCELLED);
	} else if (plan.tags.length > 0) {
		start('tags');
		const failed: string[] = [];
		let tagged = 0;
		for (const entry of images) {
			if (entry.status !== 'active' || !entry.id) continue;
			const project = entry.kind === 'built' ? homeProject : targets.get(entry.region)?.id;
			try {
				if (!project) throw new Error(`no project for ${entry.region}`);
				await tagImage(entry.kind === 'built' ? home : clientFor(entry.region), project, entry.id, plan.tags, signal);
				tagged++;
			} catch (error) {
				failed.push(`${entry.id} in ${entry.region}: ${describeError(error)}`);
			}
		}
		if (failed.length > 0) {
			errors.push(`Tagging failed for ${failed.join('; ')}`);
			end('tags', 'failed', failed.join('; '));
		} else {
			end('tags', 'done', `${tagged} image${tagged === 1 ? '' : 's'} tagged`);
		}
	}

	// Built first, then the copies in the order the settings list them (jobs end in any order).
	const order = (entry: RegionImage) => (entry.kind === 'built' ? -1 : plan.copies.indexOf(entry.region));
	images.sort((a, b) => order(a) - order(b));
	return {images, sharedWith, errors, ok: errors.length === 0};
}

function progressText(jobId: string, job: Job): string {
	const percent = job.entities?.process_percent;
	return `IMS job ${jobId}: ${job.status}${typeof percent === 'number' ? ` ${Math.round(percent)}%` : ''}`;
}
