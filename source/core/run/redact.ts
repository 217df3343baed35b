/**
 * Redaction of build output: the keys and security token in use wherever they appear,
 * whatever follows `Access=` or `Signature=` in Packer's HTTP debug output (any key, not
 * only ours), and the value of an X-Security-Token header.
 */
import {credentialSecrets, redactor, type KeyPair} from '../secrets.js';

const SIGNED_HEADER = /\b(Access|Signature)=([A-Za-z0-9+/=]{8,})/g;
const TOKEN_HEADER = /\b(X-Security-Token["']?\s*[:=]\s*["']?(?:\[\s*["']?)?)([A-Za-z0-9+/=_.-]{16,})/gi;

export function buildRedactor(keys: Partial<KeyPair>): (text: string) => string {
	const known = redactor(credentialSecrets(keys));
	return text => {
		let clean = known(text);
		if (clean.includes('Access=') || clean.includes('Signature=')) clean = clean.replace(SIGNED_HEADER, (_, name: string) => `${name}=<redacted>`);
		if (/x-security-token/i.test(clean)) clean = clean.replace(TOKEN_HEADER, (_, name: string) => `${name}<security token redacted>`);
		return clean;
	};
}
