/** Check results as text for a terminal or a log, and as the JSON document of `check --json`. */
import {FAMILY_TITLES, summarize, type CheckResult, type CheckStatus, type Family, type Finding} from './engine.js';

export const STATUS_MARK: Record<CheckStatus, string> = {pass: '✔', warn: '▲', fail: '✖', skip: '–'};

const COLOR: Record<CheckStatus, string> = {pass: '\u001B[32m', warn: '\u001B[33m', fail: '\u001B[31m', skip: '\u001B[90m'};
const RESET = '\u001B[39m';
const DIM = (text: string, color: boolean) => (color ? `\u001B[2m${text}\u001B[22m` : text);

/** `file:line ` of a finding, or nothing when it is not about a file. */
export function place(finding: Finding): string {
	return finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''} ` : '';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Results grouped by family, in the order the families first appear; with fixes and findings. */
export function formatResults(results: readonly CheckResult[], options: {color: boolean; findingsLimit?: number}): string {
	const families: Family[] = [];
	for (const r of results) if (!families.includes(r.family)) families.push(r.family);
	const lines: string[] = [];
	for (const family of families) {
		lines.push(FAMILY_TITLES[family]);
		for (const r of results.filter(x => x.family === family)) {
			const mark = options.color ? `${COLOR[r.status]}${STATUS_MARK[r.status]}${RESET}` : STATUS_MARK[r.status];
			lines.push(`  ${mark} ${r.title}: ${r.detail}`);
			const limit = options.findingsLimit ?? 10;
			const findings = r.findings ?? [];
			if (findings.length > 1) {
				for (const f of findings.slice(0, limit)) lines.push(`      ${place(f)}${f.message}`);
				if (findings.length > limit) lines.push(`      … ${findings.length - limit} more`);
			}
			if (r.correction) {
				lines.push(
					r.correction.applies === 'plugin-pin'
						? `      or pin the plugin = ${r.correction.value} (${r.correction.reason}; c in the wizard)`
						: `      suggested ${r.correction.key} = ${r.correction.value} (${r.correction.reason})`,
				);
			}
			if (r.fix && r.status !== 'pass') {
				const [first, ...rest] = r.fix.split('\n');
				lines.push(DIM(`      fix: ${first}`, options.color));
				for (const line of rest) lines.push(DIM(`           ${line}`, options.color));
			}
		}
	}
	const s = summarize(results);
	lines.push('', `Checks: ${s.pass} passed, ${plural(s.warn, 'warning')}, ${s.fail} failed, ${s.skip} skipped`);
	return lines.join('\n');
}

export function resultsJson(results: readonly CheckResult[]) {
	const summary = summarize(results);
	return {
		schemaVersion: 1,
		ok: summary.fail === 0,
		summary,
		results: results.map(({data: _data, ...shown}) => shown),
	};
}
