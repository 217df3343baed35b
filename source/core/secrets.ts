/**
 * Recognising and hiding access keys, secret keys and security tokens.
 *
 * Huawei Cloud access keys are 20 upper-case letters and digits; secret keys are 40
 * letters and digits; the security token of a temporary credential is a long base64 text
 * (hundreds of characters). `findKeyLike` finds such tokens in any text (for scanning
 * files), `mask` shows a key the way `aws configure` does, and `redactor` replaces known keys.
 */

export type KeyKind = 'access key' | 'secret key' | 'security token';

export type KeyLike = {kind: KeyKind; index: number; text: string};

// Tokens bounded by anything that cannot be part of a key (`=` may come before, as in
// AK=..., but not after: that is base64 padding of something longer). An AK needs a letter and a
// digit; an SK needs upper, lower and digit — so 40-hex checksums and UUIDs never match.
const ACCESS_KEY = /(?<![A-Za-z0-9/+])(?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*\d)[A-Z0-9]{20}(?![A-Za-z0-9/+=])/g;
const SECRET_KEY = /(?<![A-Za-z0-9/+])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{40}(?![A-Za-z0-9/+=])/g;

// A security token: 300 or more base64 characters (padding only at the end) with upper,
// lower and digit, not starting with AAAA (the start of SSH public keys and DER blobs, which
// are as long). `=` may come before it, as in TOKEN=...
const SECURITY_TOKEN = /(?<![A-Za-z0-9/+])(?!AAAA)(?=[A-Za-z0-9+/]*?[A-Z])(?=[A-Za-z0-9+/]*?[a-z])(?=[A-Za-z0-9+/]*?\d)[A-Za-z0-9+/]{300,}={0,2}(?![A-Za-z0-9/+=])/g;

/** Every token in `text` that looks like an access key, a secret key or a security token, in order. */
export function findKeyLike(text: string): KeyLike[] {
	const found: KeyLike[] = [];
	const tokens = [...text.matchAll(SECURITY_TOKEN)].map(m => ({kind: 'security token' as const, index: m.index, text: m[0]}));
	const insideToken = (index: number) => tokens.some(t => index >= t.index && index < t.index + t.text.length);
	for (const [kind, pattern] of [
		['access key', ACCESS_KEY],
		['secret key', SECRET_KEY],
	] as const) {
		for (const match of text.matchAll(pattern)) if (!insideToken(match.index)) found.push({kind, index: match.index, text: match[0]});
	}
	return [...found, ...tokens].sort((a, b) => a.index - b.index);
}

/** "an access key", "a secret key", "a security token". */
export function aKey(kind: KeyKind): string {
	return kind === 'access key' ? 'an access key' : `a ${kind}`;
}

/** `****WXYZ`: enough to recognise a key, never enough to use it. */
export function mask(value: string): string {
	return value.length <= 8 ? '****' : `****${value.slice(-4)}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces each of `secrets` (empty ones ignored) in a text with a label naming it, in any
 * letter case: a lower-cased access key is still the access key.
 */
export function redactor(secrets: Array<{value: string; label: string}>): (text: string) => string {
	const known = secrets.filter(s => s.value.length > 0).sort((a, b) => b.value.length - a.value.length);
	if (known.length === 0) return text => text;
	const labels = new Map(known.map(s => [s.value.toLowerCase(), `<${s.label} redacted>`]));
	const pattern = new RegExp(known.map(s => escapeRegExp(s.value)).join('|'), 'gi');
	return text => {
		pattern.lastIndex = 0;
		if (!pattern.test(text)) return text;
		return text.replace(pattern, match => labels.get(match.toLowerCase()) ?? '<redacted>');
	};
}

export type KeyPair = {accessKey: string; secretKey: string; securityToken?: string};

/** The known secrets of a credential, each with the label its redaction shows. */
export function credentialSecrets(keys?: Partial<KeyPair>): Array<{value: string; label: string}> {
	return [
		{value: keys?.securityToken ?? '', label: 'security token'},
		{value: keys?.accessKey ?? '', label: 'access key'},
		{value: keys?.secretKey ?? '', label: 'secret key'},
	];
}

/**
 * Where a text holds a key, line by line: the given keys (whatever they look like) and
 * anything key-shaped; each reported masked, never in clear.
 */
export function keysInText(text: string, keys?: Partial<KeyPair>): Array<{line: number; message: string}> {
	const found: Array<{line: number; message: string}> = [];
	text.split('\n').forEach((line, index) => {
		const hits = new Map<string, string>();
		for (const [value, what] of [[keys?.accessKey, 'the access key'], [keys?.secretKey, 'the secret key'], [keys?.securityToken, 'the security token']] as const) {
			if (value && value.length >= 8 && line.includes(value)) hits.set(value, what);
		}
		for (const like of findKeyLike(line)) if (!hits.has(like.text)) hits.set(like.text, `something that looks like ${aKey(like.kind)}`);
		for (const [value, what] of hits) found.push({line: index + 1, message: `${what} (${mask(value)})`});
	});
	return found;
}

/** The text with the given keys and every key-shaped token replaced by a label. */
export function scrubKeys(text: string, keys?: Partial<KeyPair>): string {
	let clean = redactor(credentialSecrets(keys))(text);
	for (const like of findKeyLike(clean).reverse()) clean = clean.slice(0, like.index) + `<${like.kind} redacted>` + clean.slice(like.index + like.text.length);
	return clean;
}
