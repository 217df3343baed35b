import {Box, Text} from 'ink';

/** The last lines of the log that fit: never taller than `height`, each cut to one row. */
export function LogPane({lines, height}: {lines: string[]; height: number}) {
	const shown = lines.slice(-Math.max(0, height));
	return (
		<Box flexDirection="column" height={Math.max(0, height)} overflow="hidden">
			{shown.map((line, index) => (
				<Text key={index} wrap="truncate" dimColor>
					{line.replace(/\r/g, '') || ' '}
				</Text>
			))}
		</Box>
	);
}
