/** Builds dist/ once before the tests, so the end-to-end tests run the real CLI. */
import {execFileSync} from 'node:child_process';

export default function setup(): void {
	execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {stdio: 'inherit'});
}
