import {readFileSync} from 'node:fs';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {describe, expect, it, vi} from 'vitest';
import {packageRoot} from '../../source/core/kit.js';
import {distributionStages} from '../../source/core/run/distribute.js';
import {plannedStages} from '../../source/core/run/progress.js';
import {BuildSession} from '../../source/core/run/session.js';
import {BuildScreen} from '../../source/ui/build/BuildScreen.js';
import {frameShowing} from '../helpers/ink.js';

const lines = readFileSync(path.join(packageRoot, 'test', 'fixtures', 'transcripts', 'ecs-success.txt'), 'utf8').trimEnd().split('\n');

describe('BuildScreen after the image exists', () => {
	it('keeps the image ID in view while the copies run, each copy a stage with its own result', async () => {
		const session = new BuildSession(plannedStages({uploads: ['example.package'], userScripts: ['example.sh']}), t => t);
		session.planAfterwards(distributionStages({copies: ['cn-north-4', 'ap-southeast-3'], shareWith: [], tags: [], agency: 'ims_admin_agency'}));
		for (const line of lines) session.push(line, 'stdout');
		const controls = {session, cancel: vi.fn(), forceStop: vi.fn(), packerLog: 'logs/packer_1.log'};
		const {lastFrame, unmount} = render(<BuildScreen controls={controls} />);
		session.finish('success', {exitCode: 0, packerLog: 'logs/packer_1.log', wizardLog: 'logs/wizard_1.log'});
		const imageId = session.progress.artifact!.id!;
		expect(session.phase).toBe('distributing');
		session.updateStage('copy:cn-north-4', {status: 'done', startedAt: Date.now(), endedAt: Date.now(), detail: '3a4b5c6d-7e8f-4091-a2b3-c4d5e6f70819 in cn-north-4'});
		session.updateStage('copy:ap-southeast-3', {status: 'running', startedAt: Date.now(), detail: 'IMS job ff80: RUNNING 40%'});
		const frame = await frameShowing(lastFrame, 'IMS job ff80');
		expect(frame).toContain(`The image exists: ${imageId}`);
		expect(frame).toMatch(/✔ Copy to cn-north-4 \d+s · 3a4b5c6d-7e8f-4091-a2b3-c4d5e6f70819 in cn-north-4/);
		session.updateStage('copy:ap-southeast-3', {status: 'failed', endedAt: Date.now(), detail: 'IMS job ff80 failed: out of storage'});
		session.complete({
			images: [
				{region: 'ap-southeast-1', id: imageId, kind: 'built', status: 'active'},
				{region: 'cn-north-4', id: '3a4b5c6d-7e8f-4091-a2b3-c4d5e6f70819', kind: 'copy', status: 'active'},
				{region: 'ap-southeast-3', kind: 'copy', status: 'failed', error: 'IMS job ff80 failed: out of storage'},
			],
			distributionErrors: ['Copy to ap-southeast-3 failed: IMS job ff80 failed: out of storage'],
		});
		const end = await frameShowing(lastFrame, 'Images by region:');
		expect(end).toContain(`Image built in`);
		expect(end).toMatch(/ap-southeast-3\s+no image: IMS job ff80 failed/);
		expect(end).toMatch(/✖ Copy to ap-southeast-3/);
		unmount();
	});
});
