import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import type {CheckResult} from '../../../core/checks/engine.js';
import {Scrolled} from '../../components/Scrolled.js';
import {SPINNER, tint} from '../../theme.js';
import {boardLines, runningChecks, type BoardStatus, type PlannedCheck} from '../checks-board.js';

const COLOR: Record<BoardStatus, string> = {pass: 'green', warn: 'yellow', fail: 'red', skip: 'gray', running: 'cyan', waiting: 'gray'};

/** The checks as they finish, grouped by family; the ones that did not pass with their whole fix. */
export function ChecksStep({plan = [], results, running, height, columns = 80, isActive = true}: {plan?: readonly PlannedCheck[]; results: CheckResult[]; running: boolean; height: number; columns?: number; isActive?: boolean}) {
	const [tick, setTick] = useState(0);
	useEffect(() => {
		if (!running) return;
		const timer = setInterval(() => setTick(t => t + 1), 120);
		return () => clearInterval(timer);
	}, [running]);
	const spinner = SPINNER[tick % SPINNER.length]!;
	const lines = boardLines(plan, results, {columns, spinner});
	// Always on screen while the checks run, whatever is scrolled out of view: what they wait on.
	const waitingOn = runningChecks(plan, results).map(c => c.title);
	return (
		<Box flexDirection="column">
			<Scrolled
				items={lines}
				height={height - (running ? 1 : 0)}
				isActive={isActive}
				render={line => (
					<Text key={line.key} wrap="truncate" bold={line.bold} dimColor={line.dim} color={line.tone ? tint(line.tone) : undefined}>
						{line.mark ? (
							<>
								{line.indent}
								<Text color={tint(COLOR[line.status ?? 'pass'])}>{line.mark}</Text>{' '}
							</>
						) : null}
						{line.text}
					</Text>
				)}
			/>
			{running && (
				<Text color={tint('cyan')} wrap="truncate">
					{spinner} Checking… {results.length}
					{plan.length > 0 ? ` of ${plan.length}` : ''} done{waitingOn.length > 0 ? `; waiting on ${waitingOn.join(', ')}` : ''}
				</Text>
			)}
		</Box>
	);
}
