import {describe, expect, it} from 'vitest';
import {generationOf, otherPin, pluginPin, repin} from '../../source/core/plugin-pin.js';
import {realTemplate} from '../helpers/kit.js';

describe('the plugin pin', () => {
	it("reads the real template's pin: 0.4.0, generation 0, and the line it is on", () => {
		const text = realTemplate();
		const pin = pluginPin(text);
		expect(pin).toMatchObject({constraint: '= 0.4.0', version: '0.4.0', generation: 0});
		expect(text.split('\n')[pin.line! - 1]).toMatch(/^\s*version\s*=\s*"= 0\.4\.0"$/);
	});

	it('re-pins by changing only the version line', () => {
		const text = realTemplate();
		const changed = repin(text, '1.2.2');
		expect(pluginPin(changed)).toMatchObject({constraint: '= 1.2.2', version: '1.2.2', generation: 1});
		const before = text.split('\n');
		const after = changed.split('\n');
		expect(after).toHaveLength(before.length);
		const differing = before.flatMap((line, i) => (line === after[i] ? [] : [i + 1]));
		expect(differing).toEqual([pluginPin(text).line]);
		expect(repin(changed, '0.4.0')).toBe(text);
	});

	it('ignores version attributes of other plugins and in comments', () => {
		const text = [
			'packer {',
			'  required_plugins {',
			'    # version = "= 9.9.9"',
			'    other = {',
			'      version = ">= 2.0.0"',
			'      source  = "github.com/x/other"',
			'    }',
			'    huaweicloud = {',
			'      source  = "github.com/huaweicloud/huaweicloud"',
			'      version = ">= 1.2.1"',
			'    }',
			'  }',
			'}',
		].join('\n');
		expect(pluginPin(text)).toMatchObject({version: '1.2.1', generation: 1, line: 10});
		expect(repin(text, '1.2.2').split('\n')[9]).toBe('      version = "= 1.2.2"');
		expect(repin(text, '1.2.2').split('\n')[4]).toBe('      version = ">= 2.0.0"');
	});

	it('counts a template without a pin, and 0.4.0-rc1, as generation 0', () => {
		expect(pluginPin('source "null" "x" {}\n')).toEqual({constraint: undefined, version: undefined, generation: 0, line: undefined});
		expect(generationOf('0.4.0-rc1')).toBe(0);
		expect(generationOf('1.2.2')).toBe(1);
		expect(otherPin('0.4.0')).toBe('1.2.2');
		expect(otherPin('1.2.2')).toBe('0.4.0');
		expect(() => repin('packer {}\n', '1.2.2')).toThrow(/no huaweicloud version/);
	});
});
