/**
 * The checks screen as lines, from the planned checks and the results so far (pure, so it
 * is tested without a terminal). A family shows the worst of its members and takes one
 * line only when every member passed; a check still running says so, one waiting says on
 * what; a failing or warning check shows its whole fix, wrapped to the screen.
 */
import {DEFAULT_TIMEOUT_MS, FAMILY_TITLES, type CheckResult, type CheckStatus, type Family} from '../../core/checks/engine.js';
import {place, STATUS_MARK} from '../../core/checks/report.js';
import {wrapText} from '../layout.js';

export type PlannedCheck = {id: string; title: string; family: Family; dependsOn?: string[]; timeoutMs?: number};

export type BoardStatus = CheckStatus | 'running' | 'waiting';

export type BoardLine = {key: string; text: string; indent?: string; mark?: string; status?: BoardStatus; bold?: boolean; dim?: boolean; tone?: 'cyan'};

/** Worst first: a family is as bad as its worst member. */
const SEVERITY: BoardStatus[] = ['fail', 'warn', 'running', 'waiting', 'skip', 'pass'];

export function worstOf(statuses: BoardStatus[]): BoardStatus {
	return SEVERITY.find(s => statuses.includes(s)) ?? 'pass';
}

/** The checks running now (all they depend on is done, their own result is not). */
export function runningChecks(plan: readonly PlannedCheck[], results: readonly CheckResult[]): PlannedCheck[] {
	const done = new Set(results.map(r => r.id));
	return plan.filter(c => !done.has(c.id) && (c.dependsOn ?? []).every(id => done.has(id)));
}

export function boardLines(plan: readonly PlannedCheck[], results: readonly CheckResult[], options: {columns: number; spinner: string}): BoardLine[] {
	const done = new Map(results.map(r => [r.id, r]));
	// Checks that are not in the plan (a plan not known yet) still show, in the order they came.
	const planned: PlannedCheck[] = [...plan, ...results.filter(r => !plan.some(p => p.id === r.id))];
	const statusOf = (check: PlannedCheck): BoardStatus => {
		const result = done.get(check.id);
		if (result) return result.status;
		return (check.dependsOn ?? []).every(id => done.has(id)) ? 'running' : 'waiting';
	};
	const mark = (status: BoardStatus) => (status === 'running' ? options.spinner : status === 'waiting' ? '·' : STATUS_MARK[status]);
	const families: Family[] = [];
	for (const check of planned) if (!families.includes(check.family)) families.push(check.family);
	const lines: BoardLine[] = [];
	const wrapped = (key: string, text: string, indent: string, extra: Omit<BoardLine, 'key' | 'text'> = {}) =>
		wrapText(text, options.columns, indent).forEach((line, index) => lines.push({key: `${key}:${index}`, text: line, ...extra}));

	for (const family of families) {
		const members = planned.filter(c => c.family === family);
		const statuses = members.map(statusOf);
		const worst = worstOf(statuses);
		// A passing check can still offer a correction (the plugin re-pin): its family stays open.
		if (statuses.every(s => s === 'pass') && members.every(c => !done.get(c.id)?.correction)) {
			lines.push({key: family, mark: mark('pass'), status: 'pass', text: `${FAMILY_TITLES[family]} (${members.map(c => c.title).join(', ')})`});
			continue;
		}
		lines.push({key: family, mark: mark(worst), status: worst, text: FAMILY_TITLES[family], bold: true});
		for (const check of members) {
			const status = statusOf(check);
			const result = done.get(check.id);
			let detail: string;
			if (result) detail = result.detail;
			else if (status === 'running') detail = `checking… (gives up after ${Math.round((check.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s)`;
			else {
				const waits = (check.dependsOn ?? []).filter(id => !done.has(id)).map(id => planned.find(c => c.id === id)?.title ?? id);
				detail = `waits for ${waits.map(t => `"${t}"`).join(', ')}`;
			}
			const [first, ...rest] = wrapText(`${check.title}: ${detail}`, options.columns - 4, '  ');
			lines.push({key: check.id, indent: '  ', mark: mark(status), status, text: first!});
			rest.forEach((line, index) => lines.push({key: `${check.id}:more${index}`, text: `    ${line}`}));
			if (!result || (result.status !== 'fail' && result.status !== 'warn' && !result.correction)) continue;
			for (const f of (result.findings ?? []).slice(0, 3)) wrapped(`${check.id}:${place(f)}${f.message}`, `      ${place(f)}${f.message}`, '        ', {dim: true});
			if ((result.findings ?? []).length > 3) lines.push({key: `${check.id}:findings`, text: `      … ${result.findings!.length - 3} more (cce-image-wizard check lists them all)`, dim: true});
			if (result.correction) wrapped(`${check.id}:correction`, `    c: ${result.correction.applies === 'plugin-pin' ? 'pin' : 'use'} ${result.correction.value} (${result.correction.reason})`, '       ', {tone: 'cyan'});
			if (result.fix && result.status !== 'pass') {
				result.fix.split('\n').forEach((part, index) => wrapped(`${check.id}:fix${index}`, `${index === 0 ? '    fix: ' : '         '}${part}`, '         ', {dim: true}));
			}
		}
	}
	return lines;
}
