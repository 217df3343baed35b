import {Text} from 'ink';

/** The keys of the current screen, always on its last line. */
export function Footer({keys}: {keys: Array<[string, string]>}) {
	return (
		<Text dimColor wrap="truncate">
			{keys.map(([key, what]) => `${key} ${what}`).join(' · ')}
		</Text>
	);
}
