/**
 * Where each Huawei Cloud service answers: https://{service}.{region}.{cloud domain},
 * unless CCE_ENDPOINT_<SERVICE> overrides it (private clouds, and the tests' local server).
 */

export const SERVICES = ['iam', 'vpc', 'ecs', 'ims', 'evs'] as const;
export type Service = (typeof SERVICES)[number];

/** The cloud domain of a region when none is set: eu-west-101 lives on myhuaweicloud.eu. */
export function cloudDomain(region: string, configured = ''): string {
	if (configured) return configured;
	return region === 'eu-west-101' ? 'myhuaweicloud.eu' : 'myhuaweicloud.com';
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
	return new URL(`https://${service}.${region}.${cloudDomain(region, options.cloud)}`);
}
