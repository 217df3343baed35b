/**
 * Huawei Cloud AK/SK request signing ("SDK-HMAC-SHA256", API Request Signing Guide):
 *
 *   CanonicalRequest = method \n canonical URI (path, ending in /) \n canonical query
 *                      \n canonical headers \n signed headers \n hex(sha256(body))
 *   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(hmac-sha256(SK, StringToSign))
 *   Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b;c, Signature=...
 */
import {createHash, createHmac} from 'node:crypto';

export const ALGORITHM = 'SDK-HMAC-SHA256';

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** RFC 3986 encoding: everything but unreserved characters, upper-case hex. */
export function uriEncode(text: string): string {
	return encodeURIComponent(text).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `YYYYMMDDTHHMMSSZ`, the X-Sdk-Date format. */
export function sdkDate(date: Date): string {
	return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export type SignInput = {
	method: string;
	url: URL;
	/** Header names in any case; host and x-sdk-date must be among them. */
	headers: Record<string, string>;
	body?: string;
};

export type Signed = {canonicalRequest: string; stringToSign: string; signature: string; signedHeaders: string; authorization: string};

function canonicalQuery(url: URL): string {
	const pairs = [...url.searchParams].map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
	pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
	return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalUri(url: URL): string {
	// Each segment encoded as the guide asks (URL.pathname is already percent-encoded once).
	const path = url.pathname
		.split('/')
		.map(segment => uriEncode(decodeURIComponent(segment)))
		.join('/');
	return path.endsWith('/') ? path : `${path}/`;
}

export function sign(input: SignInput, accessKey: string, secretKey: string): Signed {
	const headers = Object.entries(input.headers)
		.map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const date = headers.find(([name]) => name === 'x-sdk-date')?.[1];
	if (!date) throw new Error('signing needs an X-Sdk-Date header');
	const signedHeaders = headers.map(([name]) => name).join(';');
	const canonicalRequest = [
		input.method.toUpperCase(),
		canonicalUri(input.url),
		canonicalQuery(input.url),
		headers.map(([name, value]) => `${name}:${value}\n`).join(''),
		signedHeaders,
		sha256Hex(input.body ?? ''),
	].join('\n');
	const stringToSign = [ALGORITHM, date, sha256Hex(canonicalRequest)].join('\n');
	const signature = createHmac('sha256', secretKey).update(stringToSign).digest('hex');
	return {
		canonicalRequest,
		stringToSign,
		signature,
		signedHeaders,
		authorization: `${ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
	};
}
