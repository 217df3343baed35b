/** Colours, or none when NO_COLOR is set (https://no-color.org). */
import type {StageStatus} from '../core/run/progress.js';

export const colorEnabled = (env: Readonly<Record<string, string | undefined>> = process.env): boolean => !env['NO_COLOR'];

/** A colour name for Ink's <Text color>, or undefined when colours are off. */
export function tint(color: string): string | undefined {
	return colorEnabled() ? color : undefined;
}

export const STAGE_MARK: Record<StageStatus, string> = {pending: '·', running: '▶', done: '✔', failed: '✖', skipped: '–'};
export const STAGE_COLOR: Record<StageStatus, string> = {pending: 'gray', running: 'cyan', done: 'green', failed: 'red', skipped: 'gray'};

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
