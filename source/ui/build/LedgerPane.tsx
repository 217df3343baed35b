import {Box, Text} from 'ink';
import {describeEntry} from '../../core/run/report.js';
import type {LedgerEntry} from '../../core/state.js';
import {tint} from '../theme.js';

/** How many rows the pane takes. */
export const ledgerHeight = (entries: LedgerEntry[]) => 1 + entries.length;

/** What exists in the account right now because of this build, one resource a line. */
export function LedgerPane({entries}: {entries: LedgerEntry[]}) {
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">
				<Text bold>In your account now: </Text>
				{entries.length === 0 ? <Text dimColor>nothing from this build</Text> : <Text dimColor>(deleted by Packer at the end)</Text>}
			</Text>
			{entries.map(entry => (
				<Text key={`${entry.kind}:${entry.id}`} color={tint('yellow')} wrap="truncate">
					{'  '}
					{describeEntry(entry)}
				</Text>
			))}
		</Box>
	);
}
