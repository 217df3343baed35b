/**
 * Checks for handing the image on, before anything is built: a project in every region
 * the image is copied to, the IMS limits on replication (no encrypted image, size), and
 * the agency IMS replicates through. Skipped when the preset copies nothing.
 */
import {valueOf, type Answers} from '../answers.js';
import * as api from '../cloud/api.js';
import {CloudError, type CloudClient} from '../cloud/client.js';
import {findAgency} from '../cloud/ims.js';
import {listItems} from '../settings.js';
import {cloudCheckTimeout, cloudClient} from './cloud.js';
import type {Check, Outcome} from './engine.js';
import type {CheckContext} from './context.js';

/**
 * IMS replication limits (API reference, "Replicating an Image Across Regions"): images
 * from cn-south-1, cn-east-3, cn-east-2 and cn-north-4 up to 300 GiB, elsewhere 128 GiB.
 */
const LARGE_COPY_REGIONS = new Set(['cn-south-1', 'cn-east-3', 'cn-east-2', 'cn-north-4']);
export const copySizeLimitGb = (region: string): number => (LARGE_COPY_REGIONS.has(region) ? 300 : 128);

const copies = (answers: Answers) => listItems(valueOf(answers, 'copy_to_regions'));

const noCopies: Outcome = {status: 'skip', detail: 'no copy_to_regions'};

function clientOrSkip(context: CheckContext, signal: AbortSignal): CloudClient | Outcome {
	const client = cloudClient(context, signal);
	return typeof client === 'string' ? {status: 'skip', detail: client, fix: 'Provide the keys; the cloud checks run once they are known.'} : client;
}

/** The projects the key can see, with their account (domain) ID. */
async function visibleProjects(client: CloudClient, signal: AbortSignal): Promise<Array<api.Project & {domain_id?: string}>> {
	try {
		const response = await client.request<{projects: Array<api.Project & {domain_id?: string}>}>('iam', 'GET', '/v3/projects', {signal});
		return response.body.projects ?? [];
	} catch (error) {
		if (!(error instanceof CloudError) || error.status !== 403) throw error;
		return (await api.authProjects(client, signal)) as Array<api.Project & {domain_id?: string}>;
	}
}

const cloudProblem = (error: unknown, what: string): Outcome => {
	if (!(error instanceof CloudError)) throw error;
	return {status: 'fail', detail: `${what}: ${error.message}`, fix: 'Run the checks again; if it persists, look the request ID up with Huawei Cloud support.'};
};

export function distributionChecks(env: Readonly<Record<string, string | undefined>>): Array<Check<CheckContext>> {
	const timeoutMs = cloudCheckTimeout(env);
	return [
		{
			id: 'cloud.copy-projects',
			title: 'Projects in the copy regions',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			timeoutMs,
			async run(context, _results, signal) {
				const regions = copies(context.answers);
				if (regions.length === 0) return noCopies;
				const client = clientOrSkip(context, signal);
				if (!('request' in client)) return client;
				try {
					const projects = await visibleProjects(client, signal);
					const found = Object.fromEntries(regions.flatMap(region => {
						const project = projects.find(p => p.name === region);
						return project ? [[region, {id: project.id, name: project.name}]] : [];
					}));
					const missing = regions.filter(region => !found[region]);
					if (missing.length > 0) {
						return {
							status: 'fail',
							detail: `no project for ${missing.join(', ')} in this account`,
							fix: `Enable ${missing.length === 1 ? 'that region' : 'those regions'} for the account (My Credentials → API Credentials lists the projects), or remove ${missing.join(', ')} from copy_to_regions.`,
						};
					}
					return {status: 'pass', detail: regions.map(region => `${region}: ${found[region]!.id}`).join('; '), data: {projects: found}};
				} catch (error) {
					return cloudProblem(error, 'IAM');
				}
			},
		},
		{
			id: 'cloud.copy-limits',
			title: 'Copy limits (size, encryption)',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			timeoutMs,
			async run(context, _results, signal) {
				if (copies(context.answers).length === 0) return noCopies;
				const region = valueOf(context.answers, 'region_name');
				const size = Number(valueOf(context.answers, 'volume_size') || 0);
				const limit = copySizeLimitGb(region);
				if (size > limit) {
					return {
						status: 'fail',
						detail: `the system disk is ${size} GB; IMS copies images from ${region} only up to ${limit} GiB`,
						fix: `Set volume_size to ${limit} or less, or remove copy_to_regions and build in each region.`,
					};
				}
				const client = clientOrSkip(context, signal);
				if (!('request' in client)) return client;
				const sourceId = valueOf(context.answers, 'source_image_id');
				try {
					const source = sourceId ? ((await api.getImage(client, sourceId, signal)) as (api.Image & {__system__cmkid?: string}) | undefined) : undefined;
					if (source?.__system__cmkid) {
						return {
							status: 'fail',
							detail: `the source image ${source.name} is encrypted (KMS key ${source.__system__cmkid}); the image built from it is too, and IMS does not copy encrypted images across regions`,
							fix: 'Build from an unencrypted CCE base image, or remove copy_to_regions and build in each region.',
						};
					}
					return {status: 'pass', detail: `${size} GB system disk within the ${limit} GiB copy limit; source image not encrypted`};
				} catch (error) {
					return cloudProblem(error, 'IMS');
				}
			},
		},
		{
			id: 'cloud.copy-agency',
			title: 'Agency for copies',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			timeoutMs,
			async run(context, _results, signal) {
				if (copies(context.answers).length === 0) return noCopies;
				const name = valueOf(context.answers, 'copy_agency') || 'ims_admin_agency';
				const client = clientOrSkip(context, signal);
				if (!('request' in client)) return client;
				const createIt = `Create it once: in the IMS console, replicate any private image across regions (the console offers to create ${name}), or IAM → Agencies → Create Agency for the cloud service IMS; or set copy_agency to an agency that exists.`;
				try {
					const region = valueOf(context.answers, 'region_name');
					const projects = await visibleProjects(client, signal);
					const domainId = (projects.find(p => p.name === region) ?? projects[0])?.domain_id;
					if (!domainId) return {status: 'warn', detail: `cannot tell whether agency ${name} exists: IAM named no account ID`, fix: createIt};
					const agencies = await findAgency(client, domainId, name, signal);
					if (agencies.length === 0) return {status: 'fail', detail: `no agency ${name} in the account: every copy would fail`, fix: createIt};
					return {status: 'pass', detail: `${name} exists${agencies[0]!.trust_domain_name ? ` (trusts ${agencies[0]!.trust_domain_name})` : ''}`};
				} catch (error) {
					if (error instanceof CloudError && error.status === 403) {
						return {
							status: 'warn',
							detail: `cannot tell whether agency ${name} exists: the key may not list agencies (${error.message})`,
							fix: `Check IAM → Agencies for ${name} by hand; the copies fail without it. ${createIt}`,
						};
					}
					return cloudProblem(error, 'IAM');
				}
			},
		},
	];
}
