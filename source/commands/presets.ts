/** `presets list | show NAME | save NAME | delete NAME`. */
import path from 'node:path';
import {answersJson, problems, shown, type Answers} from '../core/answers.js';
import type {Options} from '../core/args.js';
import {deletePreset, listPresets, presetNameProblem, presetValuesOf, savePreset} from '../core/presets.js';
import {SETTINGS, SETTINGS_BY_KEY} from '../core/settings.js';
import {State} from '../core/state.js';
import {resolveFor, workspaceOf} from './context.js';
import {EXIT, type Io} from './io.js';

const USAGE = 'Usage: cce-image-wizard presets list | show NAME | save NAME | delete NAME';

/** The answers as aligned lines: label, value (keys masked), where it came from, and any problem. */
export function answersTable(answers: Answers): string[] {
	const width = Math.max(...SETTINGS.map(s => s.label.length));
	return [...answers.values()].flatMap(answer => {
		const s = SETTINGS_BY_KEY.get(answer.key)!;
		const value = shown(answer) || '(empty)';
		const line = `  ${s.label.padEnd(width)}  ${value.padEnd(38)}  ${answer.source}`;
		return answer.problem ? [line, `    ! ${answer.problem}`] : [line];
	});
}

export async function runPresets(io: Io, args: string[], options: Options, env = process.env): Promise<number> {
	const [action, name, ...extra] = args;
	const workspace = workspaceOf(options);
	const needsName = action === 'show' || action === 'save' || action === 'delete';
	if (!action || !['list', 'show', 'save', 'delete'].includes(action) || (needsName && !name) || extra.length > 0 || (action === 'list' && name)) {
		io.err(USAGE);
		return EXIT.usage;
	}
	if (needsName) {
		const problem = presetNameProblem(name!);
		if (problem) {
			io.err(problem);
			return EXIT.usage;
		}
	}

	if (action === 'list') {
		const presets = await listPresets(workspace);
		const builds = new State().builds();
		const rows = presets.map(p => {
			const last = builds.findLast(b => b.workspace === workspace && b.preset === p.name);
			return {
				name: p.name,
				file: path.relative(workspace, p.file),
				region: p.values?.get('region_name'),
				sourceImage: p.values?.get('source_image_id'),
				lastUsed: last?.startedAt,
				lastOutcome: last ? (last.outcome ?? 'unfinished') : undefined,
				...(p.error ? {error: p.error} : {}),
			};
		});
		if (options.json) {
			io.out(JSON.stringify({workspace, presets: rows}, null, 2));
			return EXIT.ok;
		}
		if (rows.length === 0) {
			io.out(`No presets in ${path.join(workspace, 'presets')}. Save one: cce-image-wizard presets save NAME (or from the wizard's review).`);
			return EXIT.ok;
		}
		// Columns as wide as their widest cell, so every row lines up whatever the names.
		const nameWidth = Math.max(...rows.map(row => row.name.length));
		const regionWidth = Math.max(...rows.map(row => (row.error ? 0 : (row.region ?? '-').length)));
		for (const row of rows) {
			if (row.error) {
				io.out(`  ${row.name.padEnd(nameWidth)}  UNREADABLE: ${row.error}`);
				continue;
			}
			const last = row.lastUsed ? `last used ${row.lastUsed} (${row.lastOutcome})` : 'never built';
			io.out(`  ${row.name.padEnd(nameWidth)}  ${(row.region ?? '-').padEnd(regionWidth)}  image ${row.sourceImage ?? '-'}  ${last}`);
		}
		return EXIT.ok;
	}

	if (action === 'delete') {
		// In a terminal, a person confirms (--yes never answers a deletion); scripts delete as asked.
		if (io.ask && !options.json) {
			const answer = await io.ask(`Delete the preset ${name} (presets/${name}.json)? It cannot be undone. [y/N] `);
			if (!/^y(es)?$/i.test(answer.trim())) {
				io.out(`Kept the preset ${name}.`);
				return EXIT.ok;
			}
		}
		const file = await deletePreset(workspace, name!);
		io.out(options.json ? JSON.stringify({deleted: file}) : `Deleted ${file}`);
		return EXIT.ok;
	}

	// show NAME: the preset's answers as they would be used now; save NAME: the answers given now.
	const resolved = await resolveFor(options, env, action === 'show' ? name : options.preset);
	if (action === 'save') {
		const values = presetValuesOf(resolved.answers.values());
		const invalid = problems(new Map([...resolved.answers].filter(([key]) => values.has(key))));
		if (invalid.length > 0) {
			io.err(`Not saved: fix these first.\n${invalid.map(p => `  ${p}`).join('\n')}`);
			return EXIT.failed;
		}
		if (values.size === 0) {
			io.err(`Nothing to save: no setting is given by a flag, the environment or a preset. Give them first (--set KEY=VALUE, the exported variables, or --preset OTHER to copy one), or save from the wizard's review.`);
			return EXIT.failed;
		}
		const file = await savePreset(workspace, name!, values, {force: options.force});
		io.out(options.json ? JSON.stringify({saved: file, settings: Object.fromEntries(values)}) : `Saved ${values.size} settings to ${file} (no keys).`);
		return EXIT.ok;
	}
	if (options.json) {
		io.out(
			JSON.stringify(
				{preset: name, file: resolved.preset!.file, settings: answersJson(resolved.answers), problems: problems(resolved.answers)},
				null,
				2,
			),
		);
		return EXIT.ok;
	}
	io.out(`Preset ${name} (${resolved.preset!.file}), as it resolves now (flag > env > preset > default):`);
	for (const line of answersTable(resolved.answers)) io.out(line);
	return EXIT.ok;
}
