/**
 * A small Huawei Cloud API client: signed requests with the built-in fetch, a timeout on
 * each, one retry with backoff on 5xx, 429 and network errors, and errors that carry the
 * service, the HTTP status, Huawei's error_code/error_msg and the request ID — never a key.
 */
import {credentialSecrets, redactor} from '../secrets.js';
import {excerpt} from '../text.js';
import {endpointFor, type Service} from './endpoints.js';
import {sdkDate, sign, uriEncode} from './signer.js';

/** An AK/SK, and the security token when it is a temporary credential. */
export type Credentials = {accessKey: string; secretKey: string; securityToken?: string};

export type ClientOptions = {
	region: string;
	credentials: Credentials;
	cloud?: string;
	env?: Readonly<Record<string, string | undefined>>;
	/** Per request, default 10 s (CCE_HTTP_TIMEOUT_MS overrides). */
	timeoutMs?: number;
	/** Wait before the one retry, default 500 ms. */
	retryDelayMs?: number;
	/** The clock used for X-Sdk-Date (tests move it). */
	now?: () => Date;
	signal?: AbortSignal;
};

export type CloudResponse<T = unknown> = {status: number; body: T; requestId?: string; serverDate?: Date};

export class CloudError extends Error {
	constructor(
		readonly service: Service,
		readonly status: number | undefined,
		readonly code: string | undefined,
		readonly huaweiMessage: string,
		readonly requestId: string | undefined,
		/** The Date header of the answer, when there was one (the clock check reads it). */
		readonly serverDate?: Date,
	) {
		// Everything but the status came from the server: shown only as printable text.
		code = code === undefined ? undefined : excerpt(code, 80);
		huaweiMessage = excerpt(huaweiMessage, 500);
		requestId = requestId === undefined ? undefined : excerpt(requestId, 80);
		const parts = [`${service.toUpperCase()} ${status === undefined ? 'did not answer' : `answered HTTP ${status}`}`];
		if (code) parts.push(code);
		if (huaweiMessage) parts.push(huaweiMessage);
		super(`${parts.join(': ')}${requestId ? ` (request ID ${requestId})` : ''}`);
		this.name = 'CloudError';
	}
}

type ErrorBody = {error_code?: string; error_msg?: string; code?: string | number; message?: string; type?: string; title?: string};

/**
 * Huawei's error shapes: {error_code, error_msg}; {code, message}; and either of them one
 * level down, under a name: Keystone's {error: {code, message, title}}, Neutron's
 * {NeutronError: {type, message, detail}}, Nova's {itemNotFound: {code, message}} — as the
 * SDK's ServiceResponseError reads them.
 */
export function errorDetails(body: unknown): {code?: string; message: string} {
	if (typeof body !== 'object' || body === null) return {message: typeof body === 'string' ? body.slice(0, 300) : ''};
	const flat = (b: ErrorBody): {code?: string; message: string} | undefined => {
		if (b.error_code || b.error_msg) return {code: b.error_code, message: b.error_msg ?? ''};
		if (b.message || b.title) return {code: b.code === undefined ? b.type : String(b.code), message: b.message ?? b.title ?? ''};
		if (b.code !== undefined) return {code: String(b.code), message: ''};
		return undefined;
	};
	const top = flat(body as ErrorBody);
	if (top) return top;
	for (const value of Object.values(body)) {
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			const nested = flat(value as ErrorBody);
			if (nested) return nested;
		}
	}
	return {message: ''};
}

const sleep = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve, reject) => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => {
			clearTimeout(timer);
			reject(signal.reason);
		});
	});

export class CloudClient {
	readonly region: string;
	private readonly options: ClientOptions;
	private readonly redact: (text: string) => string;
	/** The Date header of the last answer, for the clock check. */
	lastServerDate?: Date;

	constructor(options: ClientOptions) {
		this.options = options;
		this.region = options.region;
		this.redact = redactor(credentialSecrets(options.credentials));
	}

	get timeoutMs(): number {
		const fromEnv = Number(this.options.env?.['CCE_HTTP_TIMEOUT_MS']);
		return this.options.timeoutMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 10_000);
	}

	url(service: Service, path: string, query?: Record<string, string | undefined>): URL {
		const base = endpointFor(service, this.region, {cloud: this.options.cloud, env: this.options.env});
		const url = new URL(base.href.replace(/\/$/, '') + path);
		// Encoded as it is signed (RFC 3986: a space is %20), not as URLSearchParams would (+).
		const pairs = Object.entries(query ?? {}).filter((pair): pair is [string, string] => pair[1] !== undefined);
		url.search = pairs.map(([key, value]) => `${uriEncode(key)}=${uriEncode(value)}`).join('&');
		return url;
	}

	/** A signed request; retried once on 5xx, 429 or a network error. Throws CloudError otherwise. */
	async request<T>(
		service: Service,
		method: string,
		path: string,
		options: {query?: Record<string, string | undefined>; body?: unknown; signal?: AbortSignal} = {},
	): Promise<CloudResponse<T>> {
		const url = this.url(service, path, options.query);
		let lastError: CloudError | undefined;
		for (let attempt = 0; attempt < 2; attempt++) {
			if (attempt > 0) await sleep(this.options.retryDelayMs ?? 500, options.signal ?? this.options.signal);
			const outcome = await this.once<T>(service, method, url, options.body, options.signal);
			if (!(outcome instanceof CloudError)) return outcome;
			lastError = outcome;
			const retryable = outcome.status === undefined || outcome.status >= 500 || outcome.status === 429;
			if (!retryable) break;
		}
		throw lastError!;
	}

	private async once<T>(service: Service, method: string, url: URL, body: unknown, signal?: AbortSignal): Promise<CloudResponse<T> | CloudError> {
		const payload = body === undefined ? '' : JSON.stringify(body);
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			Host: url.host,
			'X-Sdk-Date': sdkDate(this.options.now?.() ?? new Date()),
		};
		// A temporary credential is recognised by its token, sent (and signed) with every request.
		const token = this.options.credentials.securityToken;
		if (token) headers['X-Security-Token'] = token;
		headers['Authorization'] = sign({method, url, headers, body: payload}, this.options.credentials.accessKey, this.options.credentials.secretKey).authorization;
		const signals = [AbortSignal.timeout(this.timeoutMs), signal, this.options.signal].filter((s): s is AbortSignal => s !== undefined);
		let response: Response;
		try {
			response = await fetch(url, {method, headers, body: payload || undefined, signal: AbortSignal.any(signals)});
		} catch (error) {
			const timedOut = (error as Error).name === 'TimeoutError';
			if (!timedOut && signals.some(s => s.aborted && s.reason?.name !== 'TimeoutError')) throw error; // cancelled by the caller
			const reason = timedOut ? `no answer within ${this.timeoutMs / 1000} s from ${url.host}` : `cannot reach ${url.host}: ${(error as Error & {cause?: Error}).cause?.message ?? (error as Error).message}`;
			return new CloudError(service, undefined, undefined, this.redact(reason), undefined);
		}
		const dateHeader = response.headers.get('date');
		const serverDate = dateHeader ? new Date(dateHeader) : undefined;
		if (serverDate && !Number.isNaN(serverDate.getTime())) this.lastServerDate = serverDate;
		// A hostile or broken endpoint may echo the key in any field: all of them are redacted.
		const headerId = response.headers.get('x-request-id');
		const requestId = headerId === null ? undefined : this.redact(headerId);
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text
		}
		if (response.ok) return {status: response.status, body: parsed as T, requestId, serverDate};
		const details = errorDetails(parsed);
		const bodyId = (parsed as {request_id?: unknown})?.request_id;
		return new CloudError(
			service,
			response.status,
			details.code === undefined ? undefined : this.redact(details.code),
			this.redact(details.message),
			requestId ?? (typeof bodyId === 'string' ? this.redact(bodyId) : undefined),
			serverDate,
		);
	}
}
