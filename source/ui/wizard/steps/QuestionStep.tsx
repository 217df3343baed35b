import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import {Pointer} from '../../components/Pointer.js';
import {useEffect, useState} from 'react';
import type {Answer} from '../../../core/answers.js';
import type {Choice} from '../../../core/cloud/lists.js';
import {checkValue, type Setting} from '../../../core/settings.js';
import {TextField} from '../../components/text-field/TextField.js';
import {tint} from '../../theme.js';

const FREE_TEXT = '\u0000free';

/**
 * One setting: its help, its default, live validation as it is typed; or a list from the
 * cloud with "Type a value…" always there.
 */
export type Choices = Choice[] | 'loading' | {error: string};

export function QuestionStep({setting, answer, choices, position, onAnswer, onListedChange, isActive = true}: {setting: Setting; answer: Answer; choices?: Choices; position: string; onAnswer: (value: string) => void; onListedChange?: (listed: boolean) => void; isActive?: boolean}) {
	const [value, setValue] = useState(answer.value);
	const [typing, setTyping] = useState(false);
	const [submitted, setSubmitted] = useState(false);
	const problem = checkValue(setting, value.trim());
	const listed = Array.isArray(choices) && choices.length > 0 && !typing;
	useEffect(() => onListedChange?.(listed), [listed]);
	// The list starts on the current value, else the default: Enter keeps what the screen says.
	const start = Array.isArray(choices) ? [answer.value, setting.default ?? ''].map(v => choices.findIndex(c => c.value === v && v !== '')).find(i => i >= 0) : undefined;
	return (
		<Box flexDirection="column">
			<Text>
				<Text dimColor>{position} </Text>
				<Text bold>{setting.label}</Text> <Text dimColor>({setting.env})</Text>
			</Text>
			<Text dimColor wrap="wrap">
				{setting.help}
				{setting.where ? ` Console: ${setting.where}.` : ''}
			</Text>
			{setting.default !== undefined && setting.default !== '' && <Text dimColor>Default: {setting.default}</Text>}
			{choices === 'loading' && <Text dimColor>Asking the cloud for the choices…</Text>}
			{choices !== undefined && typeof choices === 'object' && 'error' in choices && (
				<Text color={tint('yellow')} wrap="wrap">
					No list from the cloud ({choices.error}): type the value.
				</Text>
			)}
			{listed ? (
				<SelectInput
				indicatorComponent={Pointer}
					items={[...choices.map(c => ({key: c.value || '(empty)', label: c.label, value: c.value})), {key: FREE_TEXT, label: 'Type a value…', value: FREE_TEXT}]}
					limit={10}
					initialIndex={start ?? 0}
					isFocused={isActive}
					onSelect={item => (item.value === FREE_TEXT ? setTyping(true) : onAnswer(item.value))}
				/>
			) : (
				<Box>
					<Text color={tint('cyan')}>› </Text>
					<TextField
						defaultValue={answer.value}
						placeholder={setting.default ? `Enter keeps ${setting.default}` : ''}
						isActive={isActive}
						onChange={next => {
							setValue(next);
							setSubmitted(false);
						}}
						onSubmit={text => {
							const typed = text.trim();
							setSubmitted(true);
							if (!checkValue(setting, typed)) onAnswer(typed);
						}}
					/>
				</Box>
			)}
			{!listed && value !== '' && problem && <Text color={tint(submitted ? 'red' : 'yellow')}>{problem}</Text>}
			{!listed && value === '' && submitted && problem && <Text color={tint('red')}>{problem}</Text>}
		</Box>
	);
}
