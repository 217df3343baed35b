import {Box, Text} from 'ink';

const HELP = [
	'The wizard walks you from an empty executor to a custom CCE node image:',
	'workspace (the kit) → preset → settings → access keys → checks → review → build → result.',
	'',
	'Keys: Enter confirms · Esc goes back one step (answers are kept) · ? this help · q or Ctrl+C quit (asks first).',
	'Lists: ↑/↓ choose, Enter picks; "Type a value…" lets you enter anything.',
	'Checks: r runs them again · c applies a suggested correction · Enter continues (with warnings too).',
	'Review: Enter builds · s saves a preset · w writes build.env · e edits a setting.',
	'Build: Ctrl+C cancels cleanly (Packer deletes what it created) · l full log.',
	'',
	'Keys (AK/SK) live only in memory and in Packer\'s environment: never in presets, build.env or logs.',
	'Non-interactive: cce-image-wizard build --preset NAME --yes (see --help).',
];

export function HelpOverlay() {
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			{HELP.map((line, index) => (
				<Text key={index} wrap="wrap">
					{line || ' '}
				</Text>
			))}
			<Text dimColor>Esc or ? closes this help.</Text>
		</Box>
	);
}
