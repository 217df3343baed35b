/**
 * A list taller than its room: the rows that fit, with "↑ n more" / "↓ n more" where rows
 * are hidden, scrolled with ↑↓, PgUp/PgDn, Home/End while active.
 */
import {Box, Text, useInput} from 'ink';
import {useState, type ReactNode} from 'react';
import {windowOf} from '../layout.js';

export function Scrolled<T>({items, height, isActive = true, render}: {items: readonly T[]; height: number; isActive?: boolean; render: (item: T, index: number) => ReactNode}) {
	const [offset, setOffset] = useState(0);
	const view = windowOf(items, Math.max(3, height), offset);
	const page = Math.max(1, view.shown.length - 1);
	useInput(
		(_input, key) => {
			if (key.upArrow) setOffset(view.offset - 1);
			else if (key.downArrow) setOffset(view.offset + 1);
			else if (key.pageUp) setOffset(view.offset - page);
			else if (key.pageDown) setOffset(view.offset + page);
			else if (key.home) setOffset(0);
			else if (key.end) setOffset(items.length);
		},
		{isActive: isActive && (view.above > 0 || view.below > 0)},
	);
	return (
		<Box flexDirection="column">
			{view.above > 0 && <Text dimColor>↑ {view.above} more (↑ PgUp)</Text>}
			{view.shown.map((item, index) => render(item, view.offset + index))}
			{view.below > 0 && <Text dimColor>↓ {view.below} more (↓ PgDn)</Text>}
		</Box>
	);
}
