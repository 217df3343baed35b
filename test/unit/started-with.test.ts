import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {startedWith} from '../../source/core/started-with.js';

const npxRoot = '/home/op/.npm/_npx/cb534112907fa074/node_modules/cce-image-wizard';
const manifest = (spec: string) => (file: string) => (file === '/home/op/.npm/_npx/cb534112907fa074/package.json' ? JSON.stringify({dependencies: {}, _npx: {packages: [spec]}}) : undefined);

describe('the command that started the wizard', () => {
	it('npx with a packed tarball: the tarball, made absolute', () => {
		expect(startedWith({packageRoot: npxRoot, cwd: '/home/op/build', env: {npm_lifecycle_event: 'npx'}, read: manifest('./cce-image-wizard-0.1.0.tgz'), exists: () => false})).toBe(
			`npx ${path.resolve('/home/op/build', 'cce-image-wizard-0.1.0.tgz')}`,
		);
	});

	it('npx with the package name (once published)', () => {
		expect(startedWith({packageRoot: npxRoot, cwd: '/x', env: {}, read: manifest('cce-image-wizard@0.1.0'), exists: () => false})).toBe('npx cce-image-wizard@0.1.0');
		expect(startedWith({packageRoot: npxRoot, cwd: '/x', env: {npm_lifecycle_event: 'npx'}, read: () => undefined, exists: () => false})).toBe('npx cce-image-wizard');
	});

	it('a clone: node and the built CLI; a global install: the bare name', () => {
		expect(startedWith({packageRoot: '/src/cce-image-wizard', cwd: '/x', env: {}, exists: file => file === '/src/cce-image-wizard/source/cli.tsx'})).toBe('node /src/cce-image-wizard/dist/cli.js');
		expect(startedWith({packageRoot: '/usr/lib/node_modules/cce-image-wizard', cwd: '/x', env: {}, exists: () => false})).toBe('cce-image-wizard');
	});
});
