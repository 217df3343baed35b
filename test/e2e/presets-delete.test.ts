/** `presets delete` in a real terminal asks first; only y deletes. */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {CLI, runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/kit.js';
import {openTerminal, type Terminal} from '../helpers/tmux.js';
import {missing, titled} from '../helpers/tools.js';

const reason = missing({tools: ['tmux']});

describe.skipIf(reason)(titled('presets delete in a terminal', reason), () => {
	let terminal: Terminal | undefined;
	afterEach(() => terminal?.kill());

	it('asks before deleting: n keeps the preset, y deletes it', async () => {
		const workspace = tempDir('ws');
		const state = tempDir('state');
		expect(runCli(['presets', 'save', 'old', '--set', 'region_name=cn-north-4'], {cwd: workspace, env: {CCE_WIZARD_STATE_DIR: state}}).code).toBe(0);
		const file = path.join(workspace, 'presets', 'old.json');
		terminal = openTerminal({columns: 80, rows: 24, cwd: workspace, env: {CCE_WIZARD_STATE_DIR: state}});
		const deleteCommand = `node ${CLI} presets delete old`;

		terminal.type(deleteCommand);
		terminal.send('Enter');
		await terminal.waitFor('cannot be undone. [y/N]');
		terminal.type('n');
		terminal.send('Enter');
		await terminal.waitFor('Kept the preset old.');
		expect(existsSync(file)).toBe(true);

		terminal.send('C-l');
		terminal.type(deleteCommand);
		terminal.send('Enter');
		await terminal.waitFor('cannot be undone. [y/N]');
		terminal.type('y');
		terminal.send('Enter');
		await terminal.waitFor(/^Deleted /m);
		expect(existsSync(file)).toBe(false);
	});
});
