/**
 * Where each Huawei Cloud service answers: https://{service}.{region}.{cloud domain},
 * unless CCE_ENDPOINT_<SERVICE> overrides it (private clouds, and the tests' local server);
 * IAM also follows an exported HW_AUTH_URL, as the plugin does.
 */

export const SERVICES = ['iam', 'vpc', 'ecs', 'ims', 'evs'] as const;
export type Service = (typeof SERVICES)[number];

/** The cloud domain of a region when none is set: the EU site's eu-west-10x regions live on myhuaweicloud.eu. */
export function cloudDomain(region: string, configured = ''): string {
	if (configured) return configured;
	return region.startsWith('eu-west-10') ? 'myhuaweicloud.eu' : 'myhuaweicloud.com';
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The HW_AUTH_URL packer.sh hands the plugin when the operator set none (undefined: none),
 * the same rule as packer.sh's. Plugin 0.4.0 (generation 0) defaults to the global .com IAM,
 * so any other cloud domain, or CCE_ENDPOINT_IAM, gets the region's IAM with /v3. Plugin 1.x
 * derives iam.<region>.myhuaweicloud.com (.eu for eu-west-10x) and takes HW_AUTH_URL as its
 * IAM client's base (no /v3): it gets one only for another domain or CCE_ENDPOINT_IAM.
 */
export function pluginAuthUrl(region: string, generation: 0 | 1, options: {cloud?: string; env?: Env} = {}): string | undefined {
	const env = options.env ?? {};
	if (env['HW_AUTH_URL']) return env['HW_AUTH_URL'];
	const fallback = cloudDomain(region);
	const cloud = options.cloud || env['CCE_CLOUD'] || fallback;
	const base = (env['CCE_ENDPOINT_IAM'] || `https://iam.${region}.${cloud}`).replace(/\/+$/, '');
	if (generation === 1) return env['CCE_ENDPOINT_IAM'] || cloud !== fallback ? base : undefined;
	return env['CCE_ENDPOINT_IAM'] || cloud !== 'myhuaweicloud.com' ? `${base}/v3` : undefined;
}

export class EndpointError extends Error {
	override name = 'EndpointError';
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Checks an override: a base URL with scheme; http:// only for loopback addresses. */
export function parseOverride(name: string, value: string): URL {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new EndpointError(`${name}=${value} is not a URL; expected a base URL with scheme, e.g. https://vpc.example.com`);
	}
	if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
		throw new EndpointError(`${name}=${value}: http:// is allowed only for loopback addresses (127.0.0.0/8, localhost); use https://`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new EndpointError(`${name}=${value}: expected an http(s) URL`);
	}
	return url;
}

/** The base URL of a service, e.g. https://vpc.ap-southeast-1.myhuaweicloud.com */
export function endpointFor(
	service: Service,
	region: string,
	options: {cloud?: string; env?: Readonly<Record<string, string | undefined>>} = {},
): URL {
	const name = `CCE_ENDPOINT_${service.toUpperCase()}`;
	const override = options.env?.[name];
	if (override) return parseOverride(name, override);
	// The wizard's IAM calls go where the plugin's go: an exported HW_AUTH_URL, without its /v3.
	const authUrl = service === 'iam' ? options.env?.['HW_AUTH_URL'] : undefined;
	if (authUrl) return parseOverride('HW_AUTH_URL', authUrl.replace(/\/+$/, '').replace(/\/v3$/, ''));
	return new URL(`https://${service}.${region}.${cloudDomain(region, options.cloud)}`);
}
