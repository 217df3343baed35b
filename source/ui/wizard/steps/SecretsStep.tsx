import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
import {mask} from '../../../core/secrets.js';
import {checkValue, CREDENTIAL_MODES, setting, type CredentialMode} from '../../../core/settings.js';
import {TextField} from '../../components/text-field/TextField.js';
import {tint} from '../../theme.js';

/** One line each: what Packer gets with each way. */
export const WAYS: Record<CredentialMode, string> = {
	key: 'your key goes to Packer, as the procedure does',
	temporary: 'mints an expiring key; Packer never sees yours',
	agency: "the executor's IAM agency: no key at all",
};

/**
 * How Packer gets its credential (↑↓ picks one of the three ways while the access key is asked),
 * then the access key and secret key for `key` and `temporary`: masked as typed, or the exported
 * ones (shown as ****WXYZ). They stay in memory: nothing here writes them anywhere.
 */
export function SecretsStep({
	exported,
	field,
	accessKey = '',
	way = 'key',
	suggested,
	onKey,
	onWay,
	isActive = true,
}: {
	exported: {accessKey?: string; secretKey?: string};
	/** The key asked now (the wizard's state keeps it, so Esc on the secret key goes back to the access key). */
	field: 'access_key' | 'secret_key';
	/** The access key already given, shown masked while the secret key is asked. */
	accessKey?: string;
	/** The way chosen (or suggested) so far. */
	way?: CredentialMode;
	/** The way the kit suggests (temporary when it pins plugin 1.x), marked as such. */
	suggested?: CredentialMode;
	/** A key as submitted (valid); with the agency, the secret key's turn comes at once with no value. */
	onKey: (field: 'access_key' | 'secret_key', value: string, way: CredentialMode) => void;
	onWay?: (way: CredentialMode) => void;
	isActive?: boolean;
}) {
	const [problem, setProblem] = useState<string>();
	const s = setting(field);
	const fromEnv = field === 'access_key' ? exported.accessKey : exported.secretKey;

	// ↑↓ (or Tab) moves between the ways while the access key is asked; the field ignores those keys.
	// With the agency there is no field: Enter goes on.
	useInput(
		(_input, key) => {
			if (way === 'agency' && key.return) return onKey('secret_key', '', 'agency');
			if (field !== 'access_key' || !(key.upArrow || key.downArrow || key.tab)) return;
			const index = CREDENTIAL_MODES.indexOf(way);
			const step = key.upArrow || (key.tab && key.shift) ? -1 : 1;
			onWay?.(CREDENTIAL_MODES[(index + step + CREDENTIAL_MODES.length) % CREDENTIAL_MODES.length]!);
			setProblem(undefined);
		},
		{isActive},
	);

	const submit = (text: string) => {
		const value = text.trim() || fromEnv || '';
		const issue = checkValue(s, value);
		if (issue) return setProblem(issue);
		setProblem(undefined);
		onKey(field, value, way);
	};

	return (
		<Box flexDirection="column">
			<Text>How Packer gets its credential{field === 'access_key' ? <Text dimColor> (↑↓ to choose)</Text> : null}:</Text>
			{CREDENTIAL_MODES.map(m => (
				<Text key={m} wrap="truncate" {...(m === way ? {} : {dimColor: true})}>
					{m === way ? <Text color={tint('cyan')}>› </Text> : '  '}
					<Text bold={m === way}>{m.padEnd(11)}</Text>
					{WAYS[m]}
					{m === suggested && m !== 'key' ? <Text color={tint('green')}> ← suggested</Text> : null}
				</Text>
			))}
			{suggested === 'temporary' && <Text dimColor>The kit pins plugin 1.2.2, which takes temporary credentials: nothing to delete afterwards.</Text>}
			{way === 'agency' ? (
				<Text>No key is asked for: the checks get the agency&apos;s credential from the ECS metadata service. Enter continues.</Text>
			) : (
				<>
					<Text>
						{way === 'temporary' ? (
							'Your key signs one request that mints the temporary credential; it is never saved.'
						) : (
							<>
								Use a <Text bold>temporary</Text> access key for this build, and delete it afterwards. Keys are never saved.
							</>
						)}
					</Text>
					{field === 'secret_key' && <Text dimColor>Access key: {mask(accessKey)}</Text>}
					<Text>
						<Text bold>{s.label}</Text> <Text dimColor>({s.env})</Text>
						{fromEnv ? <Text dimColor> — exported as {mask(fromEnv)}; Enter uses it, or type another</Text> : null}
					</Text>
					<Box>
						<Text color={tint('cyan')}>› </Text>
						<TextField key={field} mask="*" isActive={isActive} onSubmit={submit} />
					</Box>
					{problem && <Text color={tint('red')}>{problem}</Text>}
					<Text dimColor>{s.where ? `Console: ${s.where}.` : ''}</Text>
				</>
			)}
		</Box>
	);
}
