import {describe, expect, it} from 'vitest';
import {findLeftovers, productImages} from '../../source/core/cleanup/checklist.js';
import {imageLines, resultLines} from '../../source/core/run/report.js';
import type {BuildResult} from '../../source/core/run/session.js';
import type {BuildRecord} from '../../source/core/state.js';

const images: NonNullable<BuildResult['images']> = [
	{region: 'ap-southeast-1', id: '8f7e6d5c-4b3a-4291-8e7f-6a5b4c3d2e1f', name: 'cce-custom-1', kind: 'built', status: 'active'},
	{region: 'cn-north-4', id: '3a4b5c6d-7e8f-4091-a2b3-c4d5e6f70819', name: 'cce-custom-1', kind: 'copy', status: 'active'},
	{region: 'ap-southeast-3', name: 'cce-custom-1', kind: 'copy', status: 'failed', error: 'IMS job 1 failed: out of storage'},
];

const result: BuildResult = {
	outcome: 'success',
	imageId: images[0]!.id,
	imageName: 'cce-custom-1',
	durationMs: 61_000,
	packerLog: '/w/logs/packer_1.log',
	wizardLog: '/w/logs/wizard_1.log',
	errors: [],
	leftovers: [],
	images,
	distributionErrors: ['Copy to ap-southeast-3 failed: IMS job 1 failed: out of storage'],
};

describe('the result of a build that handed its image on', () => {
	it('lists every image by region and names what failed, below the image ID', () => {
		const lines = resultLines(result);
		expect(lines[0]).toBe(`Image built in 1m 01s: ${images[0]!.id} (cce-custom-1)`);
		expect(imageLines(result)).toEqual([
			'Images by region:',
			`  ap-southeast-1  ${images[0]!.id} (built here)`,
			`  cn-north-4      ${images[1]!.id} (copy)`,
			'  ap-southeast-3  no image: IMS job 1 failed: out of storage',
			'FAILED after the image was made: Copy to ap-southeast-3 failed: IMS job 1 failed: out of storage',
		]);
	});

	it('the checklist keeps the images as products, not leftovers', async () => {
		const build: BuildRecord = {
			id: 'b1',
			workspace: '/w',
			region: 'ap-southeast-1',
			startedAt: '2026-11-25T12:00:00Z',
			outcome: 'success',
			imageId: images[0]!.id,
			images,
			// A ledger that still lists the image (as a cancelled hand-on could leave it).
			leftovers: [{kind: 'image', id: images[0]!.id!, name: 'cce-custom-1'}, {kind: 'keypair', id: 'packer_1', name: 'packer_1'}],
		};
		expect(productImages(build).map(p => p.region)).toEqual(['ap-southeast-1', 'cn-north-4']);
		const {found} = await findLeftovers({workspace: '/w', build, env: {}});
		expect(found).toEqual([{kind: 'keypair', id: 'packer_1', name: 'packer_1'}]);
	});
});
