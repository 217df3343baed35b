/** The answers themselves: every required setting given, every value valid. */
import {problems} from '../answers.js';
import type {Check} from './engine.js';
import type {CheckContext} from './context.js';

export const settingsCheck: Check<CheckContext> = {
	id: 'settings.valid',
	title: 'Settings complete and valid',
	family: 'settings',
	async run(context) {
		const found = problems(context.answers);
		if (found.length === 0) return {status: 'pass', detail: 'every required setting is given and valid'};
		return {
			status: 'fail',
			detail: found.length === 1 ? found[0]! : `${found.length} problems, first: ${found[0]}`,
			findings: found.map(message => ({message})),
			fix: 'Export the variables (see README), pass --set KEY=VALUE, or use a preset (--preset NAME); run `cce-image-wizard presets show NAME` to see where each value comes from.',
		};
	},
};
