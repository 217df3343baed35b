/**
 * Choices from the cloud for the wizard's questions (region, VPC, network, security
 * group, AZ, flavor), when the keys are known. A failure means free text, never a dead end.
 */
import {valueOf, type Answers} from '../answers.js';
import * as api from './api.js';
import {CloudClient} from './client.js';

export type Choice = {label: string; value: string};

export const LISTED_SETTINGS = ['region_name', 'vpc_id', 'network_id', 'security_group_id', 'ecs_az', 'ecs_flavor'] as const;


/**
 * Whether a flavor is an Arm one, which an x86 image cannot use: its architecture says arm
 * or arm64, or it is a Kunpeng family (kc1, km1, ki1, kai1…: performance type kunpeng_*).
 */
export function isArmFlavor(flavor: {name: string; os_extra_specs?: Record<string, string | undefined>}): boolean {
	const specs = flavor.os_extra_specs ?? {};
	const architecture = (specs['ecs:instance_architecture'] ?? '').toLowerCase();
	if (['arm', 'arm64', 'aarch64'].includes(architecture)) return true;
	// Older flavors name the performance type hws:performancetype.
	if ((specs['ecs:performancetype'] ?? specs['hws:performancetype'] ?? '').toLowerCase().startsWith('kunpeng')) return true;
	return /^k[a-z]*\d/i.test(flavor.name);
}

export async function choicesFor(key: string, answers: Answers, env: Readonly<Record<string, string | undefined>>, signal?: AbortSignal): Promise<Choice[] | undefined> {
	if (!(LISTED_SETTINGS as readonly string[]).includes(key)) return undefined;
	const accessKey = valueOf(answers, 'access_key');
	const secretKey = valueOf(answers, 'secret_key');
	if (!accessKey || !secretKey || answers.get('access_key')?.problem || answers.get('secret_key')?.problem) return undefined;
	const region = valueOf(answers, 'region_name');
	const clientFor = (r: string) => new CloudClient({region: r, credentials: {accessKey, secretKey}, cloud: valueOf(answers, 'cloud'), env, signal});
	if (key === 'region_name') {
		// The key's projects name its regions; any regional IAM endpoint lists them.
		const projects = await api.authProjects(clientFor(region && !answers.get('region_name')?.problem ? region : 'ap-southeast-1'), signal);
		return projects.filter(p => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(p.name)).map(p => ({label: p.name, value: p.name}));
	}
	if (!region || answers.get('region_name')?.problem) return undefined;
	const client = clientFor(region);
	const projectId = valueOf(answers, 'project_id') || (await api.projectsNamed(client, region, signal)).find(p => p.name === region)?.id;
	if (!projectId) return undefined;
	switch (key) {
		case 'vpc_id':
			return (await api.listVpcs(client, projectId, signal)).map(v => ({label: `${v.name}  ${v.cidr ?? ''}  ${v.id}`, value: v.id}));
		case 'network_id':
			// The value is the subnet's Network ID (v1 `id`), which is what Packer needs.
			return (await api.listSubnets(client, projectId, valueOf(answers, 'vpc_id'), signal)).map(s => ({label: `${s.name}  ${s.cidr ?? ''}  Network ID ${s.neutron_network_id ?? s.id}`, value: s.neutron_network_id ?? s.id}));
		case 'security_group_id':
			return (await api.listSecurityGroups(client, projectId, signal)).map(g => ({label: `${g.name}  ${g.id}`, value: g.id}));
		case 'ecs_az':
			return [
				{label: '(any: the plugin picks one)', value: ''},
				...(await api.listAvailabilityZones(client, projectId, signal)).filter(z => z.zoneState?.available).map(z => ({label: z.zoneName, value: z.zoneName})),
			];
		case 'ecs_flavor': {
			const flavors = await api.listFlavors(client, projectId, valueOf(answers, 'ecs_az'), signal);
			return flavors
				.filter(f => !isArmFlavor(f))
				.map(f => ({label: `${f.name}  ${f.vcpus} vCPUs  ${f.ram / 1024} GB`, value: f.id}));
		}
	}
	return undefined;
}
