import {expect, it} from 'vitest';
import {satisfies} from '../../source/core/version.js';

it.each([
	['1.6.6', '>= 1.7.2', false],
	['1.7.2', '>= 1.7.2', true],
	['1.11.2', '>= 1.7.2', true],
	['0.4.0', '= 0.4.0', true],
	['0.4.0-rc1', '= 0.4.0', false], // plugin 1.0.0-1.2.0 report this, and packer init refuses them
	['0.4.0-rc1', '< 0.4.0', true],
	['1.2.1', '= 0.4.0', false],
	['1.7.9', '~> 1.7.2', true],
	['1.8.0', '~> 1.7.2', false],
	['1.9.0', '~> 1.7', true],
	['2.0.0', '~> 1.7', false],
	['1.8.0', '>= 1.7, < 2', true],
	['2.1.0', '>= 1.7, < 2', false],
	['1.8.0', 'nonsense', false],
])('%s satisfies %s: %s', (version, constraint, expected) => {
	expect(satisfies(version, constraint)).toBe(expected);
});
