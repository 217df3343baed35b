/**
 * The command that started this process, as the operator would type it again: `init`'s
 * hint names it, so it works before the package is on the npm registry too.
 */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';

export type Start = {
	/** Where the running package lives (dist/cli.js is inside). */
	packageRoot: string;
	/** The folder the command was started in. */
	cwd: string;
	env: Readonly<Record<string, string | undefined>>;
	/** The text of a file, or undefined when there is none (tests pass their own). */
	read?: (file: string) => string | undefined;
	exists?: (file: string) => boolean;
};

const readText = (file: string) => {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
};

/**
 * - npx: npm keeps what was typed (`npx ./cce-image-wizard-0.1.0.tgz`, `npx cce-image-wizard`)
 *   in `_npx.packages` of the cache folder's package.json; a relative path is made absolute.
 * - a clone (source/ beside dist/): `node <clone>/dist/cli.js`.
 * - anything else (a global install): `cce-image-wizard`.
 */
export function startedWith({packageRoot, cwd, env, read = readText, exists = existsSync}: Start): string {
	const npxCache = path.dirname(path.dirname(packageRoot));
	if (env['npm_lifecycle_event'] === 'npx' || packageRoot.split(path.sep).includes('_npx')) {
		let spec: string | undefined;
		try {
			spec = (JSON.parse(read(path.join(npxCache, 'package.json')) ?? '{}') as {_npx?: {packages?: string[]}})._npx?.packages?.[0];
		} catch {
			spec = undefined;
		}
		if (spec && /^(\.{1,2}[\\/]|\/|file:)/.test(spec)) return `npx ${path.resolve(cwd, spec.replace(/^file:/, ''))}`;
		return `npx ${spec ?? 'cce-image-wizard'}`;
	}
	if (exists(path.join(packageRoot, 'source', 'cli.tsx'))) return `node ${path.join(packageRoot, 'dist', 'cli.js')}`;
	return 'cce-image-wizard';
}
