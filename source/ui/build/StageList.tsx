import {Box, Text} from 'ink';
import type {Stage} from '../../core/run/progress.js';
import {formatDuration} from '../../core/run/report.js';
import {SPINNER, STAGE_COLOR, STAGE_MARK, tint} from '../theme.js';

/** The stages that fit in `height` lines, kept around the running one. */
export function visibleStages(stages: Stage[], height: number): {shown: Stage[]; before: number; after: number} {
	if (stages.length <= height) return {shown: stages, before: 0, after: 0};
	const focus = Math.max(0, stages.findIndex(s => s.status === 'running' || s.status === 'failed'));
	const room = Math.max(1, height - 2);
	const start = Math.min(Math.max(0, focus - Math.floor(room / 3)), stages.length - room);
	return {shown: stages.slice(start, start + room), before: start, after: stages.length - start - room};
}

export function StageList({stages, height, now}: {stages: Stage[]; height: number; now: number}) {
	const {shown, before, after} = visibleStages(stages, height);
	const frame = SPINNER[Math.floor(now / 100) % SPINNER.length]!;
	return (
		<Box flexDirection="column">
			{before > 0 && <Text dimColor>  … {before} earlier</Text>}
			{shown.map(stage => {
				const took = stage.startedAt === undefined ? '' : formatDuration((stage.endedAt ?? now) - stage.startedAt);
				return (
					<Text key={stage.id} wrap="truncate">
						<Text color={tint(STAGE_COLOR[stage.status])}>{stage.status === 'running' ? frame : STAGE_MARK[stage.status]}</Text>{' '}
						<Text dimColor={stage.status === 'pending' || stage.status === 'skipped'} bold={stage.status === 'running'}>
							{stage.title}
						</Text>
						{took && <Text dimColor> {took}</Text>}
						{stage.detail && <Text dimColor color={stage.status === 'failed' ? tint('red') : undefined}> · {stage.detail}</Text>}
					</Text>
				);
			})}
			{after > 0 && <Text dimColor>  … {after} more</Text>}
		</Box>
	);
}
