/**
 * The build's progress panes: stages, what exists in the account, the log, and a status
 * line with the keys. Ctrl+C cancels cleanly; a second asks for a third, which forces.
 */
import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
import {formatDuration, resultLines} from '../../core/run/report.js';
import {interruptBuild, type BuildSession} from '../../core/run/session.js';
import {tint} from '../theme.js';
import {useTerminalSize} from '../use-terminal-size.js';
import {LedgerPane, ledgerHeight} from './LedgerPane.js';
import {LogPane} from './LogPane.js';
import {StageList} from './StageList.js';
import {useSession} from './use-session.js';

export type BuildControls = {session: BuildSession; cancel: () => void; forceStop: () => void; packerLog: string};

/** The full log's scroll keys, and how far back the view is. */
const scrollKeys = (back: number) => ` · ↑↓ PgUp PgDn scroll · ${back > 0 ? `${back} newer below (End follows)` : 'following'}`;

export function BuildScreen({controls, title, onContinue}: {controls: BuildControls; title?: string; onContinue?: () => void}) {
	const {session} = controls;
	const {now} = useSession(session);
	const {rows} = useTerminalSize();
	// Counted in the session (key presses can arrive faster than re-renders, and signals count too).
	const presses = session.interrupts;
	const [fullLog, setFullLog] = useState(false);
	// Scrolling the full log: how far above the newest line, counted when the operator scrolled
	// (`at`), so the lines read stay put while new ones arrive. back 0 follows the log.
	const [scroll, setScroll] = useState({back: 0, at: 0});
	const finished = session.phase === 'finished';

	useInput((input, key) => {
		if (key.ctrl && input === 'c') {
			if (finished) {
				onContinue?.();
				return;
			}
			interruptBuild(controls);
			return;
		}
		if (input === 'l') {
			setFullLog(value => !value);
			setScroll({back: 0, at: 0});
		}
		if (fullLog) {
			const page = Math.max(1, logHeight - 1);
			const move = key.upArrow ? 1 : key.downArrow ? -1 : key.pageUp ? page : key.pageDown ? -page : key.home ? Number.MAX_SAFE_INTEGER : key.end ? Number.MIN_SAFE_INTEGER : 0;
			if (move !== 0) setScroll({back: Math.min(Math.max(0, back + move), Math.max(0, available - logHeight)), at: session.log.total});
		}
		if (finished && key.return) onContinue?.();
	});

	const elapsed = formatDuration((session.result ? session.startedAt + session.result.durationMs : now) - session.startedAt);
	const running = session.runningStage;
	const banner: string[] = [];
	if (session.phase === 'cancelling' && presses < 2) banner.push('Cancelling — Packer is deleting the temporary resources (ECS, EIP, disk, key pair). Please wait.');
	if (session.phase === 'cancelling' && presses >= 2) banner.push('Quitting now can leave billable resources behind (see "In your account now"). Ctrl+C once more to force.');
	if (session.phase === 'forcing') banner.push('Stopping Packer at once. What it had not deleted is listed below.');
	if (session.phase === 'distributing') {
		const artifact = session.progress.artifact?.id;
		banner.push(`The image exists: ${artifact ?? '(see the log)'}. Copying, sharing and tagging it; Ctrl+C stops waiting (started copies go on in IMS).`);
	}
	const result = session.result ? resultLines(session.result) : [];

	// Heights: the whole frame stays shorter than the terminal, so Ink never scrolls it.
	const fixed = 1 + ledgerHeight(session.progress.ledger) + banner.length + 1 + (result.length > 0 ? result.length + 1 : 0) + 1;
	const stageHeight = fullLog ? 0 : Math.min(session.progress.stages.length + 2, Math.max(5, Math.floor((rows - fixed) * 0.5)));
	const logHeight = Math.max(1, rows - fixed - stageHeight - 1);
	const available = Math.min(session.log.total, session.log.capacity);
	const back = fullLog && scroll.back > 0 ? Math.min(scroll.back + (session.log.total - scroll.at), Math.max(0, available - logHeight)) : 0;
	const logLines = back > 0 ? session.log.tail(logHeight + back).slice(0, logHeight) : session.log.tail(logHeight);

	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate">
				{title ?? 'Building the image'} <Text dimColor>· {elapsed}</Text>
			</Text>
			{!fullLog && <StageList stages={session.progress.stages} height={stageHeight} now={now} />}
			<LedgerPane entries={session.progress.ledger} />
			{banner.map(line => (
				<Text key={line} color={tint('yellow')} wrap="truncate">
					{line}
				</Text>
			))}
			<LogPane lines={logLines} height={logHeight} />
			{result.length > 0 && (
				<Box flexDirection="column" marginTop={0}>
					{result.map((line, index) => (
						<Text key={index} color={index === 0 ? tint(session.result?.outcome === 'success' ? 'green' : 'red') : undefined} bold={index === 0} wrap="truncate">
							{line}
						</Text>
					))}
				</Box>
			)}
			<Text dimColor wrap="truncate">
				{/* Keys first: they must survive truncation on a narrow terminal. */}
				{finished
					? `${onContinue ? 'Enter continue · ' : ''}l ${fullLog ? 'stages' : 'full log'}${fullLog ? scrollKeys(back) : ''} · log ${controls.packerLog}`
					: `Ctrl+C ${presses === 0 ? 'cancel' : 'force'} · l ${fullLog ? 'stages' : 'full log'}${fullLog ? scrollKeys(back) : ''} · ${running ? running.title : session.phase} · log ${controls.packerLog}`}
			</Text>
		</Box>
	);
}
