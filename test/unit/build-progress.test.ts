import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseLine, unescapeData} from '../../source/core/run/machine-readable.js';
import {LogBuffer} from '../../source/core/run/log-buffer.js';
import {plannedStages} from '../../source/core/run/progress.js';
import {BuildSession} from '../../source/core/run/session.js';
import {followSession} from '../../source/core/run/report.js';
import {buildRedactor} from '../../source/core/run/redact.js';
import {packageRoot} from '../../source/core/kit.js';
import {TEST_KEYS} from '../helpers/kit.js';

const transcript = (name: string) => readFileSync(path.join(packageRoot, 'test', 'fixtures', 'transcripts', name), 'utf8').trimEnd().split('\n');
const plan = (generation: 0 | 1 = 0) => plannedStages({uploads: ['example.package'], userScripts: ['example.sh']}, generation);

function replay(name: string, outcome: 'success' | 'failed' | 'cancelled', exitCode: number, generation: 0 | 1 = 0) {
	let clock = 0;
	const session = new BuildSession(plan(generation), text => text, () => (clock += 1000));
	for (const line of transcript(name)) session.push(line, 'stdout');
	const result = session.finish(outcome, {exitCode, packerLog: 'p.log', wizardLog: 'w.log'});
	return {session, result, status: Object.fromEntries(session.progress.stages.map(s => [s.id, s.status]))};
}

describe('machine-readable lines', () => {
	it('parse into typed events, unescaping commas and newlines', () => {
		expect(parseLine('1795600000,,ui,say,==> b.x: Loading flavor: c7.large.2')).toEqual({type: 'ui', level: 'say', build: 'b.x', text: 'Loading flavor: c7.large.2', time: 1795600000});
		expect(parseLine('1795600000,,ui,message,    b.x: a%!(PACKER_COMMA) b\\nc')).toMatchObject({level: 'message', build: 'b.x', text: 'a, b\nc'});
		expect(parseLine('1795600000,,ui,error,==> b.x: Timeout waiting for SSH.')).toMatchObject({level: 'error', build: 'b.x', text: 'Timeout waiting for SSH.'});
		expect(parseLine('1795600000,,ui,error,\\n==> Some builds didn\'t complete successfully and had errors:')).toMatchObject({level: 'error', text: "Some builds didn't complete successfully and had errors:"});
		expect(parseLine('1795600000,b.x,artifact,0,id,4b3a')).toEqual({type: 'artifact', build: 'b.x', index: 0, field: 'id', values: ['4b3a'], time: 1795600000});
		expect(parseLine('1795600000,b.x,artifact-count,1')).toMatchObject({type: 'artifact-count', count: 1});
		expect(parseLine('1795600000,,error-count,1')).toMatchObject({type: 'error-count', count: 1});
		expect(parseLine('1795600000,b.x,error,Timeout waiting for SSH.')).toMatchObject({type: 'build-error', build: 'b.x', text: 'Timeout waiting for SSH.'});
		expect(parseLine('packer.sh: debug log: /x/logs/packer_1.log', 'stderr')).toEqual({type: 'raw', stream: 'stderr', text: 'packer.sh: debug log: /x/logs/packer_1.log'});
		expect(parseLine('The configuration is valid.')).toMatchObject({type: 'raw'});
		expect(unescapeData('a\\rb')).toBe('a\rb');
	});
});

describe('a huaweicloud-ecs build transcript', () => {
	it('successful: every stage done in order, the image as artifact, nothing left in the ledger', () => {
		const {result, status, session} = replay('ecs-success.txt', 'success', 0);
		expect(Object.values(status).every(s => s === 'done')).toBe(true);
		expect(session.progress.stages.map(s => s.id)).toEqual([
			'az', 'flavor', 'keypair', 'volume', 'server', 'eip', 'ssh',
			'script:00-prepare.sh', 'upload:example.package', 'script:example.sh', 'script:99-finalize.sh',
			'stop', 'image', 'image-wait', 'cleanup',
		]);
		expect(result.imageId).toBe('4b3a2918-0716-4f5e-8d4c-3b2a19081726');
		expect(result.imageName).toBe('cce-custom-20261125100000');
		expect(session.progress.artifact).toEqual({builderId: 'huawei.huaweicloud', id: '4b3a2918-0716-4f5e-8d4c-3b2a19081726', string: 'An image was created: 4b3a2918-0716-4f5e-8d4c-3b2a19081726'});
		expect(result.leftovers).toEqual([]);
		expect(session.progress.ledger).toEqual([{kind: 'image', id: '4b3a2918-0716-4f5e-8d4c-3b2a19081726', name: 'cce-custom-20261125100000'}]);
		for (const stage of session.progress.stages) expect(stage.endedAt! - stage.startedAt!, stage.id).toBeGreaterThan(0);
	});

	it('the ledger follows the resources as they come and go', () => {
		const session = new BuildSession(plan(), text => text);
		const seen: string[][] = [];
		for (const line of transcript('ecs-success.txt')) {
			session.push(line, 'stdout');
			seen.push(session.progress.ledger.map(e => e.kind));
		}
		expect(seen).toContainEqual(['keypair', 'volume', 'server', 'eip']);
		expect(seen.at(-1)).toEqual(['image']);
	});

	it('failed: the SSH stage failed, later stages skipped, the undeleted volume is what is left', () => {
		const {result, status} = replay('ecs-failed.txt', 'failed', 1);
		expect(status).toMatchObject({az: 'done', eip: 'done', ssh: 'failed', 'script:00-prepare.sh': 'skipped', image: 'skipped', cleanup: 'failed'});
		expect(result.failedStage?.id).toBe('ssh');
		expect(result.imageId).toBeUndefined();
		expect(result.leftovers).toEqual([{kind: 'volume', id: '8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d', name: 'packer_6561c6f2-1b2c-4d3e-8f40-5a6b7c8d9e0f', detail: 'deletion failed'}]);
		expect(result.errors).toContain('Timeout waiting for SSH.');
		expect(result.errors).toContain('Error cleaning up volume. Please delete the volume manually: 8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d');
	});

	it('an interrupted image creation leaves the image in the ledger', () => {
		const lines = transcript('ecs-success.txt');
		const cut = lines.findIndex(l => l.includes('Waiting for image'));
		const session = new BuildSession(plan(), text => text);
		for (const line of lines.slice(0, cut + 1)) session.push(line, 'stdout');
		const result = session.finish('cancelled', {exitCode: 1, packerLog: 'p', wizardLog: 'w'});
		expect(result.leftovers.map(e => e.kind).sort()).toEqual(['eip', 'image', 'keypair', 'server', 'volume']);
		expect(result.leftovers.find(e => e.kind === 'image')).toMatchObject({name: 'cce-custom-20261125100000'});
	});

	it('unknown messages and provisioners never break the stage list', () => {
		const session = new BuildSession(plan(), text => text);
		for (const line of [
			'1,,ui,say,==> b: Something nobody planned',
			'2,,ui,say,==> b: Provisioning with shell script: /x/user-scripts/zz-late-addition.sh',
			'3,,ui,say,==> b: Provisioning with Ansible...',
			'4,,garbage',
			'5,,ui,whatever,text',
			'not machine readable at all',
		]) session.push(line, 'stdout');
		const ids = session.progress.stages.map(s => s.id);
		expect(ids).toContain('script:zz-late-addition.sh');
		expect(ids).toContain('provisioner:Ansible...');
		expect(session.progress.stages.filter(s => s.status === 'running')).toHaveLength(1);
		expect(session.log.tail(10)).toContain('not machine readable at all');
	});
});

describe('a plugin 1.2.2 build transcript', () => {
	const KEY = 'packer_6561e0a4-3b7c-2d19-6f8e-5a4b3c2d1e0f';
	const IMAGE = '5c4b3a29-1807-4f6e-9d5c-4b3a29180765';

	it('successful: every cloud stage done, the volume skipped, the image ID and name, nothing left', () => {
		const {result, status, session} = replay('ecs-1.2.2-success.txt', 'success', 0, 1);
		expect(session.progress.stages.map(s => s.id)).toEqual([
			'az', 'flavor', 'keypair', 'eip', 'server', 'volume', 'ssh',
			'script:00-prepare.sh', 'upload:example.package', 'script:example.sh', 'script:99-finalize.sh',
			'stop', 'image', 'cleanup',
		]);
		for (const id of ['az', 'flavor', 'keypair', 'eip', 'server', 'ssh', 'stop', 'image', 'cleanup']) expect(status[id], id).toBe('done');
		expect(status['volume']).toBe('skipped');
		expect(result.imageId).toBe(IMAGE);
		expect(result.imageName).toBe('cce-custom-20261125110000');
		expect(result.leftovers).toEqual([]);
		expect(session.progress.ledger).toEqual([{kind: 'image', id: IMAGE, name: 'cce-custom-20261125110000'}]);
	});

	it('the ledger has the EIP before the server, and loses it on "Deleted temporary public IP"', () => {
		const session = new BuildSession(plan(1), text => text);
		const seen: string[][] = [];
		for (const line of transcript('ecs-1.2.2-success.txt')) {
			session.push(line, 'stdout');
			const kinds = session.progress.ledger.map(e => e.kind);
			if (JSON.stringify(kinds) !== JSON.stringify(seen.at(-1))) seen.push(kinds);
		}
		expect(seen).toEqual([[], ['keypair'], ['keypair', 'eip'], ['keypair', 'eip', 'server'], ['keypair', 'eip', 'server', 'image'], ['keypair', 'eip', 'image'], ['keypair', 'image'], ['image']]);
	});

	it('failed with an undeleted key pair: SSH failed, exactly the key pair is left', () => {
		const {result, status} = replay('ecs-1.2.2-failed.txt', 'failed', 1, 1);
		expect(status).toMatchObject({az: 'done', eip: 'done', server: 'done', ssh: 'failed', 'script:00-prepare.sh': 'skipped', image: 'skipped', cleanup: 'failed'});
		expect(result.failedStage?.id).toBe('ssh');
		expect(result.imageId).toBeUndefined();
		expect(result.leftovers).toEqual([{kind: 'keypair', id: KEY, name: KEY, detail: 'deletion failed'}]);
		expect(result.errors).toContain('Timeout waiting for SSH.');
	});

	it('without vpc_id: the temporary VPC and subnet are ledgered and go with their delete messages', () => {
		const say = (text: string) => `1,,ui,say,==> b: ${text}`;
		const message = (text: string) => `1,,ui,message,    b: ${text}`;
		const vpc = '3a2b1c0d-9e8f-4a7b-b6c5-d4e3f2a1b0c9';
		const subnet = '8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1';
		const session = new BuildSession(plan(1), text => text);
		for (const line of [say('Loading flavor: c7.large.2'), say('Creating temporary VPC...'), message(`temporary VPC ID: ${vpc}`), say('Creating temporary subnet...'), message(`temporary subnet ID: ${subnet}`)]) session.push(line, 'stdout');
		expect(session.progress.ledger).toEqual([
			{kind: 'vpc', id: vpc, detail: 'vpc-packer-*'},
			{kind: 'subnet', id: subnet, detail: 'subnet-packer-*', parent: vpc},
		]);
		expect(session.progress.stages.find(s => s.id === 'network')).toMatchObject({title: 'Temporary VPC and subnet', status: 'running'});
		for (const line of [say(`Deleting temporary subnet: ${subnet}...`), `1,,ui,error,==> b: Error cleaning up subnet ${subnet}. Please delete it manually: timeout`, say(`Deleting temporary VPC: ${vpc}...`)]) session.push(line, 'stdout');
		expect(session.progress.ledger).toEqual([{kind: 'subnet', id: subnet, detail: 'subnet-packer-*; deletion failed', parent: vpc}]);
	});
});

describe('following a session', () => {
	it('reports every error, also past the 50 the progress keeps', () => {
		const session = new BuildSession(plan(), text => text);
		const errors: string[] = [];
		followSession(session, event => event.type === 'error' && errors.push(event.text));
		for (let i = 0; i < 60; i++) session.push(`1795600000,,ui,error,==> b: problem ${i}`, 'stdout');
		expect(errors).toHaveLength(60);
		expect(errors.at(-1)).toBe('problem 59');
	});

	it('reports a ledger change once, not for each repeated message', () => {
		const session = new BuildSession(plan(), text => text);
		const ledgers: number[] = [];
		followSession(session, event => event.type === 'ledger' && ledgers.push(event.entries.length));
		for (const line of transcript('ecs-success.txt')) session.push(line, 'stdout');
		// keypair, volume, server, eip, image (being created), image id, then 4 deletions
		expect(ledgers).toEqual([1, 2, 3, 4, 5, 5, 4, 3, 2, 1]);
	});
});

describe('redaction', () => {
	it('hides the keys and any Access=/Signature= of HTTP debug output before anything sees a line', () => {
		const redact = buildRedactor({accessKey: TEST_KEYS.IAM_ACCESS_KEY, secretKey: TEST_KEYS.IAM_SECRET_KEY});
		const session = new BuildSession(plan(), redact);
		const seen: string[] = [];
		session.subscribe((_event, text) => text !== undefined && seen.push(text));
		session.push(`1,,ui,message,    b: secret is ${TEST_KEYS.IAM_SECRET_KEY}`, 'stdout');
		session.push('2,,ui,message,    b: Authorization: SDK-HMAC-SHA256 Access=OTHERAK0000000000001%!(PACKER_COMMA) SignedHeaders=host;x-sdk-date%!(PACKER_COMMA) Signature=0123456789abcdef0123', 'stdout');
		session.push(`packer.sh: using key ${TEST_KEYS.IAM_ACCESS_KEY}`, 'stderr');
		const all = [...seen, ...session.log.tail()].join('\n');
		expect(all).not.toContain(TEST_KEYS.IAM_SECRET_KEY);
		expect(all).not.toContain(TEST_KEYS.IAM_ACCESS_KEY);
		expect(all).not.toContain('OTHERAK0000000000001');
		expect(all).not.toContain('0123456789abcdef0123');
		expect(all).toContain('<secret key redacted>');
		expect(all).toContain('Access=<redacted>');
	});
});

describe('bounded memory', () => {
	it('200,000 lines keep the log pane at its capacity, with the newest lines', () => {
		const session = new BuildSession(plan(), text => text, Date.now, 500);
		for (let i = 0; i < 200_000; i++) session.push(`${1795600000 + i},,ui,message,    b: line ${i}`, 'stdout');
		expect(session.log.total).toBe(200_000);
		const tail = session.log.tail();
		expect(tail).toHaveLength(500);
		expect(tail.at(-1)).toBe('    line 199999');
		expect(tail[0]).toBe('    line 199500');
		expect(session.progress.errors.length).toBeLessThanOrEqual(50);
	});

	it('the ring buffer returns the newest lines oldest first', () => {
		const buffer = new LogBuffer(3);
		for (const line of ['a', 'b', 'c', 'd']) buffer.push(line);
		expect(buffer.tail()).toEqual(['b', 'c', 'd']);
		expect(buffer.tail(2)).toEqual(['c', 'd']);
	});
});
