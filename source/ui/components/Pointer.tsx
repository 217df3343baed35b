import {Box, Text} from 'ink';
import {tint} from '../theme.js';

/**
 * The pointer beside a list item. Its box never shrinks: with ink-select-input's own, a
 * label long enough to wrap squeezed the gap away (`❯broken`).
 */
export function Pointer({isSelected = false}: {isSelected?: boolean}) {
	return (
		<Box marginRight={1} flexShrink={0}>
			<Text color={isSelected ? tint('blue') : undefined}>{isSelected ? '❯' : ' '}</Text>
		</Box>
	);
}
