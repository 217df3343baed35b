import {Box, Text} from 'ink';
import {tint} from '../theme.js';

/** The wizard's title line: where the operator is among the steps. */
export function Header({steps, current}: {steps: string[]; current: number}) {
	return (
		<Box>
			<Text bold color={tint('cyan')}>
				cce-image-wizard{' '}
			</Text>
			<Text wrap="truncate">
				{steps.map((title, index) => (
					<Text key={title} bold={index === current} dimColor={index !== current}>
						{index > 0 ? ' › ' : ''}
						{title}
					</Text>
				))}
			</Text>
		</Box>
	);
}
