import {Text} from 'ink';
import {fitFooter, type FooterKey} from '../layout.js';

/**
 * The keys of the current screen, always on its last line: those that do not fit are left
 * out from the end of the list, but the last `keep` (help, quit) always stay.
 */
export function Footer({keys, columns = 80, keep = 2}: {keys: FooterKey[]; columns?: number; keep?: number}) {
	return (
		<Text dimColor wrap="truncate">
			{fitFooter(keys, columns, keep)
				.map(([key, what]) => `${key} ${what}`)
				.join(' · ')}
		</Text>
	);
}
