import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import TextInput from 'ink-text-input';
import {useRef, useState} from 'react';
import type {Answer} from '../../../core/answers.js';
import type {Choice} from '../../../core/cloud/lists.js';
import {checkValue, type Setting} from '../../../core/settings.js';
import {tint} from '../../theme.js';

const FREE_TEXT = '\u0000free';

/**
 * One setting: its help, its default, live validation as it is typed; or a list from the
 * cloud with "Type a value…" always there.
 */
export function QuestionStep({setting, answer, choices, position, onAnswer}: {setting: Setting; answer: Answer; choices?: Choice[] | 'loading'; position: string; onAnswer: (value: string) => void}) {
	const [value, setValue] = useState(answer.value);
	// The latest text, for Enter: the text field's own handler can still hold the text of the
	// previous render when keys come faster than renders (a paste, Backspace then Enter).
	const latest = useRef(answer.value);
	const [typing, setTyping] = useState(false);
	const [submitted, setSubmitted] = useState(false);
	const problem = checkValue(setting, value.trim());
	const listed = Array.isArray(choices) && choices.length > 0 && !typing;
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
			{listed ? (
				<SelectInput
					items={[...choices.map(c => ({key: c.value || '(empty)', label: c.label, value: c.value})), {key: FREE_TEXT, label: 'Type a value…', value: FREE_TEXT}]}
					limit={10}
					onSelect={item => (item.value === FREE_TEXT ? setTyping(true) : onAnswer(item.value))}
				/>
			) : (
				<Box>
					<Text color={tint('cyan')}>› </Text>
					<TextInput
						value={value}
						placeholder={setting.default ? `Enter keeps ${setting.default}` : ''}
						onChange={next => {
							latest.current = next;
							setValue(next);
							setSubmitted(false);
						}}
						onSubmit={() => {
							const typed = latest.current.trim();
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
