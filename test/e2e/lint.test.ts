/** `make lint`: typecheck, shellcheck on every shell script, `packer fmt -check` on the template. */
import {spawnSync} from 'node:child_process';
import {expect, it} from 'vitest';
import {packageRoot} from '../../source/core/kit.js';
import {missing, titled} from '../helpers/tools.js';

const reason = missing({tools: ['make', 'shellcheck', 'packer']});

it.skipIf(reason)(titled('make lint passes', reason), () => {
	const result = spawnSync('make', ['--no-print-directory', 'lint'], {cwd: packageRoot, encoding: 'utf8', timeout: 120_000});
	expect(result.status, result.stdout + result.stderr).toBe(0);
	expect(result.stdout).toContain('shellcheck: clean');
	expect(result.stdout).toContain('packer fmt: clean');
}, 120_000);
