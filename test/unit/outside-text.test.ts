/**
 * Text from outside — provisioner output, cloud answers, preset files, values pasted into the
 * wrong setting — shown without its escape sequences and without any part of a key.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {answersJson, resolveAnswers, shown} from '../../source/core/answers.js';
import {CloudClient, CloudError} from '../../source/core/cloud/client.js';
import {envFileText} from '../../source/core/env.js';
import {parsePreset} from '../../source/core/presets.js';
import {buildRedactor} from '../../source/core/run/redact.js';
import {BuildSession} from '../../source/core/run/session.js';
import {redactor} from '../../source/core/secrets.js';
import {printable} from '../../source/core/text.js';
import {PROCEDURE_ENV, TEST_KEYS} from '../helpers/kit.js';

const AK = TEST_KEYS.IAM_ACCESS_KEY;
const SK = TEST_KEYS.IAM_SECRET_KEY;
const ESC = '\u001B';

describe('escape sequences from outside', () => {
	it('a provisioner that retitles the terminal shows only its text', () => {
		const session = new BuildSession([], buildRedactor({accessKey: AK, secretKey: SK}));
		const shownText = session.push(`1764064000,,ui,message,    null.turbo-node: before${ESC}]0;PWNED\u0007after${ESC}[2J\r`, 'stdout');
		expect(shownText).toContain('beforeafter');
		expect(shownText).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
		expect(session.log.tail().join('\n')).not.toContain(ESC);
	});

	it('printable keeps text, tabs and line breaks, and drops CSI, OSC, C1 and lone controls', () => {
		expect(printable(`a\tb\nc`)).toBe('a\tb\nc');
		expect(printable(`${ESC}[31mred${ESC}[0m ${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\ \u009b2Jz\bq\r`)).toBe('red link zq');
	});

	it('a cloud error body with escapes and a request ID echoing the key shows neither', async () => {
		const server = http.createServer((_request, response) => {
			response.writeHead(400, {'Content-Type': 'application/json', 'X-Request-Id': `req-${AK.toLowerCase()}`});
			response.end(JSON.stringify({error_code: `VPC.0${ESC}[2J1`, error_msg: `bad ${ESC}]0;PWNED\u0007 request for ${AK.toLowerCase()} / ${SK}`}));
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		try {
			const {port} = server.address() as AddressInfo;
			const client = new CloudClient({region: 'ap-southeast-1', credentials: {accessKey: AK, secretKey: SK}, env: {CCE_ENDPOINT_VPC: `http://127.0.0.1:${port}/vpc`}});
			const error = (await client.request('vpc', 'GET', '/v1/x/vpcs').catch((e: unknown) => e)) as CloudError;
			expect(error).toBeInstanceOf(CloudError);
			expect(error.message).toContain('bad');
			expect(error.message).not.toContain(ESC);
			expect(error.message).not.toContain('\u0007');
			expect(error.message.toLowerCase()).not.toContain(AK.toLowerCase());
			expect(error.message).not.toContain(SK);
			expect(error.requestId).toBe('req-<access key redacted>');
		} finally {
			server.close();
		}
	});
});

describe('keys in the wrong place', () => {
	it('the redactor finds a key whatever its letter case', () => {
		const redact = redactor([{value: AK, label: 'access key'}]);
		expect(redact(`ak=${AK.toLowerCase()} AK=${AK}`)).toBe('ak=<access key redacted> AK=<access key redacted>');
	});

	it('a key pasted into another setting is refused, never shown, and never written to build.env', () => {
		// An SK the key-shape test misses (no capital letter), exported as it should be and
		// pasted by mistake as the image name.
		const sk = 'abcdefghij0123456789abcdefghij0123456789';
		const answers = resolveAnswers({env: {...PROCEDURE_ENV, IAM_SECRET_KEY: sk, PKR_VAR_image_name: sk, PKR_VAR_image_description: `x${AK}x`}});
		const name = answers.get('image_name')!;
		expect(name.problem).toContain('holds the Secret key (SK)');
		expect(name.problem).not.toContain(sk);
		expect(shown(name)).toBe('(hidden)');
		expect(answers.get('image_description')!.problem).toBeDefined();
		expect(JSON.stringify(answersJson(answers))).not.toContain(sk);
		expect(JSON.stringify(answersJson(answers))).not.toContain(AK);
		expect(() => envFileText(answers, 'test')).toThrow(/build.env not written/);
		try {
			envFileText(answers, 'test');
		} catch (error) {
			expect((error as Error).message).not.toContain(sk);
		}
	});

	it('a key-shaped value in a setting is refused without being echoed, even without keys exported', () => {
		const answers = resolveAnswers({flags: new Map([['vpc_id', SK]])});
		const vpc = answers.get('vpc_id')!;
		expect(vpc.problem).toContain('looks like a secret key');
		expect(vpc.problem).not.toContain(SK);
		expect(shown(vpc)).toBe('(hidden)');
	});

	it('control characters in a setting are refused; a huge value is not echoed', () => {
		const answers = resolveAnswers({
			env: {...PROCEDURE_ENV, PKR_VAR_image_name: `name${ESC}[2J`, PKR_VAR_image_description: 'd'.repeat(50 * 1024 * 1024)},
		});
		expect(answers.get('image_name')!.problem).toContain('control characters');
		expect(answers.get('image_name')!.problem).not.toContain(ESC);
		expect(answers.get('image_description')!.problem!.length).toBeLessThan(300);
	});

	it("a preset file's JSON error does not quote the start of the file", () => {
		const error = (() => {
			try {
				parsePreset('presets/typo.json', `${SK}\n`);
			} catch (e) {
				return e as Error;
			}
		})();
		expect(error?.message).toContain('not valid JSON');
		expect(error?.message).not.toContain(SK.slice(0, 8));
	});

	it('a preset value with ESC or CR is refused, and the message holds no control character', () => {
		const text = JSON.stringify({schemaVersion: 1, settings: {image_name: `ok${ESC}]0;PWNED\u0007`, [`x${ESC}[2J`]: 'y'}});
		expect(() => parsePreset('presets/esc.json', text)).toThrow(/control characters|unknown setting/);
		try {
			parsePreset('presets/esc.json', text);
		} catch (error) {
			expect((error as Error).message).not.toMatch(/[\u0000-\u001F]/);
		}
	});
});
