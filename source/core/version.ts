/**
 * Versions and the constraint syntax Packer uses (`>= 1.7.2`, `= 0.4.0`, `~> 1.7`,
 * comma-separated for "and").
 */

/** major, minor, patch, and a pre-release label ('' for a release). */
export type Version = [number, number, number, string];

export function parseVersion(text: string): Version | undefined {
	const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?/.exec(text.trim());
	if (!match) return undefined;
	return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0), match[4] ?? ''];
}

/** Orders versions; a pre-release comes before its release (0.4.0-rc1 < 0.4.0). */
export function compareVersions(a: Version, b: Version): number {
	for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
	if (a[3] === b[3]) return 0;
	if (a[3] === '') return 1;
	if (b[3] === '') return -1;
	return a[3] < b[3] ? -1 : 1;
}

/** Whether `version` satisfies every comma-separated part of `constraint`. Unreadable parts are false. */
export function satisfies(version: string, constraint: string): boolean {
	const v = parseVersion(version);
	if (!v) return false;
	return constraint.split(',').every(part => {
		const match = /^\s*(>=|<=|!=|~>|>|<|=)?\s*(\S+)\s*$/.exec(part);
		const bound = match ? parseVersion(match[2]!) : undefined;
		if (!match || !bound) return false;
		const c = compareVersions(v, bound);
		switch (match[1] ?? '=') {
			case '=':
				return c === 0;
			case '!=':
				return c !== 0;
			case '>':
				return c > 0;
			case '>=':
				return c >= 0;
			case '<':
				return c < 0;
			case '<=':
				return c <= 0;
			case '~>': {
				// ~> 1.7 allows 1.x >= 1.7; ~> 1.7.2 allows 1.7.x >= 1.7.2.
				const precision = match[2]!.replace(/^v/, '').split('.').length;
				if (c < 0) return false;
				return precision >= 3 ? v[0] === bound[0] && v[1] === bound[1] : v[0] === bound[0];
			}
			default:
				return false;
		}
	});
}
