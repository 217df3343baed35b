/**
 * The Huawei Cloud checks: credentials and region (→ project ID), the executor's clock,
 * VPC, Network ID (catching a pasted Subnet ID), port 22 in the security group, the
 * source image, flavor and AZ, and quota. All but the first two need the project ID.
 */
import os from 'node:os';
import {valueOf, type Answers} from '../answers.js';
import * as api from '../cloud/api.js';
import {CloudClient, CloudError, type Credentials} from '../cloud/client.js';
import {BUILD_PERMISSIONS, CredentialError, describeCredential, mayOutlast, obtainCredential, type BuildCredential} from '../cloud/credential.js';
import {credentialMode, type CredentialMode} from '../settings.js';
import {EndpointError} from '../cloud/endpoints.js';
import {describeRule, evaluatePort22} from '../cloud/port22.js';
import type {Check, CheckResult, Outcome} from './engine.js';
import {templateFile, type CheckContext} from './context.js';
import {readPluginPin, type PluginGeneration} from '../plugin-pin.js';

const usable = (answers: Answers, key: string) => valueOf(answers, key) !== '' && !answers.get(key)?.problem;

/** A client for the answers' region and keys, or why there cannot be one. */
export function cloudClient(context: CheckContext, signal?: AbortSignal): CloudClient | string {
	const {answers} = context;
	const mode = modeOf(answers);
	if (!usable(answers, 'region_name')) return 'needs a valid region (REGION_NAME)';
	// Once the credentials check has it, every call is made with the credential the build will use.
	const current = context.credential?.current;
	if (current) return clientWith(context, current, signal);
	if (mode !== 'key') return `needs the ${mode} credential (see the "Credentials and region" check)`;
	if (!usable(answers, 'access_key') || !usable(answers, 'secret_key')) return 'needs keys: export IAM_ACCESS_KEY and IAM_SECRET_KEY (or type them in the wizard)';
	return clientWith(context, operatorKeys(answers), signal);
}

/** The keys the operator gave (and the token, if they exported one with them). */
function operatorKeys(answers: Answers): Credentials {
	const token = valueOf(answers, 'security_token');
	return {accessKey: valueOf(answers, 'access_key'), secretKey: valueOf(answers, 'secret_key'), ...(token ? {securityToken: token} : {})};
}

function clientWith(context: CheckContext, credentials: Credentials, signal?: AbortSignal): CloudClient {
	return new CloudClient({
		region: valueOf(context.answers, 'region_name'),
		credentials: {accessKey: credentials.accessKey, secretKey: credentials.secretKey, ...(credentials.securityToken ? {securityToken: credentials.securityToken} : {})},
		cloud: valueOf(context.answers, 'cloud'),
		env: context.env,
		signal,
	});
}

/** How long one cloud check may take: up to four requests, each retried once. */
export function cloudCheckTimeout(env: Readonly<Record<string, string | undefined>>): number {
	const perRequest = Number(env['CCE_HTTP_TIMEOUT_MS']) > 0 ? Number(env['CCE_HTTP_TIMEOUT_MS']) : 10_000;
	return 4 * (2 * perRequest + 500) + 2_000;
}

const CREDENTIALS_PAGE = 'console: My Credentials → Access Keys';

/** What a failed call means for the operator: the detail and the fix. */
function explain(error: unknown, what: string, mode: CredentialMode = 'key'): Outcome {
	if (error instanceof EndpointError) return {status: 'fail', detail: error.message, fix: 'Correct the CCE_ENDPOINT_* variable, or unset it to use the public endpoint.'};
	if (!(error instanceof CloudError)) throw error;
	if (error.status === undefined) {
		return {status: 'fail', detail: `${what}: ${error.message}`, fix: 'Check the executor\'s DNS, routes and proxy to the Huawei Cloud endpoints, then run the checks again.'};
	}
	if (error.status === 403) {
		const fix = mode === 'agency'
			? `Give the executor's agency what the build needs: ${BUILD_PERMISSIONS} (IAM → Agencies → the executor's agency → Permissions).`
			: mode === 'temporary'
				? `The temporary credential has the permissions of your IAM user: give the user ${BUILD_PERMISSIONS}.`
				: 'Give the IAM user of this key read access to VPC, ECS and IMS (e.g. the ReadOnlyAccess policy for the region), or use a key that has it.';
		return {status: 'fail', detail: `${what}: no permission (${error.message})`, fix};
	}
	return {status: 'fail', detail: `${what}: ${error.message}`, fix: 'Run the checks again; if it persists, look the request ID up with Huawei Cloud support.'};
}

/** Data the credentials check hands on. */
type CredentialsData = {projectId?: string; serverDate?: string};

function credentialsOf(results: ReadonlyMap<string, CheckResult>): CredentialsData {
	return (results.get('cloud.credentials')?.data ?? {}) as CredentialsData;
}

function projectIdOf(results: ReadonlyMap<string, CheckResult>): string {
	const id = credentialsOf(results).projectId;
	if (!id) throw new Error('the credentials check found no project ID');
	return id;
}

function clientFor(context: CheckContext, signal: AbortSignal): CloudClient {
	const client = cloudClient(context, signal);
	if (typeof client === 'string') throw new Error(client);
	return client;
}

/** Minutes this executor's clock is ahead of the cloud's (negative: behind). */
const skewMinutes = (serverDate: Date) => (Date.now() - serverDate.getTime()) / 60_000;

function describeSkew(minutes: number): string {
	const size = Math.abs(minutes) < 1 ? 'less than a minute' : `${Math.abs(Math.round(minutes))} minutes`;
	return `${size} ${minutes >= 0 ? 'ahead of' : 'behind'} the cloud`;
}

/** Sorts a 401 from the API gateway into the cases an operator can act on. */
function authenticationFailure(error: CloudError): Outcome {
	const message = error.huaweiMessage;
	if (error.serverDate && Math.abs(skewMinutes(error.serverDate)) > 15) {
		return {
			status: 'fail',
			detail: `signed requests are refused: this executor's clock is ${describeSkew(skewMinutes(error.serverDate))} (${error.message})`,
			fix: 'Set the clock: sudo timedatectl set-ntp true (or sudo chronyc makestep), then run the checks again.',
		};
	}
	if (/not exist/i.test(message)) {
		return {status: 'fail', detail: `the access key is unknown (${error.message})`, fix: `Check IAM_ACCESS_KEY for typos, or create a new access key (${CREDENTIALS_PAGE}).`};
	}
	if (/disabled|expired|inactive|frozen|locked|forbidden/i.test(message)) {
		return {status: 'fail', detail: `the access key is disabled, expired or locked (${error.message})`, fix: `Enable it or create a new one (${CREDENTIALS_PAGE}); after five failed signatures a key is locked for five minutes.`};
	}
	if (/signature/i.test(message)) {
		return {status: 'fail', detail: `the secret key does not match the access key (${error.message})`, fix: 'Check IAM_SECRET_KEY: it is in the credentials.csv downloaded with the access key, 40 characters, no spaces.'};
	}
	return {status: 'fail', detail: `authentication failed (${error.message})`, fix: `Check both keys (${CREDENTIALS_PAGE}).`};
}

const modeOf = (answers: Answers): CredentialMode => credentialMode(new Map([['credentials', valueOf(answers, 'credentials')]]));

/**
 * With credentials=temporary or agency, the credential the build will use (minted with the
 * operator's keys, or from the metadata service); undefined with credentials=key; an outcome
 * when it cannot be had.
 */
async function buildCredential(context: CheckContext, signal: AbortSignal): Promise<BuildCredential | Outcome | undefined> {
	const {answers} = context;
	const mode = modeOf(answers);
	if (mode === 'key') return undefined;
	if (!usable(answers, 'region_name')) return {status: 'skip', detail: 'needs a valid region (REGION_NAME)', fix: 'Fix the settings first (see the Settings check).'};
	let minter: CloudClient | undefined;
	if (mode === 'temporary') {
		if (!usable(answers, 'access_key') || !usable(answers, 'secret_key')) {
			return {status: 'skip', detail: 'needs your keys to mint the temporary credential: export IAM_ACCESS_KEY and IAM_SECRET_KEY (or type them in the wizard)', fix: 'Provide the keys; the cloud checks run once they are known.'};
		}
		minter = clientWith(context, {accessKey: valueOf(answers, 'access_key'), secretKey: valueOf(answers, 'secret_key')}, signal);
	}
	const keys = {accessKey: valueOf(answers, 'access_key'), secretKey: valueOf(answers, 'secret_key')};
	try {
		return await obtainCredential(mode, keys, {client: minter, durationSeconds: Number(valueOf(answers, 'credential_duration') || 3600), env: context.env, signal});
	} catch (error) {
		if (error instanceof CredentialError) return {status: 'fail', detail: error.message, fix: error.fix};
		if (error instanceof CloudError && error.status === 401) {
			const outcome = authenticationFailure(error);
			return {...outcome, detail: `minting the temporary credential: ${outcome.detail}`, data: {serverDate: (error.serverDate ?? minter?.lastServerDate)?.toISOString()}};
		}
		const outcome = explain(error, 'IAM (temporary credential)');
		return {...outcome, data: {serverDate: minter?.lastServerDate?.toISOString()}};
	}
}

export function cloudChecks(env: Readonly<Record<string, string | undefined>>): Array<Check<CheckContext>> {
	const timeoutMs = cloudCheckTimeout(env);
	const needing = (keys: string[], context: CheckContext): Outcome | undefined => {
		const missing = keys.filter(key => !usable(context.answers, key));
		return missing.length > 0 ? {status: 'skip', detail: `needs a valid ${missing.join(', ')}`, fix: 'Fix the settings first (see the Settings check).'} : undefined;
	};

	return [
		{
			id: 'cloud.credentials',
			title: 'Credentials and region',
			family: 'cloud',
			timeoutMs,
			async run(context, _results, signal) {
				const holder = context.credential ?? (context.credential = {});
				holder.current = undefined;
				const obtained = await buildCredential(context, signal);
				if (obtained && 'status' in obtained) return obtained;
				holder.current = obtained;
				const client = cloudClient(context, signal);
				if (typeof client === 'string') return {status: 'skip', detail: client, fix: 'Provide the keys; the cloud checks run once they are known.'};
				const region = client.region;
				const using = obtained ? `${describeCredential(obtained)}; ` : '';
				const given = valueOf(context.answers, 'project_id');
				const withDate = (outcome: Outcome, projectId?: string): Outcome => ({
					...outcome,
					data: {projectId, serverDate: client.lastServerDate?.toISOString()},
				});
				let projects: api.Project[];
				let via = 'IAM projects';
				try {
					try {
						projects = await api.projectsNamed(client, region, signal);
					} catch (error) {
						if (!(error instanceof CloudError) || error.status !== 403) throw error;
						via = 'the projects this key can use';
						projects = await api.authProjects(client, signal);
					}
				} catch (error) {
					if (error instanceof CloudError && error.status === 401) {
						return {...authenticationFailure(error), data: {serverDate: (error.serverDate ?? client.lastServerDate)?.toISOString()}};
					}
					if (error instanceof CloudError && error.status === 403 && given) {
						return withDate(
							{status: 'warn', detail: `the key may not list IAM projects; using the given project ID ${given}`, fix: 'Nothing to do if the project ID is right; the other cloud checks use it.'},
							given,
						);
					}
					return withDate(
						error instanceof CloudError && error.status === 403
							? {status: 'fail', detail: `the key has no permission to look up the project of ${region} (${error.message})`, fix: 'Set HW_PROJECT_ID (My Credentials → API Credentials → Project ID), or grant the key IAM read access.'}
							: explain(error, 'IAM', modeOf(context.answers)),
					);
				}
				const project = projects.find(p => p.name === region);
				if (!project) {
					return withDate({
						status: 'fail',
						detail: `no project for region ${region} among ${via}`,
						fix: `Check REGION_NAME; the key's account may not have ${region} enabled (My Credentials → API Credentials lists the regions and projects).`,
					});
				}
				if (given && given !== project.id) {
					return withDate(
						{status: 'fail', detail: `HW_PROJECT_ID ${given} is not the project of ${region} (${project.id})`, fix: `Use project_id ${project.id}, or leave it empty.`},
						project.id,
					);
				}
				if (obtained?.expiresAt) {
					const short = mayOutlast(valueOf(context.answers, 'ssh_timeout'), obtained.expiresAt);
					if (short) {
						return withDate(
							{
								status: 'warn',
								detail: `${using}a build may take ${Math.round(short.needed / 60)} min (ssh_timeout, the image wait and the rest), longer than the ${Math.max(0, Math.round(short.left / 60))} min the credential has left`,
								fix:
									obtained.mode === 'temporary'
										? `Raise credential_duration (CCE_CREDENTIAL_DURATION, up to 86400 s) to ${Math.min(86_400, Math.max(900, Math.ceil((short.needed + 600) / 900) * 900))} or more, or lower ssh_timeout.`
										: `The agency credential renews itself; run the checks again in a few minutes for a fresh one, or lower ssh_timeout.`,
							},
							project.id,
						);
					}
				}
				return withDate({status: 'pass', detail: `${using || 'keys accepted; '}project ${project.id} (${region})`}, project.id);
			},
		},
		{
			id: 'cloud.clock',
			title: 'Executor clock',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			tolerates: ['cloud.credentials'],
			async run(_context, results) {
				const serverDate = credentialsOf(results).serverDate;
				if (!serverDate) return {status: 'skip', detail: 'no answer from the cloud to compare with'};
				const minutes = skewMinutes(new Date(serverDate));
				const detail = describeSkew(minutes);
				const fix = 'Set the clock: sudo timedatectl set-ntp true (or sudo chronyc makestep); AK/SK signatures are refused beyond 15 minutes.';
				if (Math.abs(minutes) > 15) return {status: 'fail', detail, fix};
				if (Math.abs(minutes) > 5) return {status: 'warn', detail, fix};
				return {status: 'pass', detail};
			},
		},
		{
			id: 'cloud.vpc',
			title: 'VPC',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			timeoutMs,
			async run(context, results, signal) {
				const skip = needing(['vpc_id'], context);
				if (skip) return skip;
				const id = valueOf(context.answers, 'vpc_id');
				try {
					const vpc = await api.getVpc(clientFor(context, signal), projectIdOf(results), id, signal);
					if (!vpc) return {status: 'fail', detail: `no VPC ${id} in ${context.answers.get('region_name')?.value}`, fix: 'Copy the ID from VPC → Virtual Private Cloud in the same region as the executor.'};
					if (vpc.status !== 'OK') return {status: 'fail', detail: `VPC ${vpc.name} is ${vpc.status}, not OK`, fix: 'Wait until the VPC is ready, or choose another.'};
					return {status: 'pass', detail: `${vpc.name} (${vpc.cidr ?? 'no CIDR'}), status OK`, data: {cidr: vpc.cidr}};
				} catch (error) {
					return explain(error, 'VPC', modeOf(context.answers));
				}
			},
		},
		{
			id: 'cloud.network',
			title: 'Network ID of the subnet',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			timeoutMs,
			async run(context, results, signal) {
				const skip = needing(['network_id'], context);
				if (skip) return skip;
				const id = valueOf(context.answers, 'network_id');
				const vpcId = valueOf(context.answers, 'vpc_id');
				try {
					const client = clientFor(context, signal);
					const subnet = await api.getSubnet(client, projectIdOf(results), id, signal);
					if (!subnet) {
						const neutron = await api.getNeutronSubnet(client, id, signal);
						if (neutron) {
							return {
								status: 'fail',
								detail: `${id} is the Subnet ID of ${neutron.name}; the Network ID to use is ${neutron.network_id}`,
								fix: `Set ECS_NETWORK_ID=${neutron.network_id} (the console shows both on VPC → Subnets → ${neutron.name}; Packer needs the Network ID).`,
								correction: {key: 'network_id', value: neutron.network_id, reason: `the Network ID of subnet ${neutron.name}`},
							};
						}
						return {status: 'fail', detail: `no subnet with Network ID ${id}`, fix: 'Copy the Network ID from VPC → Subnets → your subnet (not its Subnet ID).'};
					}
					if (vpcId && subnet.vpc_id !== vpcId) {
						return {status: 'fail', detail: `subnet ${subnet.name} belongs to VPC ${subnet.vpc_id}, not ${vpcId}`, fix: 'Choose a subnet of the VPC in ECS_VPC_ID, or change ECS_VPC_ID to that VPC.'};
					}
					if (subnet.status !== 'ACTIVE') return {status: 'fail', detail: `subnet ${subnet.name} is ${subnet.status}, not ACTIVE`, fix: 'Wait until the subnet is ready, or choose another.'};
					return {status: 'pass', detail: `${subnet.name} (${subnet.cidr ?? ''}) in the VPC, ACTIVE`};
				} catch (error) {
					return explain(error, 'VPC', modeOf(context.answers));
				}
			},
		},
		{
			id: 'cloud.port22',
			title: 'Security group allows SSH from the executor',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			timeoutMs,
			async run(context, results, signal) {
				const skip = needing(['security_group_id'], context);
				if (skip) return skip;
				const id = valueOf(context.answers, 'security_group_id');
				try {
					const client = clientFor(context, signal);
					const projectId = projectIdOf(results);
					const found = await api.getSecurityGroup(client, projectId, id, signal);
					if (!found) return {status: 'fail', detail: `no security group ${id}`, fix: 'Copy the ID from VPC → Access Control → Security Groups.'};
					const {group} = found;
					const address = await executorAddress(context, client, projectId, signal);
					if (!address.ip) return {status: 'warn', detail: `${group.name}: ${address.how}`, fix: 'Set executor_ip (CCE_EXECUTOR_IP) to the address the temporary ECS sees SSH come from.'};
					const verdict = evaluatePort22(group.security_group_rules ?? [], address.ip);
					const addRule = `Add an inbound rule to ${group.name}: protocol TCP, port 22, source ${address.ip}/32, action Allow, priority 1 (VPC → Access Control → Security Groups → ${group.name} → Inbound Rules → Add Rule).`;
					switch (verdict.verdict) {
						case 'allowed':
							return {status: 'pass', detail: `${group.name}: ${describeRule(verdict.rule)} lets ${address.ip} (${address.how}) in`};
						case 'denied':
							return {
								status: 'fail',
								detail: `${group.name}: ${describeRule(verdict.rule)} blocks ${address.ip}${verdict.allow ? `, and wins over ${describeRule(verdict.allow)}` : ''}`,
								fix: `Remove that deny rule or lower its priority below the allow rule; or ${addRule}`,
							};
						case 'unverifiable':
							return {
								status: 'warn',
								detail: `${group.name}: only rules through other groups could let ${address.ip} in (${verdict.rules.map(describeRule).join('; ')}); cannot verify them, check by hand`,
								fix: `Check by hand that the executor is in that group, or ${addRule}`,
							};
						default:
							return {status: 'fail', detail: `${group.name}: no inbound rule allows TCP 22 from ${address.ip} (${address.how})`, fix: addRule};
					}
				} catch (error) {
					return explain(error, 'VPC', modeOf(context.answers));
				}
			},
		},
		{
			id: 'cloud.image',
			title: 'Source image',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			timeoutMs,
			async run(context, _results, signal) {
				const skip = needing(['source_image_id'], context);
				if (skip) return skip;
				const id = valueOf(context.answers, 'source_image_id');
				try {
					const image = await api.getImage(clientFor(context, signal), id, signal);
					return image ? judgeImage(image, Number(valueOf(context.answers, 'volume_size') || 0)) : {status: 'fail', detail: `no image ${id} in this region`, fix: 'Copy a CCE node image ID from Image Management Service → Public Images (same region).'};
				} catch (error) {
					return explain(error, 'IMS', modeOf(context.answers));
				}
			},
		},
		{
			id: 'cloud.flavor',
			title: 'Flavor and availability zone',
			family: 'cloud',
			dependsOn: ['cloud.credentials'],
			timeoutMs,
			async run(context, results, signal) {
				const skip = needing(['ecs_flavor'], context);
				if (skip) return skip;
				try {
					const client = clientFor(context, signal);
					const projectId = projectIdOf(results);
					const zones = await api.listAvailabilityZones(client, projectId, signal);
					const available = zones.filter(z => z.zoneState?.available).map(z => z.zoneName);
					const az = valueOf(context.answers, 'ecs_az');
					if (az && !zones.some(z => z.zoneName === az)) return {status: 'fail', detail: `no AZ ${az}; there are ${zones.map(z => z.zoneName).join(', ')}`, fix: 'Set ecs_az to one of those, or leave it empty.'};
					if (az && !available.includes(az)) return {status: 'fail', detail: `AZ ${az} is not available`, fix: `Use one of ${available.join(', ')}.`};
					return judgeFlavor(valueOf(context.answers, 'ecs_flavor'), az ? [az] : available, async zone => api.listFlavors(client, projectId, zone, signal), !az);
				} catch (error) {
					return explain(error, 'ECS', modeOf(context.answers));
				}
			},
		},
		{
			id: 'cloud.quota',
			title: 'Quota for one more server',
			family: 'cloud',
			dependsOn: ['cloud.credentials', 'cloud.flavor'],
			tolerates: ['cloud.flavor'],
			timeoutMs,
			async run(context, results, signal) {
				try {
					const client = clientFor(context, signal);
					const projectId = projectIdOf(results);
					const flavor = results.get('cloud.flavor')?.data as {vcpus?: number; ram?: number} | undefined;
					const limits = await api.getLimits(client, projectId, signal);
					const short: string[] = [];
					const left = (max: number, used: number) => (max < 0 ? Number.POSITIVE_INFINITY : max - used);
					if (left(limits.maxTotalInstances, limits.totalInstancesUsed) < 1) short.push(`servers: ${limits.totalInstancesUsed} of ${limits.maxTotalInstances} used`);
					if (left(limits.maxTotalCores, limits.totalCoresUsed) < (flavor?.vcpus ?? 1)) short.push(`vCPUs: ${limits.totalCoresUsed} of ${limits.maxTotalCores} used, ${flavor?.vcpus ?? 1} needed`);
					if (left(limits.maxTotalRAMSize, limits.totalRAMUsed) < (flavor?.ram ?? 1)) short.push(`memory: ${limits.totalRAMUsed} of ${limits.maxTotalRAMSize} MB used, ${flavor?.ram ?? 1} MB needed`);
					const eipNeeded = await buildUsesEip(context);
					if (eipNeeded) {
						const eip = await api.getQuota(client, projectId, 'publicIp', signal);
						if (eip && eip.quota >= 0 && eip.quota - eip.used < 1) short.push(`EIPs: ${eip.used} of ${eip.quota} used`);
					}
					if (short.length > 0) return {status: 'fail', detail: `quota exhausted: ${short.join('; ')}`, fix: 'Release unused servers or EIPs, or raise the quota (console: Quotas → Increase Quota).'};
					return {status: 'pass', detail: `room for one more server${eipNeeded ? ' and one EIP' : ''}`};
				} catch (error) {
					return explain(error, 'ECS', modeOf(context.answers));
				}
			},
		},
	];
}

/**
 * Whether the build gives the temporary ECS a public IP, by the plugin generation's rule.
 * 0.4.0 creates one only when both eip_type and eip_bandwidth_size are set; 1.2.2 whenever
 * eip_bandwidth_size is non-zero (eip_type defaults to 5_bgp), unless the template sets
 * associate_public_ip_address = false (the kit's does not: 0.4.0 rejects that field).
 */
export function usesEip(answers: Answers, generation: PluginGeneration, associatePublicIp?: boolean): boolean {
	const bandwidth = Number(valueOf(answers, 'eip_bandwidth_size'));
	if (generation === 0) return valueOf(answers, 'eip_type') !== '' && bandwidth > 0;
	return associatePublicIp !== false && bandwidth !== 0 && !Number.isNaN(bandwidth);
}

/** The EIP rule for the template the build runs. */
async function buildUsesEip(context: CheckContext): Promise<boolean> {
	return usesEip(context.answers, (await readPluginPin(templateFile(context))).generation);
}

/** The executor's own IPv4 addresses (not loopback). */
export function privateAddresses(interfaces = os.networkInterfaces()): string[] {
	return Object.values(interfaces)
		.flat()
		.filter((i): i is os.NetworkInterfaceInfo => i !== undefined && i.family === 'IPv4' && !i.internal)
		.map(i => i.address);
}

/** The address the temporary ECS sees SSH come from, and how it was found. */
async function executorAddress(context: CheckContext, client: CloudClient, projectId: string, signal: AbortSignal): Promise<{ip?: string; how: string}> {
	const configured = valueOf(context.answers, 'executor_ip');
	if (configured) return {ip: configured, how: 'executor_ip setting'};
	const own = privateAddresses();
	if (own.length === 0) return {how: 'this machine has no IPv4 address besides loopback'};
	if (!(await buildUsesEip(context))) return {ip: own[0], how: 'executor private IP; the build uses no EIP'};
	const eip = (await api.listPublicIps(client, projectId, signal)).find(p => p.private_ip_address && own.includes(p.private_ip_address));
	if (eip) return {ip: eip.public_ip_address, how: `executor EIP, bound to ${eip.private_ip_address}`};
	return {how: `the build reaches the ECS through an EIP, but no EIP is bound to this executor (${own.join(', ')}); its traffic leaves through a NAT gateway or another route whose address cannot be seen from here`};
}

const CCE_OS = /CentOS 7\.6|Ubuntu 18\.04|Ubuntu 22\.04|EulerOS 2\.(?:9|0 \(?SP9\)?)|Huawei Cloud EulerOS 2\.0/i;

export function judgeImage(image: api.Image, volumeSize: number): Outcome {
	const name = `${image.name} (${image.__os_version ?? 'unknown OS'})`;
	if (image.status !== 'active') return {status: 'fail', detail: `${name} is ${image.status}, not active`, fix: 'Wait until the image is active, or choose another CCE node image.'};
	if (image.__support_arm === 'true') return {status: 'fail', detail: `${name} is an ARM image; the kit builds x86 node images`, fix: 'Choose an x86 CCE node image.'};
	if (!CCE_OS.test(image.__os_version ?? '')) {
		return {status: 'fail', detail: `${name}: not an OS CCE supports for custom node images`, fix: 'Choose a CCE base image of CentOS 7.6, Ubuntu 18.04/22.04, EulerOS 2.9 or Huawei Cloud EulerOS 2.0.'};
	}
	if (image.min_disk !== undefined && volumeSize > 0 && image.min_disk > volumeSize) {
		return {status: 'fail', detail: `${name} needs a ${image.min_disk} GB disk; volume_size is ${volumeSize}`, fix: `Set volume_size (PKR_VAR_volume_size) to ${image.min_disk} or more.`};
	}
	const unsupported = /Huawei Cloud EulerOS 2\.0|Ubuntu 22\.04/i.exec(image.__os_version ?? '');
	if (unsupported) {
		return {
			status: 'warn',
			detail: `${name}: CCE's best-practice page "Creating a Custom CCE Node Image" (2024-11) lists ${unsupported[0]} as unsupported for custom node images`,
			fix: "Check the CCE documentation for your cluster's version before using this base; CentOS 7.6, Ubuntu 18.04 and EulerOS 2.9 bases are supported.",
		};
	}
	const own = image.__imagetype === 'private' || image.__imagetype === 'shared';
	if (own && !/cce/i.test(image.name)) {
		return {status: 'warn', detail: `${name} is a ${image.__imagetype} image that does not look like a CCE node image`, fix: 'CCE supports custom images built from its own base images; make sure this one was.'};
	}
	return {status: 'pass', detail: `${name}, active, x86${image.min_disk ? `, min disk ${image.min_disk} GB` : ''}`};
}

const SELLING = new Set(['normal', 'promotion', 'obt']);

/** The flavor's sales status in an AZ: cond:operation:az overrides the region-wide cond:operation:status. */
export function flavorStatusIn(flavor: api.Flavor, az: string): string {
	const specs = flavor.os_extra_specs ?? {};
	const perAz = new RegExp(`(?:^|,)\\s*${az.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\(([a-z]+)\\)`).exec(specs['cond:operation:az'] ?? '');
	return perAz?.[1] ?? specs['cond:operation:status'] ?? 'normal';
}

async function judgeFlavor(name: string, zones: string[], flavorsIn: (az: string) => Promise<api.Flavor[]>, random: boolean): Promise<Outcome> {
	const selling: string[] = [];
	const notSelling: string[] = [];
	let found: api.Flavor | undefined;
	const offered = await Promise.all(zones.map(async az => (await flavorsIn(az)).find(f => f.id === name || f.name === name)));
	for (const [index, az] of zones.entries()) {
		const flavor = offered[index];
		if (flavor) found = flavor;
		const status = flavor ? flavorStatusIn(flavor, az) : 'not offered';
		(flavor && SELLING.has(status) ? selling : notSelling).push(`${az}${flavor && SELLING.has(status) ? '' : ` (${status})`}`);
	}
	if (!found) return {status: 'fail', detail: `flavor ${name} is not offered in ${zones.join(', ')}`, fix: 'Choose a flavor listed on ECS → Buy ECS for the region, e.g. c7.large.2.'};
	const data = {vcpus: Number(found.vcpus), ram: found.ram};
	if (found.os_extra_specs?.['ecs:instance_architecture'] === 'arm64') {
		return {status: 'fail', detail: `${name} is an Arm (Kunpeng) flavor; the kit builds x86 images`, fix: 'Choose an x86 flavor such as c7.large.2.', data};
	}
	if (selling.length === 0) return {status: 'fail', detail: `${name} is sold out or not offered in ${notSelling.join(', ')}`, fix: 'Choose another flavor or AZ (ECS → Buy ECS shows what is on sale).', data};
	if (random && notSelling.length > 0) {
		return {
			status: 'warn',
			detail: `${name} sells in ${selling.join(', ')} but not in ${notSelling.join(', ')}; with no AZ set the plugin picks one at random`,
			fix: `Set ecs_az (PKR_VAR_ecs_az) to one of ${selling.join(', ')}.`,
			data,
		};
	}
	return {status: 'pass', detail: `${name} (${found.vcpus} vCPUs, ${found.ram / 1024} GB, x86) on sale in ${selling.join(', ')}`, data};
}
