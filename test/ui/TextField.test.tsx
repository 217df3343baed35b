import {Box, Text, useInput} from 'ink';
import {render} from 'ink-testing-library';
import {useState} from 'react';
import {describe, expect, it, vi} from 'vitest';
import {TextField} from '../../source/ui/components/text-field/TextField.js';
import {frameShowing} from '../helpers/ink.js';

/** The field behind a label, so the first frame has something to wait for. */
const Labelled = (props: Parameters<typeof TextField>[0]) => (
	<Box>
		<Text>field: </Text>
		<TextField {...props} />
	</Box>
);

describe('TextField', () => {
	it('takes a chunk of several keys at once: text, Backspaces, and the Enter at its end', async () => {
		const onSubmit = vi.fn();
		const onChange = vi.fn();
		const {stdin, lastFrame} = render(<Labelled defaultValue="cn-north-44" onChange={onChange} onSubmit={onSubmit} />);
		await frameShowing(lastFrame, 'cn-north-44');
		stdin.write('\u007F\u007F4x\u007F\r');
		await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith('cn-north-4'));
		expect(onChange).toHaveBeenLastCalledWith('cn-north-4');
	});

	it('edits with Ctrl+U, Ctrl+A, Ctrl+E and Ctrl+W instead of typing their letters', async () => {
		const onSubmit = vi.fn();
		const {stdin, lastFrame} = render(<Labelled onSubmit={onSubmit} />);
		await frameShowing(lastFrame, 'field:');
		stdin.write('wrong words');
		await frameShowing(lastFrame, 'wrong words');
		stdin.write('\u0017'); // Ctrl+W
		await frameShowing(lastFrame, frame => !frame.includes('words'));
		stdin.write('\u0015'); // Ctrl+U
		await frameShowing(lastFrame, frame => !frame.includes('wrong'));
		stdin.write('image');
		await frameShowing(lastFrame, 'image');
		stdin.write('\u0001'); // Ctrl+A
		stdin.write('my-');
		await frameShowing(lastFrame, 'my-image');
		stdin.write('\u0005'); // Ctrl+E
		stdin.write('-1');
		await frameShowing(lastFrame, 'my-image-1');
		stdin.write('\n');
		await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith('my-image-1'));
	});

	it('submits a pasted value that ends in a newline', async () => {
		const onSubmit = vi.fn();
		const {stdin, lastFrame} = render(<Labelled onSubmit={onSubmit} />);
		await frameShowing(lastFrame, 'field:');
		stdin.write('0a1b2c3d4e5f40718293a4b5c6d7e8f9\n');
		await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith('0a1b2c3d4e5f40718293a4b5c6d7e8f9'));
	});

	it('masks what is typed', async () => {
		const {stdin, lastFrame} = render(<Labelled mask="*" onSubmit={vi.fn()} />);
		await frameShowing(lastFrame, 'field:');
		stdin.write('SECRET');
		const frame = await frameShowing(lastFrame, '******');
		expect(frame).not.toContain('SECRET');
	});

	it('hears nothing while inactive: the key that answers an overlay stays out of the field', async () => {
		function WithOverlay() {
			const [overlay, setOverlay] = useState(false);
			const [value, setValue] = useState('');
			useInput((input, key) => {
				if (key.ctrl && input === 'c') setOverlay(true);
				else if (overlay && input === 'n') setOverlay(false);
			});
			return (
				<Box flexDirection="column">
					<TextField isActive={!overlay} onChange={setValue} onSubmit={vi.fn()} />
					<Text>value={value}|</Text>
					{overlay && <Text>Quit? y/n</Text>}
				</Box>
			);
		}
		const {stdin, lastFrame} = render(<WithOverlay />);
		await frameShowing(lastFrame, 'value=|');
		stdin.write('ab');
		await frameShowing(lastFrame, 'value=ab|');
		stdin.write('\u0003');
		await frameShowing(lastFrame, 'Quit? y/n');
		stdin.write('n');
		await frameShowing(lastFrame, frame => !frame.includes('Quit?'));
		stdin.write('c');
		await frameShowing(lastFrame, 'value=abc|');
	});
});
