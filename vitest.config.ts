import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['source/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
		// End-to-end tests start real Packer and sshd processes.
		testTimeout: 60_000,
		hookTimeout: 60_000,
		// Each file gets a fresh process: tests set process-wide environment.
		pool: 'forks',
		globalSetup: ['test/global-setup.ts'],
	},
});
