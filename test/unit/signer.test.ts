import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {sdkDate, sign, uriEncode} from '../../source/core/cloud/signer.js';

describe('AK/SK signing', () => {
	it('reproduces the API Request Signing Guide example exactly', () => {
		const signed = sign(
			{
				method: 'GET',
				url: new URL('https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0'),
				headers: {'Content-Type': 'application/json', Host: 'service.region.example.com', 'X-Sdk-Date': '20191115T033655Z'},
			},
			'QTWAOYTTINDUT2QVKYUC',
			'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
		);
		expect(createHash('sha256').update(signed.canonicalRequest).digest('hex')).toBe('b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a');
		expect(signed.signature).toBe('7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe');
		expect(signed.authorization).toBe(
			'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
		);
	});

	it('formats X-Sdk-Date and encodes like RFC 3986', () => {
		expect(sdkDate(new Date('2019-11-15T03:36:55.123Z'))).toBe('20191115T033655Z');
		expect(uriEncode("a b/c*d'~")).toBe('a%20b%2Fc%2Ad%27~');
	});

	it('changes with the body, the query and the key', () => {
		const base = {method: 'POST', url: new URL('https://x.example.com/v3/a?b=1'), headers: {host: 'x.example.com', 'x-sdk-date': '20260101T000000Z'}};
		const one = sign({...base, body: '{}'}, 'AK', 'SK').signature;
		expect(sign({...base, body: '{ }'}, 'AK', 'SK').signature).not.toBe(one);
		expect(sign({...base, body: '{}', url: new URL('https://x.example.com/v3/a?b=2')}, 'AK', 'SK').signature).not.toBe(one);
		expect(sign({...base, body: '{}'}, 'AK', 'SK2').signature).not.toBe(one);
	});
});
