import {Box, Text} from 'ink';
import {fitTrail} from '../layout.js';
import {tint} from '../theme.js';

const NAME = 'cce-image-wizard';

/** The wizard's title line: where the operator is among the steps, always on one line. */
export function Header({steps, current, columns}: {steps: string[]; current: number; columns: number}) {
	// The name goes first when the terminal is too narrow for it and the current step.
	const withName = columns - NAME.length - 1 >= [...(steps[current] ?? '')].length + 8;
	const trail = fitTrail(steps, current, withName ? columns - NAME.length - 1 : columns);
	return (
		<Box>
			{withName && (
				<Text bold color={tint('cyan')}>
					{NAME}{' '}
				</Text>
			)}
			<Text wrap="truncate-end">
				{trail.map((item, index) => (
					<Text key={index} bold={'title' in item && item.current} dimColor={!('title' in item && item.current)}>
						{index > 0 ? ' › ' : ''}
						{'title' in item ? item.title : '…'}
					</Text>
				))}
			</Text>
		</Box>
	);
}
