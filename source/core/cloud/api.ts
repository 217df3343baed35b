/**
 * The Huawei Cloud calls the wizard makes, with the response fields it reads (as the
 * IAM, VPC, ECS and IMS API references name them).
 */
import {CloudError, type CloudClient} from './client.js';

export type Project = {id: string; name: string; enabled?: boolean};
export type Vpc = {id: string; name: string; cidr?: string; status: string};
export type Subnet = {id: string; name: string; cidr?: string; vpc_id: string; status: string; neutron_network_id?: string; neutron_subnet_id?: string; availability_zone?: string};
export type NeutronSubnet = {id: string; name: string; network_id: string; cidr?: string};
export type SecurityGroupRule = {
	id: string;
	direction: 'ingress' | 'egress';
	ethertype?: string;
	protocol?: string | null;
	port_range_min?: number | null;
	port_range_max?: number | null;
	/** v3: "22", "22,80-90"; empty or absent for all ports. */
	multiport?: string | null;
	remote_ip_prefix?: string | null;
	remote_group_id?: string | null;
	remote_address_group_id?: string | null;
	/** v3 only. */
	action?: 'allow' | 'deny';
	/** v3 only: 1 (highest) to 100. */
	priority?: number;
	/** v3 only, default true: a disabled rule allows (and denies) nothing. */
	enabled?: boolean;
};
export type SecurityGroup = {id: string; name: string; security_group_rules: SecurityGroupRule[]};
export type PublicIp = {id: string; status?: string; public_ip_address: string; private_ip_address?: string; port_id?: string; bandwidth_name?: string; bandwidth_id?: string};
export type Image = {
	id: string;
	name: string;
	status: string;
	min_disk?: number;
	__os_version?: string;
	__platform?: string;
	__imagetype?: string;
	__support_arm?: string;
	visibility?: string;
};
export type AvailabilityZone = {zoneName: string; zoneState: {available: boolean}};
export type Flavor = {id: string; name: string; vcpus: string; ram: number; os_extra_specs?: Record<string, string>};
export type AbsoluteLimits = {
	maxTotalInstances: number;
	totalInstancesUsed: number;
	maxTotalCores: number;
	totalCoresUsed: number;
	maxTotalRAMSize: number;
	totalRAMUsed: number;
};
export type QuotaResource = {type: string; used: number; quota: number; min?: number};

/** Undefined for a 404, the value otherwise. */
async function orMissing<T>(call: Promise<T>): Promise<T | undefined> {
	try {
		return await call;
	} catch (error) {
		if (error instanceof CloudError && error.status === 404) return undefined;
		throw error;
	}
}

export async function projectsNamed(client: CloudClient, region: string, signal?: AbortSignal): Promise<Project[]> {
	const response = await client.request<{projects: Project[]}>('iam', 'GET', '/v3/projects', {query: {name: region}, signal});
	return response.body.projects ?? [];
}

/** The projects the credentials can reach (the fallback when listing by name is forbidden). */
export async function authProjects(client: CloudClient, signal?: AbortSignal): Promise<Project[]> {
	const response = await client.request<{projects: Project[]}>('iam', 'GET', '/v3/auth/projects', {signal});
	return response.body.projects ?? [];
}

export async function getVpc(client: CloudClient, projectId: string, id: string, signal?: AbortSignal): Promise<Vpc | undefined> {
	return orMissing(client.request<{vpc: Vpc}>('vpc', 'GET', `/v1/${projectId}/vpcs/${id}`, {signal}).then(r => r.body.vpc));
}

export async function getSubnet(client: CloudClient, projectId: string, id: string, signal?: AbortSignal): Promise<Subnet | undefined> {
	return orMissing(client.request<{subnet: Subnet}>('vpc', 'GET', `/v1/${projectId}/subnets/${id}`, {signal}).then(r => r.body.subnet));
}

export async function getNeutronSubnet(client: CloudClient, id: string, signal?: AbortSignal): Promise<NeutronSubnet | undefined> {
	return orMissing(client.request<{subnet: NeutronSubnet}>('vpc', 'GET', `/v2.0/subnets/${id}`, {signal}).then(r => r.body.subnet));
}

/** The group with its rules: the v3 API (with action and priority) where the cloud has it, else v1. */
export async function getSecurityGroup(
	client: CloudClient,
	projectId: string,
	id: string,
	signal?: AbortSignal,
): Promise<{group: SecurityGroup; api: 'v3' | 'v1'} | undefined> {
	const v3 = await orMissing(
		client.request<{security_group: SecurityGroup}>('vpc', 'GET', `/v3/${projectId}/vpc/security-groups/${id}`, {signal}).then(r => r.body.security_group),
	);
	if (v3) return {group: v3, api: 'v3'};
	const v1 = await orMissing(
		client.request<{security_group: SecurityGroup}>('vpc', 'GET', `/v1/${projectId}/security-groups/${id}`, {signal}).then(r => r.body.security_group),
	);
	return v1 ? {group: v1, api: 'v1'} : undefined;
}

export async function listPublicIps(client: CloudClient, projectId: string, signal?: AbortSignal): Promise<PublicIp[]> {
	const response = await client.request<{publicips: PublicIp[]}>('vpc', 'GET', `/v1/${projectId}/publicips`, {query: {limit: '1000'}, signal});
	return response.body.publicips ?? [];
}

export async function getImage(client: CloudClient, id: string, signal?: AbortSignal): Promise<Image | undefined> {
	const response = await client.request<{images: Image[]}>('ims', 'GET', '/v2/cloudimages', {query: {id}, signal});
	return response.body.images?.[0];
}

export async function listAvailabilityZones(client: CloudClient, projectId: string, signal?: AbortSignal): Promise<AvailabilityZone[]> {
	const response = await client.request<{availabilityZoneInfo: AvailabilityZone[]}>('ecs', 'GET', `/v2.1/${projectId}/os-availability-zone`, {signal});
	return response.body.availabilityZoneInfo ?? [];
}

export async function listFlavors(client: CloudClient, projectId: string, availabilityZone?: string, signal?: AbortSignal): Promise<Flavor[]> {
	const response = await client.request<{flavors: Flavor[]}>('ecs', 'GET', `/v1/${projectId}/cloudservers/flavors`, {
		query: {availability_zone: availabilityZone || undefined},
		signal,
	});
	return response.body.flavors ?? [];
}

export async function getLimits(client: CloudClient, projectId: string, signal?: AbortSignal): Promise<AbsoluteLimits> {
	const response = await client.request<{absolute: AbsoluteLimits}>('ecs', 'GET', `/v1/${projectId}/cloudservers/limits`, {signal});
	return response.body.absolute;
}

/** One VPC quota; `type` as the API names it (vpc, subnet, securityGroup, publicIp, ...: SDK ShowQuotaRequestType). */
export async function getQuota(client: CloudClient, projectId: string, type: 'publicIp' | 'vpc' | 'subnet' | 'securityGroup', signal?: AbortSignal): Promise<QuotaResource | undefined> {
	const response = await client.request<{quotas: {resources: QuotaResource[]}}>('vpc', 'GET', `/v1/${projectId}/quotas`, {query: {type}, signal});
	return response.body.quotas?.resources?.find(r => r.type === type);
}

export async function listVpcs(client: CloudClient, projectId: string, signal?: AbortSignal): Promise<Vpc[]> {
	const response = await client.request<{vpcs: Vpc[]}>('vpc', 'GET', `/v1/${projectId}/vpcs`, {query: {limit: '200'}, signal});
	return response.body.vpcs ?? [];
}

export async function listSubnets(client: CloudClient, projectId: string, vpcId: string, signal?: AbortSignal): Promise<Subnet[]> {
	const response = await client.request<{subnets: Subnet[]}>('vpc', 'GET', `/v1/${projectId}/subnets`, {query: {vpc_id: vpcId || undefined, limit: '200'}, signal});
	return response.body.subnets ?? [];
}

export async function listSecurityGroups(client: CloudClient, projectId: string, signal?: AbortSignal): Promise<Array<{id: string; name: string; description?: string}>> {
	const response = await client.request<{security_groups: Array<{id: string; name: string; description?: string}>}>('vpc', 'GET', `/v1/${projectId}/security-groups`, {query: {limit: '200'}, signal});
	return response.body.security_groups ?? [];
}

// ---- What the cleanup checklist scans and deletes -----------------------------------------

export type Keypair = {name: string; fingerprint?: string};
export type Server = {id: string; name: string; status: string};
export type Volume = {id: string; name: string; status: string};

export async function listKeypairs(client: CloudClient, projectId: string, signal?: AbortSignal): Promise<Keypair[]> {
	const response = await client.request<{keypairs: Array<{keypair: Keypair}>}>('ecs', 'GET', `/v2.1/${projectId}/os-keypairs`, {signal});
	return (response.body.keypairs ?? []).map(k => k.keypair);
}

export async function listServers(client: CloudClient, projectId: string, name: string, signal?: AbortSignal): Promise<Server[]> {
	const response = await client.request<{servers: Server[]}>('ecs', 'GET', `/v1/${projectId}/cloudservers/detail`, {query: {name}, signal});
	return response.body.servers ?? [];
}

/** Volumes whose name starts with `prefix`: EVS matches `name` exactly, so the list is filtered here. */
export async function listVolumes(client: CloudClient, projectId: string, prefix: string, signal?: AbortSignal): Promise<Volume[]> {
	const response = await client.request<{volumes: Volume[]}>('evs', 'GET', `/v2/${projectId}/cloudvolumes/detail`, {query: {limit: '1000'}, signal});
	return (response.body.volumes ?? []).filter(v => v.name.startsWith(prefix));
}

export async function listPrivateImages(client: CloudClient, signal?: AbortSignal): Promise<Image[]> {
	const response = await client.request<{images: Image[]}>('ims', 'GET', '/v2/cloudimages', {query: {__imagetype: 'private'}, signal});
	return response.body.images ?? [];
}

/** Deletes one leftover by kind; resolves when the API accepted it (404 counts as gone). A subnet needs its VPC (`parent`). */
export async function deleteResource(client: CloudClient, projectId: string, kind: string, id: string, signal?: AbortSignal, parent?: string): Promise<void> {
	const gone = (error: unknown) => {
		if (error instanceof CloudError && error.status === 404) return;
		throw error;
	};
	switch (kind) {
		case 'keypair':
			return void (await client.request('ecs', 'DELETE', `/v2.1/${projectId}/os-keypairs/${encodeURIComponent(id)}`, {signal}).catch(gone));
		case 'server':
			return void (await client.request('ecs', 'POST', `/v1/${projectId}/cloudservers/delete`, {body: {servers: [{id}], delete_publicip: true, delete_volume: true}, signal}).catch(gone));
		case 'eip':
			return void (await client.request('vpc', 'DELETE', `/v1/${projectId}/publicips/${id}`, {signal}).catch(gone));
		case 'volume':
			return void (await client.request('evs', 'DELETE', `/v2/${projectId}/cloudvolumes/${id}`, {signal}).catch(gone));
		case 'image':
			return void (await client.request('ims', 'DELETE', `/v2/images/${id}`, {signal}).catch(gone));
		case 'vpc':
			return void (await client.request('vpc', 'DELETE', `/v1/${projectId}/vpcs/${id}`, {signal}).catch(gone));
		case 'subnet':
			if (!parent) throw new Error(`cannot delete subnet ${id} without its VPC: VPC → Subnets`);
			return void (await client.request('vpc', 'DELETE', `/v1/${projectId}/vpcs/${parent}/subnets/${id}`, {signal}).catch(gone));
		default:
			throw new Error(`cannot delete a ${kind}`);
	}
}

/** Deletes an access key (IAM), which ends every signed request made with it. */
export async function deleteAccessKey(client: CloudClient, accessKey: string, signal?: AbortSignal): Promise<void> {
	await client.request('iam', 'DELETE', `/v3.0/OS-CREDENTIAL/credentials/${accessKey}`, {signal});
}
