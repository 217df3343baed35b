import {describe, expect, it} from 'vitest';
import type {CheckResult} from '../../source/core/checks/engine.js';
import {boardLines, worstOf, type PlannedCheck} from '../../source/ui/wizard/checks-board.js';

const PLAN: PlannedCheck[] = [
	{id: 'packer.installed', title: 'HashiCorp Packer installed', family: 'packer'},
	{id: 'packer.version', title: 'Packer version the template needs', family: 'packer', dependsOn: ['packer.installed']},
	{id: 'template.parses', title: 'Template parses', family: 'template', dependsOn: ['packer.version']},
	{id: 'cloud.credentials', title: 'Credentials and region', family: 'cloud', timeoutMs: 20_000},
	{id: 'cloud.quota', title: 'Quota for one more server', family: 'cloud', dependsOn: ['cloud.credentials'], timeoutMs: 20_000},
];

const result = (id: string, status: CheckResult['status'], detail: string, extra: Partial<CheckResult> = {}): CheckResult => {
	const planned = PLAN.find(p => p.id === id)!;
	return {id, title: planned.title, family: planned.family, status, detail, durationMs: 1, ...extra};
};

const texts = (lines: ReturnType<typeof boardLines>) => lines.map(l => `${l.indent ?? ''}${l.mark ? `${l.mark} ` : ''}${l.text}`);

describe('the checks board', () => {
	it('a family shows the worst of its members: a skipped check is no tick', () => {
		const lines = texts(
			boardLines(PLAN, [
				result('packer.installed', 'pass', 'Packer 1.6.6'),
				result('packer.version', 'fail', 'Packer 1.6.6; needs >= 1.7.2', {fix: 'Install HashiCorp Packer from its repository:\n  apt: sudo apt install packer\nor set PACKER_BIN=/path/to/packer.'}),
				result('template.parses', 'skip', 'Packer 1.6.6 cannot read this template'),
				result('cloud.credentials', 'pass', 'ok'),
				result('cloud.quota', 'pass', 'ok'),
			], {columns: 80, spinner: '⠋'}),
		);
		expect(lines).toContain('✖ Packer');
		expect(lines).toContain('– Template');
		expect(lines).toContain('  – Template parses: Packer 1.6.6 cannot read this template');
		expect(lines.join('\n')).not.toMatch(/✔ Template/);
		// A family where everything passed takes one line.
		expect(lines).toContain('✔ Huawei Cloud (Credentials and region, Quota for one more server)');
	});

	it('shows the whole fix of a failing check, wrapped to the width', () => {
		const fix = 'Install HashiCorp Packer from its repository:\n  apt: wget -O- https://apt.releases.hashicorp.com/gpg | sudo gpg --dearmor -o /usr/share/keyrings/hashicorp-archive-keyring.gpg\nThen check that `packer version` shows the new one.';
		const lines = texts(boardLines(PLAN, [result('packer.installed', 'fail', 'not found', {fix})], {columns: 60, spinner: '⠋'}));
		const shown = lines.join('\n');
		expect(shown).toContain('fix: Install HashiCorp Packer from its repository:');
		expect(shown).toContain('hashicorp-archive-keyring.gpg');
		expect(shown).toContain('Then check that `packer version` shows the new one.');
		for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
	});

	it('a check still running shows the spinner and when it gives up; one waiting says on what', () => {
		const lines = texts(boardLines(PLAN, [result('packer.installed', 'pass', 'ok'), result('packer.version', 'pass', 'ok'), result('template.parses', 'pass', 'ok')], {columns: 100, spinner: '⠙'}));
		expect(lines).toContain('⠙ Huawei Cloud');
		expect(lines).toContain('  ⠙ Credentials and region: checking… (gives up after 20 s)');
		expect(lines).toContain('  · Quota for one more server: waits for "Credentials and region"');
		// A family with a member still running never shows a tick.
		const withOneDone = texts(boardLines(PLAN, [result('cloud.credentials', 'pass', 'ok')], {columns: 100, spinner: '⠙'}));
		expect(withOneDone).toContain('⠙ Huawei Cloud');
		expect(withOneDone).toContain('  ⠙ Quota for one more server: checking… (gives up after 20 s)');
	});

	it('ranks fail, warn, running, waiting, skip, pass', () => {
		expect(worstOf(['pass', 'skip'])).toBe('skip');
		expect(worstOf(['pass', 'running', 'warn'])).toBe('warn');
		expect(worstOf(['running', 'fail'])).toBe('fail');
		expect(worstOf(['pass', 'waiting'])).toBe('waiting');
		expect(worstOf(['pass'])).toBe('pass');
	});
});
