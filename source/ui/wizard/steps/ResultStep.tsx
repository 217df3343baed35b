import {Box, Text} from 'ink';
import {formatDuration, resultLines} from '../../../core/run/report.js';
import type {BuildResult} from '../../../core/run/session.js';
import {tint} from '../../theme.js';

/** The image ID large and alone on its line (easy to copy), or what failed and what may be left. */
export function ResultStep({result, credentialLines = []}: {result: BuildResult; credentialLines?: string[]}) {
	if (result.outcome === 'success') {
		return (
			<Box flexDirection="column">
				<Text color={tint('green')} bold>
					Image ready in {formatDuration(result.durationMs)}{result.imageName ? `: ${result.imageName}` : ''}
				</Text>
				<Text> </Text>
				<Text>Image ID:</Text>
				<Text bold>{result.imageId}</Text>
				<Text> </Text>
				<Text dimColor>Use it for a node pool: CCE → your cluster → Nodes → Node Pools → Create → OS: Private image.</Text>
				{[...resultLines(result).slice(1), ...credentialLines].map((line, index) => (
					<Text key={index} dimColor wrap="truncate">
						{line}
					</Text>
				))}
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			{[...resultLines(result), ...credentialLines].map((line, index) => (
				<Text key={index} color={index === 0 ? tint('red') : undefined} bold={index === 0} wrap="truncate">
					{line}
				</Text>
			))}
		</Box>
	);
}
