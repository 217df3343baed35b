import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {FAMILY_TITLES, type CheckResult, type Family} from '../../../core/checks/engine.js';
import {place, STATUS_MARK} from '../../../core/checks/report.js';
import {tint} from '../../theme.js';

const COLOR = {pass: 'green', warn: 'yellow', fail: 'red', skip: 'gray'} as const;

/** The checks as they finish, grouped by family; the ones that did not pass with their fix. */
export function ChecksStep({results, running, height}: {results: CheckResult[]; running: boolean; height: number}) {
	const families: Family[] = [];
	for (const r of results) if (!families.includes(r.family)) families.push(r.family);
	const lines: Array<{key: string; node: ReactNode}> = [];
	for (const family of families) {
		const inFamily = results.filter(r => r.family === family);
		const worst = inFamily.some(r => r.status === 'fail') ? 'fail' : inFamily.some(r => r.status === 'warn') ? 'warn' : 'pass';
		// A family that passed entirely takes one line; the others show each check.
		if (worst === 'pass' && inFamily.every(r => (r.status === 'pass' && !r.correction) || r.status === 'skip')) {
			lines.push({key: family, node: <Text wrap="truncate"><Text color={tint('green')}>{STATUS_MARK.pass}</Text> {FAMILY_TITLES[family]} <Text dimColor>({inFamily.map(r => r.title).join(', ')})</Text></Text>});
			continue;
		}
		lines.push({key: family, node: <Text bold>{FAMILY_TITLES[family]}</Text>});
		for (const r of inFamily) {
			lines.push({
				key: r.id,
				node: (
					<Text wrap="truncate">
						{'  '}
						<Text color={tint(COLOR[r.status])}>{STATUS_MARK[r.status]}</Text> {r.title}: {r.detail}
					</Text>
				),
			});
			if (r.status === 'fail' || r.status === 'warn' || r.correction) {
				for (const f of (r.findings ?? []).slice(0, 3)) lines.push({key: `${r.id}:${place(f)}${f.message}`, node: <Text dimColor wrap="truncate">{`      ${place(f)}${f.message}`}</Text>});
				if (r.correction) lines.push({key: `${r.id}:correction`, node: <Text color={tint('cyan')} wrap="truncate">{`    c: ${r.correction.applies === 'plugin-pin' ? 'pin' : 'use'} ${r.correction.value} (${r.correction.reason})`}</Text>});
				if (r.fix && r.status !== 'pass') lines.push({key: `${r.id}:fix`, node: <Text dimColor wrap="truncate">{`    fix: ${r.fix.split('\n')[0]}`}</Text>});
			}
		}
	}
	const shown = lines.slice(0, Math.max(3, height));
	return (
		<Box flexDirection="column">
			{shown.map(line => (
				<Box key={line.key}>{line.node}</Box>
			))}
			{lines.length > shown.length && <Text dimColor>… {lines.length - shown.length} more lines (cce-image-wizard check shows them all)</Text>}
			{running && <Text color={tint('cyan')}>Checking… {results.length} done</Text>}
		</Box>
	);
}
