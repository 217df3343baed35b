import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['source/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
		// End-to-end tests start real Packer and sshd processes, on machines busy with other
		// work (see `make test-load`): a limit only for what hangs. Tests wait on conditions.
		testTimeout: 300_000,
		hookTimeout: 120_000,
		// Each file gets a fresh process: tests set process-wide environment.
		pool: 'forks',
		globalSetup: ['test/global-setup.ts'],
		// The ECS metadata service (credentials=agency) is 169.254.169.254 by default: never from a test.
		env: {CCE_ENDPOINT_METADATA: 'http://127.0.0.1:9/metadata'},
	},
});
