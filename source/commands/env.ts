/** `env [--preset NAME]`: writes build.env, the build environment without the keys. */
import path from 'node:path';
import {problems} from '../core/answers.js';
import type {Options} from '../core/args.js';
import {writeEnvFile} from '../core/env.js';
import {SECRET_KEYS} from '../core/settings.js';
import {resolveFor} from './context.js';
import {EXIT, type Io} from './io.js';

export async function runEnv(io: Io, args: string[], options: Options, env = process.env): Promise<number> {
	if (args.length > 0) {
		io.err('Usage: cce-image-wizard env [--preset NAME] [--set KEY=VALUE ...]');
		return EXIT.usage;
	}
	const {workspace, preset, answers} = await resolveFor(options, env);
	// The keys are not written, so their absence is no reason to refuse.
	const blocking = problems(new Map([...answers].filter(([key]) => !SECRET_KEYS.includes(key))));
	if (blocking.length > 0) {
		io.err(`build.env not written: fix these first.\n${blocking.map(p => `  ${p}`).join('\n')}`);
		return EXIT.failed;
	}
	const file = path.join(workspace, 'build.env');
	await writeEnvFile(file, answers, preset ? `preset ${preset.name}` : 'environment and flags');
	if (options.json) {
		io.out(JSON.stringify({written: file, mode: '0600'}));
	} else {
		io.out(`Wrote ${file} (mode 0600, no keys). Then:`);
		io.out('  source build.env');
		io.out('  read -rsp "Access key: " IAM_ACCESS_KEY; echo; read -rsp "Secret key: " IAM_SECRET_KEY; echo');
		io.out('  export IAM_ACCESS_KEY IAM_SECRET_KEY && make image');
	}
	return EXIT.ok;
}
