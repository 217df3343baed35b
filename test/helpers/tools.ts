/**
 * Real tools the tests drive. On a developer's machine a test whose tool is missing is
 * skipped with the reason in its name; in CI (CI set) a missing tool is a failure.
 */
import {execFileSync} from 'node:child_process';

export function which(tool: string): string | undefined {
	try {
		return execFileSync('bash', ['-c', `command -v -- "$1"`, 'which', tool], {encoding: 'utf8'}).trim() || undefined;
	} catch {
		return undefined;
	}
}

export const isCi = Boolean(process.env['CI']);
export const isRoot = process.getuid?.() === 0;

/**
 * Why a test cannot run here ('' when it can). In CI every requirement must hold:
 * the returned reason then throws, so the test fails instead of skipping.
 */
export function missing(requirements: {tools?: string[]; root?: boolean; check?: () => string}): string {
	const reasons: string[] = [];
	for (const tool of requirements.tools ?? []) if (!which(tool)) reasons.push(`${tool} is not installed`);
	if (requirements.root && !isRoot) reasons.push('needs root (the kit steps and sshd run as root)');
	const extra = requirements.check?.();
	if (extra) reasons.push(extra);
	const reason = reasons.join('; ');
	if (reason && isCi) throw new Error(`CI must run every test, but: ${reason}`);
	return reason;
}

/** A test title that says why it is skipped. */
export function titled(title: string, reason: string): string {
	return reason ? `${title} [skipped: ${reason}]` : title;
}

/** `packer version` of the packer on PATH, e.g. "1.6.6". */
export function packerVersion(): string | undefined {
	const packer = which('packer');
	if (!packer) return undefined;
	try {
		const out = execFileSync(packer, ['version'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000});
		return /^Packer v(\d+\.\d+\.\d+)/m.exec(out)?.[1];
	} catch {
		return undefined;
	}
}

/** Command lines of running processes that mention `text` ('' when none), tmux sessions of the tests aside. */
export function processesMentioning(text: string): string {
	try {
		const lines = execFileSync('pgrep', ['-af', '--', text], {encoding: 'utf8'}).trim().split('\n');
		return lines.filter(line => !/\btmux\b/.test(line)).join('\n');
	} catch {
		return ''; // pgrep exits 1 when nothing matches
	}
}
