/**
 * Redaction of build output: the keys in use wherever they appear, and whatever follows
 * `Access=` or `Signature=` in Packer's HTTP debug output (any key, not only ours).
 */
import {redactor} from '../secrets.js';

const SIGNED_HEADER = /\b(Access|Signature)=([A-Za-z0-9+/=]{8,})/g;

export function buildRedactor(keys: {accessKey?: string; secretKey?: string}): (text: string) => string {
	const known = redactor([
		{value: keys.accessKey ?? '', label: 'access key'},
		{value: keys.secretKey ?? '', label: 'secret key'},
	]);
	return text => {
		const clean = known(text);
		return clean.includes('Access=') || clean.includes('Signature=') ? clean.replace(SIGNED_HEADER, (_, name: string) => `${name}=<redacted>`) : clean;
	};
}
