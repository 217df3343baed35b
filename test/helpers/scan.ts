/** Finds files under folders whose content contains any of the given strings. */
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

export function filesContaining(roots: string[], needles: string[]): string[] {
	const hits: string[] = [];
	const visit = (dir: string) => {
		for (const entry of readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) visit(full);
			else if (entry.isFile() && needles.some(n => readFileSync(full).includes(n))) hits.push(full);
		}
	};
	for (const root of roots) visit(root);
	return hits;
}
