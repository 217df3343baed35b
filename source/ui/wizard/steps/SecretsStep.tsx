import {Box, Text} from 'ink';
import {useState} from 'react';
import {mask} from '../../../core/secrets.js';
import {checkValue, setting} from '../../../core/settings.js';
import {TextField} from '../../components/text-field/TextField.js';
import {tint} from '../../theme.js';

/**
 * The access key and secret key: masked as typed, or the exported ones (shown as ****WXYZ).
 * They stay in memory: nothing here writes them anywhere.
 */
export function SecretsStep({exported, field, accessKey = '', onKey, isActive = true}: {
	exported: {accessKey?: string; secretKey?: string};
	/** The key asked now (the wizard's state keeps it, so Esc on the secret key goes back to the access key). */
	field: 'access_key' | 'secret_key';
	/** The access key already given, shown masked while the secret key is asked. */
	accessKey?: string;
	onKey: (field: 'access_key' | 'secret_key', value: string) => void;
	isActive?: boolean;
}) {
	const [problem, setProblem] = useState<string>();
	const s = setting(field);
	const fromEnv = field === 'access_key' ? exported.accessKey : exported.secretKey;

	const submit = (text: string) => {
		const value = text.trim() || fromEnv || '';
		const issue = checkValue(s, value);
		if (issue) return setProblem(issue);
		setProblem(undefined);
		onKey(field, value);
	};

	return (
		<Box flexDirection="column">
			<Text>
				Use a <Text bold>temporary</Text> access key for this build, and delete it afterwards. Keys are never saved.
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
		</Box>
	);
}
