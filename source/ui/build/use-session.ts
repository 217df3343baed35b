/**
 * Follows a BuildSession at a bounded pace: however many lines arrive, the screen
 * re-renders at most every `intervalMs` (and once a second for the clock), never per line.
 */
import {useEffect, useState} from 'react';
import type {BuildSession} from '../../core/run/session.js';

export function useSession(session: BuildSession, intervalMs = 100): {version: number; now: number} {
	const [tick, setTick] = useState({version: session.version, now: Date.now()});
	useEffect(() => {
		const timer = setInterval(() => {
			setTick(previous => {
				const now = Date.now();
				// Re-render when something happened, and for the clock once a second.
				if (previous.version === session.version && Math.floor(now / 1000) === Math.floor(previous.now / 1000)) return previous;
				return {version: session.version, now};
			});
		}, intervalMs);
		return () => clearInterval(timer);
	}, [session, intervalMs]);
	return tick;
}
