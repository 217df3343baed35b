/** Builds dist/ once before the tests, so the end-to-end tests run the real CLI. */
import {execFileSync} from 'node:child_process';
import {rmSync} from 'node:fs';

export default function setup(): () => void {
	execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {stdio: 'inherit'});
	// The builds of several test files, running at once, upload the kit's example package to
	// the same /tmp/example.package on this machine (the "temporary ECS"): it is removed once,
	// after every file, never by one file while another's build still needs it.
	return () => rmSync('/tmp/example.package', {force: true});
}
