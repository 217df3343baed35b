import {describe, expect, it} from 'vitest';
import {buildRedactor} from '../../source/core/run/redact.js';
import {findKeyLike, keysInText, mask, redactor, scrubKeys} from '../../source/core/secrets.js';
import {TEST_KEYS} from '../helpers/kit.js';

describe('key recognition', () => {
	it('finds access keys and secret keys in any context', () => {
		const text = `AK=${TEST_KEYS.IAM_ACCESS_KEY} "sk":"${TEST_KEYS.IAM_SECRET_KEY}" Access=QTWAOYTTINDUT2QVKYUC,`;
		expect(findKeyLike(text).map(k => [k.kind, k.text])).toEqual([
			['access key', TEST_KEYS.IAM_ACCESS_KEY],
			['secret key', TEST_KEYS.IAM_SECRET_KEY],
			['access key', 'QTWAOYTTINDUT2QVKYUC'],
		]);
	});

	it('does not take IDs, checksums or words for keys', () => {
		const text = [
			'0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e90', // UUID
			'77b6a44cba5143ab91d13ab9a8ff44fd', // project ID
			'da39a3ee5e6b4b0d3255bfef95601890afd80709', // SHA-1 (no upper case)
			'CCEIMAGEFORPRODUCTION', // 21 letters, no digit
			'ABCDEFGHIJKLMNOPQRST', // 20 letters, no digit
			`${TEST_KEYS.IAM_SECRET_KEY}AAAA==`, // longer base64
			'c7.large.2 ap-southeast-1 packer_20261125093000',
		].join('\n');
		expect(findKeyLike(text)).toEqual([]);
	});

	it('masks like aws configure', () => {
		expect(mask(TEST_KEYS.IAM_SECRET_KEY)).toBe(`****${TEST_KEYS.IAM_SECRET_KEY.slice(-4)}`);
		expect(mask('short')).toBe('****');
	});

	it('redacts known keys, longest first, and ignores empty ones', () => {
		const redact = redactor([
			{value: TEST_KEYS.IAM_ACCESS_KEY, label: 'access key'},
			{value: TEST_KEYS.IAM_SECRET_KEY, label: 'secret key'},
			{value: '', label: 'nothing'},
		]);
		expect(redact(`a ${TEST_KEYS.IAM_ACCESS_KEY} b ${TEST_KEYS.IAM_SECRET_KEY}${TEST_KEYS.IAM_SECRET_KEY}`)).toBe(
			'a <access key redacted> b <secret key redacted><secret key redacted>',
		);
		expect(redactor([])('unchanged')).toBe('unchanged');
	});
});

describe('security tokens', () => {
	// Built here, like a token IAM hands out: long base64, no key-like literal in the source.
	const token = `gQpjbi1ub3J0aC00${Buffer.from('temporary-credential-for-tests-'.repeat(12)).toString('base64')}`;

	it('finds a token-shaped text as a security token, not as keys inside it', () => {
		const found = findKeyLike(`export IAM_SECURITY_TOKEN=${token}\nAK=${TEST_KEYS.IAM_ACCESS_KEY}`);
		expect(found.map(k => k.kind)).toEqual(['security token', 'access key']);
		expect(found[0]!.text).toBe(token);
	});

	it('does not take an SSH public key for one', () => {
		const sshKey = `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${'Cx7Qm9Zp'.repeat(44)} me@host`;
		expect(findKeyLike(sshKey)).toEqual([]);
	});

	it('is reported masked and scrubbed, known or only token-shaped', () => {
		const text = `a ${token} b`;
		expect(keysInText(text, {securityToken: token})).toEqual([{line: 1, message: `the security token (****${token.slice(-4)})`}]);
		expect(keysInText(text)).toEqual([{line: 1, message: `something that looks like a security token (****${token.slice(-4)})`}]);
		expect(scrubKeys(text)).toBe('a <security token redacted> b');
		expect(scrubKeys(text, {securityToken: token})).toBe('a <security token redacted> b');
	});

	it('build output: the known token, and any X-Security-Token header value, are redacted', () => {
		const redact = buildRedactor({securityToken: token});
		expect(redact(`token=${token}`)).toBe('token=<security token redacted>');
		expect(redact('X-Security-Token: abcdefABCDEF0123456789xyz')).toBe('X-Security-Token: <security token redacted>');
		expect(redact('"X-Security-Token":["abcdefABCDEF0123456789xyz"]')).toBe('"X-Security-Token":["<security token redacted>"]');
	});
});
