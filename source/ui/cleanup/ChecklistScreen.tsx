/**
 * The after-build checklist: each item with its state, what was found, and the actions it
 * offers. Every deletion or redaction asks first; deleting the access key asks for a typed
 * "delete". Progress is saved after every change.
 */
import {Box, Text, useInput} from 'ink';
import {useEffect, useState} from 'react';
import {
	deleteLeftover,
	deleteLogs,
	deleteTheAccessKey,
	filesToScan,
	logFiles,
	recordItem,
	redactFiles,
	verifyChecklist,
	type CleanupContext,
	type Item,
} from '../../core/cleanup/checklist.js';
import type {State} from '../../core/state.js';
import {Footer} from '../components/Footer.js';
import {TextField} from '../components/text-field/TextField.js';
import {tint} from '../theme.js';

const MARK = {todo: '☐', done: '☑', verified: '✔', skipped: '–'} as const;
const COLOR = {todo: 'yellow', done: 'green', verified: 'green', skipped: 'gray'} as const;

type Mode =
	| {kind: 'list'}
	| {kind: 'busy'; text: string}
	| {kind: 'confirm'; question: string; answer: (yes: boolean) => void}
	| {kind: 'typed'; prompt: string; submit: (value: string) => Promise<string | undefined>};

export function ChecklistScreen({context, state, onDone}: {context: CleanupContext; state: State; onDone: () => void}) {
	const [items, setItems] = useState<Item[]>();
	const [selected, setSelected] = useState(0);
	const [mode, setMode] = useState<Mode>({kind: 'busy', text: 'Verifying…'});
	const [message, setMessage] = useState<string>();
	const buildId = context.build.id;

	const verify = async (note?: string) => {
		setMode({kind: 'busy', text: 'Verifying…'});
		const found = await verifyChecklist(context, state.checklist(buildId));
		for (const item of found) if (item.state === 'verified') recordItem(state, buildId, item.id, 'verified');
		setItems(found);
		setMessage(note);
		setMode({kind: 'list'});
	};

	useEffect(() => {
		void verify();
	}, []);

	const item = items?.[selected];

	/** Runs a change, then verifies again and says how it went. */
	const run = (work: () => Promise<string>) => {
		setMode({kind: 'busy', text: 'Working…'});
		void work().then(
			note => verify(note),
			(error: Error) => verify(`Failed: ${error.message}`),
		);
	};

	const confirm = (question: string, work: () => Promise<string>) =>
		setMode({kind: 'confirm', question, answer: yes => (yes ? run(work) : setMode({kind: 'list'}))});

	/** Asks about each leftover in turn; each yes deletes that one. */
	const askDeletions = (current: Item) => {
		const resources = current.findings.flatMap(f => (f.resource ? [f.resource] : []));
		const deleted: string[] = [];
		const failed: string[] = [];
		const ask = (index: number) => {
			const resource = resources[index];
			if (!resource) {
				return void verify([deleted.length > 0 ? `Deleted: ${deleted.join(', ')}.` : 'Nothing deleted.', ...failed].join(' '));
			}
			const name = `${resource.kind} ${resource.id}${resource.name && resource.name !== resource.id ? ` (${resource.name})` : ''}`;
			setMode({
				kind: 'confirm',
				question: `Delete ${name}? y/n`,
				answer: yes => {
					if (!yes) return ask(index + 1);
					setMode({kind: 'busy', text: `Deleting ${name}…`});
					void deleteLeftover(context, resource).then(
						() => {
							deleted.push(name);
							ask(index + 1);
						},
						(error: Error) => {
							failed.push(`Could not delete ${name}: ${error.message}`);
							ask(index + 1);
						},
					);
				},
			});
		};
		ask(0);
	};

	useInput((input, key) => {
		if (mode.kind === 'busy' || mode.kind === 'typed') {
			if (mode.kind === 'typed' && key.escape) setMode({kind: 'list'});
			return;
		}
		if (mode.kind === 'confirm') {
			if (input === 'y') mode.answer(true);
			else if (input === 'n' || key.escape) mode.answer(false);
			return;
		}
		if (!items || !item) return;
		if (key.upArrow) setSelected(i => Math.max(0, i - 1));
		else if (key.downArrow) setSelected(i => Math.min(items.length - 1, i + 1));
		else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) onDone();
		else if (input === 'v') void verify();
		else if (input === 'm') {
			recordItem(state, buildId, item.id, 'done');
			void verify(`${item.title}: marked done.`);
		} else if (input === 's') {
			setMode({
				kind: 'typed',
				prompt: 'Skip it because: ',
				submit: async reason => {
					recordItem(state, buildId, item.id, 'skipped', reason || 'no reason given');
					return `${item.title}: skipped.`;
				},
			});
		} else if (input === 'd' && item.actions.includes('delete-resources')) askDeletions(item);
		else if (input === 'r' && item.actions.includes('redact')) {
			const links = item.findings.filter(f => f.message.includes(' is a link to ')).length > 0 ? ' Links are followed: the files they point to are changed (see above).' : '';
			confirm(`Replace your keys in ${new Set(item.findings.map(f => f.file)).size} file(s) with <… redacted>? Only the exact keys change; other key-shaped strings stay.${links} y/n`, async () => {
				const files = item.id === 'logs' ? await logFiles(context.workspace) : await filesToScan(context);
				return `Redacted ${(await redactFiles(files, context.keys)).length} file(s).`;
			});
		} else if (input === 'x' && item.actions.includes('delete-logs')) {
			confirm('Delete every log in logs/? y/n', async () => {
				await deleteLogs(await logFiles(context.workspace));
				return 'Deleted the logs.';
			});
		} else if (input === 'k' && item.actions.includes('delete-access-key')) {
			setMode({
				kind: 'typed',
				prompt: 'This ends the wizard\'s access. Type delete to delete the access key: ',
				submit: async typed => {
					if (typed.trim() !== 'delete') return 'Not deleted (type delete to confirm).';
					await deleteTheAccessKey(context);
					return 'Access key deleted.';
				},
			});
		}
	});

	const actionKeys: Array<[string, string]> = [];
	if (item?.actions.includes('delete-resources')) actionKeys.push(['d', 'delete (asks each)']);
	if (item?.actions.includes('redact')) actionKeys.push(['r', 'redact']);
	if (item?.actions.includes('delete-logs')) actionKeys.push(['x', 'delete logs']);
	if (item?.actions.includes('delete-access-key')) actionKeys.push(['k', 'delete the key']);

	return (
		<Box flexDirection="column">
			<Text bold>
				After the build: cleanup checklist <Text dimColor>(build {buildId}, {context.build.outcome ?? 'no recorded end'})</Text>
			</Text>
			{(items ?? []).map((it, index) => (
				<Text key={it.id} wrap="wrap" inverse={index === selected}>
					<Text color={tint(COLOR[it.state])}>{MARK[it.state]}</Text> {it.title}: {it.detail}
					{it.needsKeys && !/needs keys/.test(it.detail) ? ' (needs keys)' : ''}
				</Text>
			))}
			{item && (
				<Box flexDirection="column" marginTop={1}>
					<Text dimColor wrap="wrap">
						{item.explanation}
					</Text>
					{item.findings.slice(0, 8).map((f, index) => (
						<Text key={index} wrap="wrap">
							{'  '}
							{f.file ? `${f.file}${f.line ? `:${f.line}` : ''} ` : ''}
							{f.message}
						</Text>
					))}
				</Box>
			)}
			{mode.kind === 'busy' && <Text color={tint('cyan')}>{mode.text}</Text>}
			{mode.kind === 'confirm' && <Text color={tint('yellow')}>{mode.question}</Text>}
			{mode.kind === 'typed' && (
				<Box>
					<Text color={tint('yellow')}>{mode.prompt}</Text>
					<TextField key={mode.prompt} onSubmit={value => run(async () => (await mode.submit(value)) ?? '')} />
				</Box>
			)}
			{message && <Text color={tint('cyan')}>{message}</Text>}
			<Footer keys={[['↑↓', 'choose'], ...actionKeys, ['m', 'mark done'], ['s', 'skip'], ['v', 'verify again'], ['q', 'done for now']]} />
		</Box>
	);
}
