import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import {Pointer} from '../../components/Pointer.js';
import {useState} from 'react';
import type {Answer} from '../../../core/answers.js';
import type {BuildCredential} from '../../../core/cloud/credential.js';
import {presetNameProblem} from '../../../core/presets.js';
import {SETTINGS} from '../../../core/settings.js';
import {Scrolled} from '../../components/Scrolled.js';
import {wrapText} from '../../layout.js';
import {reviewLines} from '../review-lines.js';
import {TextField} from '../../components/text-field/TextField.js';
import {tint} from '../../theme.js';

export type ReviewActions = {
	save: (name: string, force: boolean) => Promise<'saved' | 'exists' | string>;
	writeEnv: () => Promise<string>;
	edit: (key: string) => void;
	build: () => void;
};

export type Mode = {kind: 'table'} | {kind: 'name'; value: string; problem?: string} | {kind: 'overwrite'; name: string} | {kind: 'edit'};

/** Every setting with its value and source, the environment Packer gets, the command; save, write, edit, build. */
export function ReviewStep({answers, credential, presetName, workspace, height, columns = 80, actions, onModeChange, isActive = true}: {answers: Map<string, Answer>; credential?: BuildCredential; presetName?: string; workspace: string; height: number; columns?: number; actions: ReviewActions; onModeChange: (mode: Mode['kind']) => void; isActive?: boolean}) {
	const [mode, setModeState] = useState<Mode>({kind: 'table'});
	const [message, setMessage] = useState<string>();
	const setMode = (next: Mode) => {
		setModeState(next);
		onModeChange(next.kind);
	};

	// In the name prompt the text field has the keys (Esc aside); behind an overlay, nothing here listens.
	useInput((input, key) => {
			if (mode.kind === 'name') {
				if (key.escape) setMode({kind: 'table'});
				return;
			}
			if (mode.kind === 'overwrite') {
				if (input === 'y') {
					void actions.save(mode.name, true).then(result => setMessage(result === 'saved' ? `Saved presets/${mode.name}.json (no keys).` : result));
					setMode({kind: 'table'});
				} else if (input === 'n' || key.escape) setMode({kind: 'table'});
				return;
			}
			if (mode.kind !== 'table') {
				if (key.escape) setMode({kind: 'table'});
				return;
			}
			if (input === 's') setMode({kind: 'name', value: presetName ?? ''});
			else if (input === 'w') void actions.writeEnv().then(setMessage);
			else if (input === 'e') setMode({kind: 'edit'});
			else if (key.return) actions.build();
	}, {isActive});

	const width = Math.max(...SETTINGS.map(s => s.label.length));
	const lines = reviewLines(answers, workspace, columns, credential);
	// Rows under the table: the prompt and its problem, or the last message.
	const below = (mode.kind === 'name' ? 1 + (mode.problem ? 1 : 0) : mode.kind === 'overwrite' ? 1 : 0) + (message ? wrapText(message, columns).length : 0);

	if (mode.kind === 'edit') {
		return (
			<Box flexDirection="column">
				<Text>Which setting? (Esc back)</Text>
				<SelectInput
				indicatorComponent={Pointer}
					isFocused={isActive}
					limit={Math.max(5, height - 2)}
					items={SETTINGS.filter(s => !s.secret).map(s => ({key: s.key, label: `${s.label.padEnd(width)}  ${answers.get(s.key)?.value || '(empty)'}`, value: s.key}))}
					onSelect={item => {
						setMode({kind: 'table'});
						actions.edit(item.value);
					}}
				/>
			</Box>
		);
	}

	return (
		<Box flexDirection="column">
			<Scrolled
				items={lines}
				height={height - below}
				isActive={isActive && mode.kind === 'table'}
				render={line => (
					<Text key={line.key} wrap="truncate" dimColor={line.dim} {...(line.warn ? {color: tint('yellow')} : {})}>
						{line.text}
						{line.source ? <Text dimColor> {line.source}</Text> : null}
					</Text>
				)}
			/>
			{mode.kind === 'name' && (
				<Box>
					<Text>Save as preset: </Text>
					<TextField
						defaultValue={mode.value}
						isActive={isActive}
						onSubmit={value => {
							const problem = presetNameProblem(value.trim());
							if (problem) return setMode({kind: 'name', value, problem});
							void actions.save(value.trim(), false).then(result => {
								if (result === 'exists') setMode({kind: 'overwrite', name: value.trim()});
								else {
									setMessage(result === 'saved' ? `Saved presets/${value.trim()}.json (no keys).` : result);
									setMode({kind: 'table'});
								}
							});
						}}
					/>
				</Box>
			)}
			{mode.kind === 'name' && mode.problem && <Text color={tint('red')}>{mode.problem}</Text>}
			{mode.kind === 'overwrite' && <Text color={tint('yellow')}>presets/{mode.name}.json exists. Overwrite it? y/n</Text>}
			{message && <Text color={tint('green')} wrap="wrap">{message}</Text>}
		</Box>
	);
}
