/**
 * A one-line text field that edits as a shell does (see editing.ts): several keys in one
 * chunk, Ctrl+A/E/U/K/W, Alt+B/F, a paste that ends in a newline submits. It only listens
 * while `isActive`: a key that answers an overlay never reaches the field beneath.
 */
import {Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import {applyEdits, editsOf, startEditing, type Editing} from './editing.js';

export type TextFieldProps = {
	/** The text the field starts with (remount it with a new `key` to start over). */
	defaultValue?: string;
	placeholder?: string;
	/** Shown instead of each character (secrets). */
	mask?: string;
	isActive?: boolean;
	onChange?: (value: string) => void;
	/** Always the latest text, even when keys came faster than renders. */
	onSubmit: (value: string) => void;
};

export function TextField({defaultValue = '', placeholder = '', mask, isActive = true, onChange, onSubmit}: TextFieldProps) {
	const editing = useRef<Editing>(startEditing(defaultValue));
	const [shown, setShown] = useState<Editing>(editing.current);

	useInput(
		(input, key) => {
			const edits = editsOf(input, key);
			if (edits.length === 0) return;
			const before = editing.current;
			const {state, submitted} = applyEdits(before, edits);
			editing.current = state;
			setShown(state);
			if (state.value !== before.value) onChange?.(state.value);
			if (submitted) onSubmit(state.value);
		},
		{isActive},
	);

	const chars = [...shown.value].map(char => (mask ? mask : char));
	if (chars.length === 0) {
		const [first = ' ', ...rest] = [...placeholder];
		return (
			<Text>
				{isActive ? <Text inverse>{first}</Text> : <Text dimColor>{first}</Text>}
				<Text dimColor>{rest.join('')}</Text>
			</Text>
		);
	}
	const before = chars.slice(0, shown.cursor).join('');
	const under = chars[shown.cursor] ?? ' ';
	const after = chars.slice(shown.cursor + 1).join('');
	return (
		<Text>
			{before}
			{isActive ? <Text inverse>{under}</Text> : under}
			{after}
		</Text>
	);
}
