import {Box, Text, useInput} from 'ink';

/** No kit here yet: what `init` will create, and Enter to lay it out. */
export function WorkspaceStep({workspace, files, onInit, isActive = true}: {workspace: string; files: string[]; onInit: () => void; isActive?: boolean}) {
	useInput((_input, key) => {
		if (key.return) onInit();
	}, {isActive});
	return (
		<Box flexDirection="column">
			<Text>
				There is no builder kit in <Text bold>{workspace}</Text>. Enter lays it out here (nothing existing is overwritten):
			</Text>
			{files.map(file => (
				<Text key={file} dimColor>
					{'  '}+ {file}
				</Text>
			))}
		</Box>
	);
}
