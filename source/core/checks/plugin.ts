/** Is the huaweicloud plugin the template pins installed where Packer looks for it? */
import {readdir, readFile, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {otherPin, PIN_EXPLANATION, PLUGIN_PINS, pluginPin, PLUGIN_SOURCE} from '../plugin-pin.js';
import {requiredPlugins} from '../template.js';
import {satisfies} from '../version.js';
import type {Check, Outcome} from './engine.js';
import {templateFile, type CheckContext} from './context.js';
import {packerMinor, type PackerCandidate} from './packer.js';

export type InstalledPlugin = {
	file: string;
	/** 'hierarchical': <dir>/<source>/packer-plugin-<name>_v<ver>_x<api>_<os>_<arch> (packer init, 1.7+); 'flat': <dir>/packer-plugin-<name> (up to 1.10). */
	layout: 'hierarchical' | 'flat';
	version?: string;
	platform?: string;
	/** Whether the _SHA256SUM file Packer 1.11+ requires sits beside it. */
	checksum: boolean;
};

/** Folders Packer 1.7–1.11 search, in order, each with the layouts it takes there. */
export function pluginDirectories(env: Readonly<Record<string, string | undefined>>, packerPath?: string, workspace?: string): Array<{dir: string; flat: boolean}> {
	const home = env['HOME'] || os.homedir();
	const dirs: Array<{dir: string; flat: boolean}> = [];
	for (const dir of (env['PACKER_PLUGIN_PATH'] ?? '').split(':')) if (dir) dirs.push({dir, flat: true});
	dirs.push({dir: path.join(env['XDG_CONFIG_HOME'] || path.join(home, '.config'), 'packer', 'plugins'), flat: true});
	dirs.push({dir: path.join(home, '.packer.d', 'plugins'), flat: true});
	// Up to 1.10, a plugin binary next to packer or in the current folder is loaded too.
	if (workspace) dirs.push({dir: workspace, flat: true});
	if (packerPath) dirs.push({dir: path.dirname(packerPath), flat: true});
	return dirs.filter((entry, index) => dirs.findIndex(other => other.dir === entry.dir) === index);
}

const exists = async (file: string) =>
	stat(file).then(
		info => info.isFile(),
		() => false,
	);

/** Installed copies of plugin `name` from `source` (e.g. github.com/huaweicloud/huaweicloud). */
export async function findPlugins(name: string, source: string, dirs: Array<{dir: string; flat: boolean}>): Promise<InstalledPlugin[]> {
	const pattern = new RegExp(`^packer-plugin-${name}_v(\\d+\\.\\d+\\.\\d+[^_]*)_x(\\d+\\.\\d+)_([a-z0-9]+_[a-z0-9]+)$`);
	const found: InstalledPlugin[] = [];
	for (const {dir, flat} of dirs) {
		const nested = path.join(dir, ...source.split('/'));
		for (const entry of (await readdir(nested).catch(() => [] as string[])).sort()) {
			const match = pattern.exec(entry);
			if (!match) continue;
			const file = path.join(nested, entry);
			found.push({file, layout: 'hierarchical', version: match[1], platform: match[3], checksum: await exists(`${file}_SHA256SUM`)});
		}
		if (!flat) continue;
		for (const entry of (await readdir(dir).catch(() => [] as string[])).sort()) {
			const match = pattern.exec(entry);
			if (entry !== `packer-plugin-${name}` && !match) continue;
			found.push({file: path.join(dir, entry), layout: 'flat', version: match?.[1], platform: match?.[3], checksum: false});
		}
	}
	return found;
}

export const OFFLINE_INSTALL = (version: string) =>
	[
		`Offline: on a machine with internet, download packer-plugin-huaweicloud_v${version}_x5.0_linux_amd64.zip from https://github.com/huaweicloud/packer-plugin-huaweicloud/releases/tag/v${version}, copy it here, then`,
		`  d=~/.config/packer/plugins/github.com/huaweicloud/huaweicloud && mkdir -p $d && unzip -o packer-plugin-huaweicloud_v${version}_x5.0_linux_amd64.zip -d $d`,
		`  (cd $d && sha256sum packer-plugin-huaweicloud_v${version}_x5.0_linux_amd64 | cut -d' ' -f1 > packer-plugin-huaweicloud_v${version}_x5.0_linux_amd64_SHA256SUM)`,
		`or with Packer 1.10+: packer plugins install --path ./packer-plugin-huaweicloud_v${version}_x5.0_linux_amd64 github.com/huaweicloud/huaweicloud`,
		'and build with PACKER_SKIP_INIT=1.',
	].join('\n');

export const pluginCheck: Check<CheckContext> = {
	id: 'plugin.huaweicloud',
	title: 'huaweicloud plugin installed',
	family: 'plugin',
	dependsOn: ['packer.binary'],
	tolerates: ['packer.binary'],
	async run(context, results) {
		const file = templateFile(context);
		const text = await readFile(file, 'utf8').catch(() => undefined);
		const wanted = text ? requiredPlugins(text).find(p => p.name === 'huaweicloud') : undefined;
		if (!text || !wanted) return {status: 'skip', detail: 'the template requires no huaweicloud plugin'};
		const pin = pluginPin(text);
		const source = wanted.source ?? PLUGIN_SOURCE;
		const constraint = wanted.version ?? '>= 0.0.0';
		const pinned = pin.version ?? '0.4.0';
		// The two supported pins, one line each, and the other one as the correction.
		const relative = path.relative(context.workspace, file) || file;
		const choice = (outcome: Outcome): Outcome => {
			const other = otherPin(pin.version);
			return {
				...outcome,
				findings: PLUGIN_PINS.map(p => ({file: relative, line: pin.line, message: `${p === pin.version ? '(pinned) ' : ''}${PIN_EXPLANATION[p]}`})),
				correction: pin.line === undefined ? undefined : {key: 'plugin', value: other, reason: `re-pin the plugin to = ${other} in ${relative}; only that line changes`, applies: 'plugin-pin'},
			};
		};
		const packer = results.get('packer.binary')?.data as PackerCandidate | undefined;
		const installed = await findPlugins('huaweicloud', source, pluginDirectories(context.env, packer?.path, context.workspace));
		const matching = installed.filter(p => p.layout === 'hierarchical' && p.version && satisfies(p.version, constraint) && p.platform === 'linux_amd64');
		const minor = packerMinor(packer?.version);
		const needsChecksum = minor !== undefined && (minor[0] > 1 || minor[1] >= 11);
		const good = matching.find(p => p.checksum || !needsChecksum);
		if (good) {
			return choice({status: 'pass', detail: `${constraint.replace(/^=\s*/, '')} at ${good.file}`, data: {file: good.file}});
		}
		if (matching[0]) {
			return choice({
				status: 'warn',
				detail: `${matching[0].file} has no _SHA256SUM beside it; Packer ${packer?.version} loads plugins only with one`,
				fix: `cd ${path.dirname(matching[0].file)} && sha256sum ${path.basename(matching[0].file)} | cut -d' ' -f1 > ${path.basename(matching[0].file)}_SHA256SUM`,
			});
		}
		const others = installed.map(p => `${p.version ?? 'unknown version'} (${p.layout}) at ${p.file}`);
		return choice({
			status: 'warn',
			detail:
				others.length > 0
					? `the template pins ${constraint}; found only ${others.join(', ')}`
					: `not installed (${constraint}); \`packer init\` will download it from GitHub`,
			fix: [
				'packer.sh runs `packer init`, which needs access to github.com from this executor.',
				'Plugin 1.0.0-1.2.0 report themselves as 0.4.0-rc1 and are refused; pin 0.4.0 or 1.2.2.',
				OFFLINE_INSTALL(pinned),
			].join('\n'),
		});
	},
};
