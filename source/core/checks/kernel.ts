/**
 * Finds user scripts and sysctl files that change the kernel parameters known to degrade
 * CCE nodes. Pure: text in, findings out. Comments and other parameters do not count.
 */

/** The parameters CCE warns about, by their full sysctl names. */
export const WATCHED_PARAMETERS = [
	'net.ipv4.tcp_keepalive_time',
	'net.ipv4.tcp_max_tw_buckets',
	'net.core.somaxconn',
	'fs.inotify.max_user_instances',
	'fs.inotify.max_user_watches',
	'net.core.netdev_max_backlog',
	'net.core.wmem_max',
	'net.core.rmem_max',
] as const;

export type KernelFinding = {line: number; parameter: string; how: string};

/** A parameter's name with dots or slashes, as sysctl accepts both. */
const nameRe = (parameter: string) => parameter.split('.').join('[./]');

/** The text of a line without its shell comment (a `#` at the start or after white space, outside quotes). */
export function withoutComment(line: string): string {
	let quote: string | undefined;
	for (let i = 0; i < line.length; i++) {
		const c = line[i]!;
		if (quote) {
			if (c === '\\' && quote === '"') i++;
			else if (c === quote) quote = undefined;
		} else if (c === '"' || c === "'") {
			quote = c;
		} else if (c === '\\') {
			i++;
		} else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
			return line.slice(0, i);
		}
	}
	return line;
}

/**
 * Lines of `text` that set a watched parameter:
 *  - an assignment `name=value` / `name = value` (sysctl -w, echo into sysctl.conf, heredocs, sysctl files);
 *  - a write to /proc/sys/<name as path> (`>` or `tee`);
 *  - an edit (sed -i) of /etc/sysctl.conf or /etc/sysctl.d/ that mentions it.
 * `applied(file)` tells which parameters a sysctl file applied by `sysctl -p FILE` or copied into
 * /etc/sysctl.d sets, when that file is known (it ships in user-packages/).
 */
export function kernelFindings(text: string, applied?: (file: string) => string[]): KernelFinding[] {
	const findings: KernelFinding[] = [];
	const lines = text.split('\n');
	lines.forEach((raw, index) => {
		const line = withoutComment(raw);
		// `;` starts a comment in sysctl files, and no shell line starts with one.
		if (!line.trim() || line.trim().startsWith(';')) return;
		for (const parameter of WATCHED_PARAMETERS) {
			const name = nameRe(parameter);
			let how: string | undefined;
			if (new RegExp(`(?<![\\w.])${name}\\s*=\\s*[^=\\s]`).test(line)) {
				how = /\bsysctl\b/.test(line) ? 'sysctl -w' : /sysctl\.(conf|d)/.test(line) ? 'written to sysctl configuration' : 'sets it';
			} else if (new RegExp(`(>|\\btee\\b[^|;]*)\\s*/proc/sys/${parameter.split('.').join('/')}\\b`).test(line)) {
				how = 'writes /proc/sys';
			} else if (/\bsed\b.*\s-i/.test(line) && /sysctl\.(conf|d)/.test(line) && new RegExp(`(?<![\\w.])${name}`).test(line)) {
				how = 'edits sysctl configuration (sed -i)';
			}
			if (how) findings.push({line: index + 1, parameter, how});
		}
		if (applied) {
			// sysctl -p FILE, or a file copied into the sysctl configuration: what does that file set?
			const targets = [
				...line.matchAll(/\bsysctl\b[^;|&]*?\s(?:-p|--load)(?:=|\s+)(\S+)/g),
				...line.matchAll(/\b(?:cp|install|mv|cat)\b[^;|&]*?\s(\S+)\s+[^;|&]*\/etc\/sysctl\.(?:conf|d)/g),
			].map(m => m[1]!.replace(/^["']|["']$/g, ''));
			for (const target of targets) {
				for (const parameter of applied(target)) {
					if (!findings.some(f => f.line === index + 1 && f.parameter === parameter)) {
						findings.push({line: index + 1, parameter, how: `applies ${target}, which sets it`});
					}
				}
			}
		}
	});
	return findings;
}

/** Whether a file looks like sysctl configuration: a .conf with `a.b.c = value` lines. */
export function looksLikeSysctl(name: string, text: string): boolean {
	if (/sysctl/i.test(name)) return true;
	return /\.conf$/.test(name) && /^\s*-?[a-z0-9_]+(?:[./][a-z0-9_]+)+\s*=/m.test(text);
}
