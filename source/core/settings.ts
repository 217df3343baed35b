/**
 * The one table of every setting: how an operator names it, where it comes from in the
 * environment, which template variable it feeds, its default, whether it is secret,
 * a one-line help and a validator. Everything else (presets, the build environment,
 * the wizard's questions, `--json`) is derived from this table.
 */
import {aKey, findKeyLike} from './secrets.js';
import {excerpt, hasControlCharacters} from './text.js';

export type SettingKind = 'string' | 'number' | 'bool';

export type Setting = {
	/** The name in presets and `--set NAME=VALUE`: the template variable's name where there is one. */
	key: string;
	/** What the wizard calls it. */
	label: string;
	/** The environment variable operators export. */
	env: string;
	/** The template variable it feeds, when it feeds one. */
	variable?: string;
	kind: SettingKind;
	/** The default as the environment would carry it ('' = empty). Undefined: none, must be given. */
	default?: string;
	required: boolean;
	/** Held only in memory and in the child environment: never in presets, state, logs or files. */
	secret: boolean;
	help: string;
	/** Where to find the value in the console. */
	where?: string;
	/** Why `value` is not acceptable (undefined when it is). Never includes the value of a secret. */
	validate: (value: string) => string | undefined;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,3}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const AZ = /^([a-z]{2}(?:-[a-z]+)+-\d{1,3})[a-z]\d?$/;

function uuid(what: string) {
	return (value: string) => {
		if (UUID.test(value)) return undefined;
		if (/^[0-9a-f]{32}$/i.test(value)) return `expected ${what} as a UUID with dashes (8-4-4-4-12), got 32 characters without dashes`;
		return `expected ${what}: a UUID like 0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e90`;
	};
}

function integer(min: number, max: number, unit: string) {
	return (value: string) => {
		if (!/^\d+$/.test(value)) return `expected a whole number of ${unit}`;
		const n = Number(value);
		return n < min || n > max ? `expected ${min} to ${max} ${unit}` : undefined;
	};
}

/** IMS replicates at most five private images at a time for one account. */
export const COPY_LIMIT = 5;

/** Splits a comma-separated list setting ('' → none); blanks around items are dropped. */
export function listItems(value: string): string[] {
	return value
		.split(',')
		.map(item => item.trim())
		.filter(item => item !== '');
}

function listProblem(value: string, what: string, limit: number, each: (item: string) => string | undefined): string | undefined {
	const items = listItems(value);
	if (items.length === 0 && value.trim() !== '') return `expected ${what}s separated by commas`;
	for (const item of items) {
		const problem = each(item);
		if (problem) return problem;
	}
	const repeated = items.find((item, index) => items.indexOf(item) !== index);
	if (repeated) return `${repeated} is listed twice`;
	if (items.length > limit) return `expected at most ${limit} ${what}s, got ${items.length}`;
	return undefined;
}

/** IMS image tags (API reference, image tag data formats): key 1-36, value 0-43 characters; at most 10 per image. */
const TAG_KEY = /^[\p{L}\p{N}_-]{1,36}$/u;
const TAG_VALUE = /^[\p{L}\p{N}_.-]{0,43}$/u;
export const TAG_LIMIT = 10;

/** `team=infra,release=2026.11` → [{key, value}]; undefined entries are reported by tagsProblem. */
export function parseTags(value: string): Array<{key: string; value: string}> {
	return listItems(value).map(item => {
		const eq = item.indexOf('=');
		return eq === -1 ? {key: item, value: ''} : {key: item.slice(0, eq).trim(), value: item.slice(eq + 1).trim()};
	});
}

function tagsProblem(value: string): string | undefined {
	for (const item of listItems(value)) {
		if (!item.includes('=')) return `'${item}' is not a key=value pair`;
	}
	const tags = parseTags(value);
	for (const tag of tags) {
		if (!TAG_KEY.test(tag.key)) return `tag key '${tag.key}': expected 1-36 letters, digits, '-' or '_'`;
		if (!TAG_VALUE.test(tag.value)) return `tag value '${tag.value}' of ${tag.key}: expected at most 43 letters, digits, '.', '-' or '_'`;
	}
	const keys = tags.map(t => t.key);
	const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
	if (repeated) return `tag key ${repeated} is given twice`;
	if (tags.length > TAG_LIMIT) return `expected at most ${TAG_LIMIT} tags (an IMS image holds 10), got ${tags.length}`;
	return undefined;
}

/** How Packer gets its credential (the `credentials` setting). */
export const CREDENTIAL_MODES = ['key', 'temporary', 'agency'] as const;
export type CredentialMode = (typeof CREDENTIAL_MODES)[number];

/** The credentials mode of a set of values ('key' when unset or not valid). */
export function credentialMode(values: ReadonlyMap<string, string>): CredentialMode {
	const value = values.get('credentials') ?? '';
	return (CREDENTIAL_MODES as readonly string[]).includes(value) ? (value as CredentialMode) : 'key';
}

/**
 * Settings the credentials mode does not take from the operator: with `agency` no key at
 * all, with `temporary` no token (the wizard mints one). Their values are not checked.
 */
export function unusedSettings(values: ReadonlyMap<string, string>): string[] {
	switch (credentialMode(values)) {
		case 'agency':
			return ['access_key', 'secret_key', 'security_token'];
		case 'temporary':
			return ['security_token'];
		default:
			return [];
	}
}

const oneOf = (values: string[]) => (value: string) =>
	values.includes(value) ? undefined : `expected one of ${values.join(', ')}`;

export const SETTINGS: readonly Setting[] = [
	{
		key: 'region_name',
		label: 'Region',
		env: 'REGION_NAME',
		variable: 'region_name',
		kind: 'string',
		required: true,
		secret: false,
		help: 'Region where the temporary ECS and the image are created, e.g. ap-southeast-1.',
		where: 'console top bar (region selector); My Credentials → API Credentials lists the names',
		validate(value) {
			if (REGION.test(value)) return undefined;
			const az = AZ.exec(value);
			if (az) return `expected a region, got an availability zone; the region is ${az[1]}`;
			if (REGION.test(value.toLowerCase())) return `expected lower case: ${value.toLowerCase()}`;
			return 'expected a region name like ap-southeast-1, cn-north-4 or eu-west-101';
		},
	},
	{
		key: 'access_key',
		label: 'Access key (AK)',
		env: 'IAM_ACCESS_KEY',
		variable: 'access_key',
		kind: 'string',
		required: true,
		secret: true,
		help: 'Access key of a temporary IAM credential; delete it after the build.',
		where: 'My Credentials → Access Keys → Create Access Key',
		validate: value =>
			/^[A-Z0-9]{20}$/.test(value) ? undefined : `expected 20 upper-case letters and digits, got ${value.length} characters`,
	},
	{
		key: 'secret_key',
		label: 'Secret key (SK)',
		env: 'IAM_SECRET_KEY',
		variable: 'secret_key',
		kind: 'string',
		required: true,
		secret: true,
		help: 'Secret key of that credential (in the credentials.csv downloaded with it).',
		where: 'credentials.csv, downloaded once when the access key is created',
		validate: value =>
			/^[A-Za-z0-9]{40}$/.test(value) ? undefined : `expected 40 letters and digits, got ${value.length} characters`,
	},
	{
		key: 'security_token',
		label: 'Security token',
		env: 'IAM_SECURITY_TOKEN',
		variable: 'security_token',
		kind: 'string',
		default: '',
		required: false,
		secret: true,
		help: 'Security token of a temporary credential (with its AK and SK); the wizard gets one itself with credentials temporary or agency. Plugin 1.2.2 only.',
		where: 'IAM: POST /v3.0/OS-CREDENTIAL/securitytokens, or the ECS metadata securitykey',
		validate: value =>
			/^[A-Za-z0-9+/=_.-]{16,16384}$/.test(value) ? undefined : `expected a token of letters, digits and + / = _ . -, got ${value.length} characters`,
	},
	{
		key: 'credentials',
		label: 'Credentials',
		env: 'CCE_CREDENTIALS',
		kind: 'string',
		default: 'key',
		required: false,
		secret: false,
		help: 'How Packer gets its credential: key (your AK/SK, as the procedure does), temporary (your AK/SK only mint a temporary one that expires by itself) or agency (the executor\'s IAM agency, no key at all).',
		validate: oneOf([...CREDENTIAL_MODES]),
	},
	{
		key: 'credential_duration',
		label: 'Temporary credential lifetime (s)',
		env: 'CCE_CREDENTIAL_DURATION',
		kind: 'number',
		default: '3600',
		required: false,
		secret: false,
		help: 'How long a temporary credential minted with credentials=temporary stays valid, in seconds (900-86400).',
		validate: integer(900, 86_400, 'seconds'),
	},
	{
		key: 'vpc_id',
		label: 'VPC ID',
		env: 'ECS_VPC_ID',
		variable: 'vpc_id',
		kind: 'string',
		required: true,
		secret: false,
		help: 'VPC the temporary ECS is created in: the executor\'s VPC.',
		where: 'VPC → Virtual Private Cloud → your VPC → ID',
		validate: uuid('a VPC ID'),
	},
	{
		key: 'network_id',
		label: 'Network ID',
		env: 'ECS_NETWORK_ID',
		variable: 'network_id',
		kind: 'string',
		required: true,
		secret: false,
		help: 'The subnet\'s Network ID (not its Subnet ID) for the temporary ECS.',
		where: 'VPC → Subnets → your subnet → Network ID',
		validate: uuid('a Network ID'),
	},
	{
		key: 'security_group_id',
		label: 'Security group ID',
		env: 'ECS_SECGRP_ID',
		variable: 'security_group_id',
		kind: 'string',
		required: true,
		secret: false,
		help: 'Security group of the temporary ECS; must allow TCP 22 inbound from this executor.',
		where: 'VPC → Access Control → Security Groups → your group → ID',
		validate: uuid('a security group ID'),
	},
	{
		key: 'source_image_id',
		label: 'Source image ID',
		env: 'CCE_SOURCE_IMAGE_ID',
		variable: 'source_image_id',
		kind: 'string',
		required: true,
		secret: false,
		help: 'The CCE base node image to customise.',
		where: 'Image Management Service → Public Images → a CCE node image → ID',
		validate: uuid('an image ID'),
	},
	{
		key: 'project_id',
		label: 'Project ID',
		env: 'HW_PROJECT_ID',
		variable: 'project_id',
		kind: 'string',
		default: '',
		required: false,
		secret: false,
		help: 'Project of the region; found by the checks when empty. Lets the plugin skip its IAM lookup.',
		where: 'My Credentials → API Credentials → Project ID',
		validate: value =>
			value === '' || /^[0-9a-f]{32}$/.test(value) ? undefined : 'expected 32 lower-case hexadecimal characters',
	},
	{
		key: 'ecs_az',
		label: 'Availability zone',
		env: 'PKR_VAR_ecs_az',
		variable: 'ecs_az',
		kind: 'string',
		default: '',
		required: false,
		secret: false,
		help: 'AZ of the temporary ECS, e.g. ap-southeast-1a; empty lets the plugin pick one.',
		validate: value =>
			value === '' || AZ.test(value) ? undefined : 'expected an availability zone like ap-southeast-1a, or empty',
	},
	{
		key: 'ecs_flavor',
		label: 'Flavor',
		env: 'PKR_VAR_ecs_flavor',
		variable: 'ecs_flavor',
		kind: 'string',
		default: 'c7.large.2',
		required: false,
		secret: false,
		help: 'Specification of the temporary ECS; any x86 flavor sold in the AZ.',
		validate: value =>
			/^[a-z][a-z0-9]*\.[a-z0-9]+\.\d+$/.test(value) ? undefined : 'expected a flavor name like c7.large.2 or s6.xlarge.2',
	},
	{
		key: 'image_name',
		label: 'Image name',
		env: 'PKR_VAR_image_name',
		variable: 'image_name',
		kind: 'string',
		default: '',
		required: false,
		secret: false,
		help: 'Name of the new private image; empty means cce-custom-<timestamp>, unique per build.',
		validate(value) {
			if (value === '') return undefined;
			if (value.length > 128) return 'expected at most 128 characters';
			if (!/^[\p{L}\p{N}_.\- ]+$/u.test(value)) return 'expected letters, digits, spaces, underscores, hyphens and periods';
			if (value !== value.trim()) return 'expected no space at the start or end';
			return undefined;
		},
	},
	{
		key: 'image_description',
		label: 'Image description',
		env: 'PKR_VAR_image_description',
		variable: 'image_description',
		kind: 'string',
		default: 'CCE custom node image built with cce-image-wizard',
		required: false,
		secret: false,
		help: 'Description of the new private image.',
		validate: value =>
			value.length > 1024 ? 'expected at most 1024 characters' : /[<>\n]/.test(value) ? 'expected no <, > or line breaks' : undefined,
	},
	{
		key: 'ssh_username',
		label: 'SSH user',
		env: 'PKR_VAR_ssh_username',
		variable: 'ssh_username',
		kind: 'string',
		default: 'root',
		required: false,
		secret: false,
		help: 'User Packer logs in as on the temporary ECS; CCE base images use root.',
		validate: value => (/^[a-z_][a-z0-9_-]{0,31}$/.test(value) ? undefined : 'expected a Linux user name like root'),
	},
	{
		key: 'ssh_timeout',
		label: 'SSH timeout',
		env: 'PKR_VAR_ssh_timeout',
		variable: 'ssh_timeout',
		kind: 'string',
		default: '15m',
		required: false,
		secret: false,
		help: 'How long to wait for SSH on the temporary ECS, e.g. 15m.',
		validate: value => (/^(?:\d+(?:\.\d+)?(?:h|m|s))+$/.test(value) ? undefined : 'expected a duration like 15m, 1h or 90s'),
	},
	{
		key: 'eip_type',
		label: 'EIP type',
		env: 'PKR_VAR_eip_type',
		variable: 'eip_type',
		kind: 'string',
		default: '5_bgp',
		required: false,
		secret: false,
		help: 'Type of the temporary EIP the executor reaches the ECS through, e.g. 5_bgp; empty for none.',
		validate: value => (value === '' || /^5_[a-z]+$/.test(value) ? undefined : 'expected an EIP type like 5_bgp or 5_sbgp, or empty'),
	},
	{
		key: 'eip_bandwidth_size',
		label: 'EIP bandwidth (Mbit/s)',
		env: 'PKR_VAR_eip_bandwidth_size',
		variable: 'eip_bandwidth_size',
		kind: 'number',
		default: '5',
		required: false,
		secret: false,
		help: 'Bandwidth of the temporary EIP in Mbit/s (1-2000); 0 with an empty EIP type for none.',
		validate: value => (value === '0' ? undefined : integer(1, 2000, 'Mbit/s')(value)),
	},
	{
		key: 'volume_type',
		label: 'System disk type',
		env: 'PKR_VAR_volume_type',
		variable: 'volume_type',
		kind: 'string',
		default: 'SSD',
		required: false,
		secret: false,
		help: 'EVS type of the system disk.',
		validate: oneOf(['SATA', 'SAS', 'SSD', 'GPSSD', 'ESSD', 'GPSSD2', 'ESSD2']),
	},
	{
		key: 'volume_size',
		label: 'System disk size (GB)',
		env: 'PKR_VAR_volume_size',
		variable: 'volume_size',
		kind: 'number',
		default: '50',
		required: false,
		secret: false,
		help: 'Size of the system disk in GB: at least 40, and at least the image\'s minimum disk.',
		validate: integer(40, 1024, 'GB'),
	},
	{
		key: 'upload_build_log',
		label: 'Keep build log in image',
		env: 'PKR_VAR_upload_build_log',
		variable: 'upload_build_log',
		kind: 'bool',
		default: 'false',
		required: false,
		secret: false,
		help: 'Copy the provisioning log into /var/log/ of the image; it may contain sensitive data.',
		validate: value => (value === 'true' || value === 'false' ? undefined : 'expected true or false'),
	},
	{
		key: 'copy_to_regions',
		label: 'Copy to regions',
		env: 'CCE_COPY_TO_REGIONS',
		kind: 'string',
		default: '',
		required: false,
		secret: false,
		help: 'Regions to copy the finished image to (IMS cross-region replication), comma-separated, e.g. cn-north-4,ap-southeast-3; empty for none.',
		where: 'console top bar (region selector); each needs a project in My Credentials → API Credentials',
		validate: value => listProblem(value, 'region', COPY_LIMIT, item => (REGION.test(item) ? undefined : `'${item}' is not a region name like cn-north-4`)),
	},
	{
		key: 'share_with_projects',
		label: 'Share with projects',
		env: 'CCE_SHARE_WITH_PROJECTS',
		kind: 'string',
		default: '',
		required: false,
		secret: false,
		help: 'Project IDs (of the build region) to share the finished image with, comma-separated; each project accepts the share in IMS → Shared Images.',
		where: 'the receiving account: My Credentials → API Credentials → Project ID of the region',
		validate: value => listProblem(value, 'project ID', 100, item => (/^[0-9a-f]{32}$/.test(item) ? undefined : `'${item}' is not a project ID (32 lower-case hexadecimal characters)`)),
	},
	{
		key: 'image_tags',
		label: 'Image tags',
		env: 'CCE_IMAGE_TAGS',
		kind: 'string',
		default: '',
		required: false,
		secret: false,
		help: 'Tags for the finished image and its copies, comma-separated key=value pairs, e.g. team=infra,release=2026.11 (at most 10).',
		validate: tagsProblem,
	},
	{
		key: 'copy_agency',
		label: 'Agency for copies',
		env: 'CCE_COPY_AGENCY',
		kind: 'string',
		default: 'ims_admin_agency',
		required: false,
		secret: false,
		help: 'IAM agency IMS uses to replicate images across regions; the IMS console creates ims_admin_agency the first time you copy an image there.',
		where: 'IAM → Agencies',
		validate: value => (/^[A-Za-z0-9_.-]{1,64}$/.test(value) ? undefined : 'expected an agency name: 1-64 letters, digits, underscores, hyphens and periods'),
	},
	{
		key: 'cloud',
		label: 'Cloud domain',
		env: 'CCE_CLOUD',
		kind: 'string',
		default: '',
		required: false,
		secret: false,
		help: 'Domain of the API endpoints, e.g. myhuaweicloud.com; empty picks it from the region (myhuaweicloud.eu for eu-west-101).',
		validate: value =>
			value === '' || /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(value) ? undefined : 'expected a domain like myhuaweicloud.com, or empty',
	},
	{
		key: 'executor_ip',
		label: 'Executor address',
		env: 'CCE_EXECUTOR_IP',
		kind: 'string',
		default: '',
		required: false,
		secret: false,
		help: 'Address the temporary ECS sees SSH come from; empty finds it (the executor\'s EIP when the build uses one, else its private IP).',
		validate: value => (value === '' || IPV4.test(value) ? undefined : 'expected an IPv4 address like 192.168.0.10, or empty'),
	},
];

export const SETTINGS_BY_KEY: ReadonlyMap<string, Setting> = new Map(SETTINGS.map(s => [s.key, s]));

export function setting(key: string): Setting {
	const found = SETTINGS_BY_KEY.get(key);
	if (!found) throw new Error(`no setting '${key}'`);
	return found;
}

export const SECRET_KEYS = SETTINGS.filter(s => s.secret).map(s => s.key);

/**
 * A validation message that names the setting, what was given (never a secret, never
 * control characters, cut when long) and what is expected.
 */
export function describeProblem(s: Setting, value: string, problem: string): string {
	const given = s.secret ? 'the value given' : value === '' ? 'an empty value' : `'${excerpt(value)}'`;
	return `${s.label} (${s.env}): ${given} is not valid: ${problem}.`;
}

/** Longest value any setting takes (image_description's 1024, with room). */
export const MAX_VALUE_LENGTH = 4096;

/**
 * Why a value given for a setting other than the keys must not be used or shown: it looks
 * like a key (pasted into the wrong field), or holds control characters. The message never
 * quotes the value.
 */
export function unsafeValueProblem(s: Setting, value: string): string | undefined {
	if (s.secret) return undefined;
	// Only secret-key and token shapes: 20 capitals and digits make valid names too (the plugin
	// prints image names like cce_ABCDEFGHIJ0123456789), and the access key in use is refused by
	// its value (answers.ts).
	const keyLike = findKeyLike(value).find(k => k.kind !== 'access key');
	if (keyLike) {
		return `${s.label} (${s.env}): the value given looks like ${aKey(keyLike.kind)}, so it is neither shown nor used. Give this setting its own value, and the keys only as IAM_ACCESS_KEY / IAM_SECRET_KEY.`;
	}
	if (hasControlCharacters(value)) return `${s.label} (${s.env}): the value given holds control characters (such as ESC, CR or a line break), so it is not used. Type it again without them.`;
	if (value.length > MAX_VALUE_LENGTH) return `${s.label} (${s.env}): the value given is ${value.length} characters long; expected at most ${MAX_VALUE_LENGTH}.`;
	return undefined;
}

/** Checks a value against its setting; undefined when it is fine. */
export function checkValue(s: Setting, value: string): string | undefined {
	const unsafe = unsafeValueProblem(s, value);
	if (unsafe) return unsafe;
	if (value === '' && s.required) return `${s.label} (${s.env}) is required: ${s.help}`;
	// Empty means "none" only where the default is empty; elsewhere it would reach Packer as a broken value.
	if (value === '' && s.default === '') return undefined;
	const problem = s.validate(value);
	return problem === undefined ? undefined : describeProblem(s, value, problem);
}

/** Problems that involve two settings at once (each value being valid on its own). */
export function crossCheck(values: ReadonlyMap<string, string>): Array<{key: string; message: string}> {
	const problems: Array<{key: string; message: string}> = [];
	const region = values.get('region_name') ?? '';
	const az = values.get('ecs_az') ?? '';
	if (az && region && !az.startsWith(region)) {
		problems.push({key: 'ecs_az', message: `Availability zone (PKR_VAR_ecs_az): '${az}' is not in region ${region}.`});
	}
	const eipType = values.get('eip_type') ?? '';
	const bandwidth = values.get('eip_bandwidth_size') ?? '';
	if ((eipType === '') !== (bandwidth === '0')) {
		problems.push({
			key: 'eip_bandwidth_size',
			message:
				'EIP type and bandwidth go together: set both (e.g. 5_bgp and 5) for an EIP, or an empty type and 0 for none (plugin 0.4.0 creates an EIP only when both are set, 1.2.2 whenever the bandwidth is not 0).',
		});
	}
	const copies = listItems(values.get('copy_to_regions') ?? '');
	if (region && copies.includes(region)) {
		problems.push({key: 'copy_to_regions', message: `Copy to regions (CCE_COPY_TO_REGIONS): ${region} is the build region itself; IMS copies only to other regions.`});
	}
	return problems;
}
