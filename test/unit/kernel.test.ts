import {describe, expect, it} from 'vitest';
import {kernelFindings, looksLikeSysctl, WATCHED_PARAMETERS, withoutComment} from '../../source/core/checks/kernel.js';

const asPath = (p: string) => p.split('.').join('/');

/** Each way a script can change a parameter, as one script line (or a heredoc) for parameter p. */
const WRITE_FORMS: Array<[string, (p: string) => string, number]> = [
	['sysctl -w', p => `sysctl -w ${p}=4096`, 1],
	['sysctl without -w', p => `sysctl ${p}=4096`, 1],
	['sysctl -w, spaces and quotes', p => `sudo sysctl -w "${p} = 4096"`, 1],
	['sysctl with slashes', p => `sysctl -w ${asPath(p)}=4096`, 1],
	['echo into /proc/sys', p => `echo 4096 > /proc/sys/${asPath(p)}`, 1],
	['tee into /proc/sys', p => `echo 4096 | tee /proc/sys/${asPath(p)} >/dev/null`, 1],
	['append to sysctl.conf', p => `echo "${p} = 4096" >> /etc/sysctl.conf`, 1],
	['write a sysctl.d file', p => `echo '${p}=4096' > /etc/sysctl.d/90-tuning.conf && sysctl --system`, 1],
	['heredoc into sysctl.d', p => `cat > /etc/sysctl.d/90.conf <<EOF\n${p} = 4096\nEOF`, 2],
	['sed -i on sysctl.conf', p => `sed -i 's/^${p}.*/${p} = 4096/' /etc/sysctl.conf`, 1],
	['sed -i without a value', p => `sed -i '/${p}/d' /etc/sysctl.conf`, 1],
];

describe('kernel parameter lint', () => {
	for (const parameter of WATCHED_PARAMETERS) {
		for (const [form, line, at] of WRITE_FORMS) {
			it(`catches ${parameter} via ${form}`, () => {
				const script = `#!/bin/bash\nset -e\n${line(parameter)}\n`;
				const findings = kernelFindings(script);
				expect(findings.map(f => f.parameter)).toContain(parameter);
				expect(findings.find(f => f.parameter === parameter)!.line).toBe(2 + at);
				// Only that parameter.
				expect(new Set(findings.map(f => f.parameter))).toEqual(new Set([parameter]));
			});
		}
	}

	it('ignores comments, reads and other parameters', () => {
		const script = [
			'#!/bin/bash',
			'# sysctl -w net.core.somaxconn=4096',
			'   # echo 1 > /proc/sys/net/core/rmem_max',
			'sysctl -w vm.max_map_count=262144  # not net.core.somaxconn=1',
			'sysctl -w net.core.somaxconn_extra=1',
			'sysctl net.core.somaxconn',
			'cat /proc/sys/net/core/somaxconn',
			'grep net.core.wmem_max /etc/sysctl.conf',
			'if [ "$(sysctl -n net.core.rmem_max)" -lt 100 ]; then echo low; fi',
			'echo "net.ipv4.tcp_keepalive_time is left alone"',
			'sysctl -w net.ipv4.tcp_fin_timeout=30',
			'x=net.core.somaxconn',
		].join('\n');
		expect(kernelFindings(script)).toEqual([]);
	});

	it('follows sysctl -p and copies of a known sysctl file', () => {
		const applied = (file: string) => (file.endsWith('tuning.conf') ? ['net.core.somaxconn', 'net.core.rmem_max'] : []);
		const script = '#!/bin/bash\ncp /tmp/tuning.conf /etc/sysctl.d/\nsysctl -p /tmp/tuning.conf\nsysctl -p /tmp/other.conf\n';
		const findings = kernelFindings(script, applied);
		expect(findings).toEqual([
			{line: 2, parameter: 'net.core.somaxconn', how: 'applies /tmp/tuning.conf, which sets it'},
			{line: 2, parameter: 'net.core.rmem_max', how: 'applies /tmp/tuning.conf, which sets it'},
			{line: 3, parameter: 'net.core.somaxconn', how: 'applies /tmp/tuning.conf, which sets it'},
			{line: 3, parameter: 'net.core.rmem_max', how: 'applies /tmp/tuning.conf, which sets it'},
		]);
	});

	it('recognises sysctl files and reads them', () => {
		const conf = '# tuning\nnet.core.somaxconn = 32768\nvm.swappiness = 10\n; net.core.wmem_max = 1\n';
		expect(looksLikeSysctl('99-tuning.conf', conf)).toBe(true);
		expect(looksLikeSysctl('sysctl-extra.txt', '')).toBe(true);
		expect(looksLikeSysctl('agent.conf', '[main]\nurl = http://x\n')).toBe(false);
		expect(looksLikeSysctl('agent.rpm', conf)).toBe(false);
		expect(kernelFindings(conf).map(f => [f.line, f.parameter])).toEqual([[2, 'net.core.somaxconn']]);
	});

	it('strips shell comments but not # inside quotes or words', () => {
		expect(withoutComment('echo "a # b" # c')).toBe('echo "a # b" ');
		expect(withoutComment("echo 'x#y'")).toBe("echo 'x#y'");
		expect(withoutComment('echo a#b')).toBe('echo a#b');
	});
});

describe('the watched parameters', () => {
	it('are the same in the kit step on the ECS and in the check on the executor', async () => {
		const {readFileSync} = await import('node:fs');
		const {packageRoot} = await import('../../source/core/kit.js');
		const script = readFileSync(`${packageRoot}/scripts/00-prepare.sh`, 'utf8');
		const array = /KERNEL_PARAMS=\(([\s\S]*?)\)/.exec(script)![1]!.split(/\s+/).filter(Boolean);
		expect(array).toEqual([...WATCHED_PARAMETERS]);
	});
});
