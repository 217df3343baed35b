import {describe, expect, it} from 'vitest';
import type {SecurityGroupRule} from '../../source/core/cloud/api.js';
import {cidrContains, evaluatePort22} from '../../source/core/cloud/port22.js';

const rule = (extra: Partial<SecurityGroupRule>): SecurityGroupRule => ({id: 'r', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0', ...extra});
const ip = '192.168.0.10';

describe('port 22 from the executor', () => {
	it('accepts the usual allow rules', () => {
		for (const r of [
			rule({}),
			rule({remote_ip_prefix: '192.168.0.0/24'}),
			rule({remote_ip_prefix: '192.168.0.10/32'}),
			rule({remote_ip_prefix: null}),
			rule({protocol: null, port_range_min: null, port_range_max: null}),
			rule({port_range_min: 1, port_range_max: 65535}),
			rule({port_range_min: null, port_range_max: null, multiport: '80,20-25'}),
			rule({protocol: 'any', action: 'allow', priority: 1}),
		]) {
			expect(evaluatePort22([r], ip).verdict, JSON.stringify(r)).toBe('allowed');
		}
	});

	it('rejects rules that do not let the executor in on TCP 22', () => {
		for (const r of [
			rule({direction: 'egress'}),
			rule({ethertype: 'IPv6', remote_ip_prefix: '::/0'}),
			rule({protocol: 'udp'}),
			rule({protocol: 'icmp', port_range_min: null, port_range_max: null}),
			rule({port_range_min: 80, port_range_max: 80}),
			rule({port_range_min: null, port_range_max: null, multiport: '80,443'}),
			rule({remote_ip_prefix: '10.0.0.0/8'}),
			rule({remote_ip_prefix: '192.168.0.11/32'}),
		]) {
			expect(evaluatePort22([r], ip).verdict, JSON.stringify(r)).toBe('not-allowed');
		}
	});

	it('lets a higher-priority deny win, and a deny win at equal priority', () => {
		const allow = rule({action: 'allow', priority: 100});
		const deny = rule({action: 'deny', priority: 1, remote_ip_prefix: '192.168.0.0/16'});
		expect(evaluatePort22([allow, deny], ip)).toMatchObject({verdict: 'denied', rule: deny, allow});
		expect(evaluatePort22([rule({action: 'allow', priority: 1}), rule({action: 'deny', priority: 100})], ip).verdict).toBe('allowed');
		expect(evaluatePort22([rule({action: 'allow', priority: 5}), rule({action: 'deny', priority: 5})], ip).verdict).toBe('denied');
		// A deny that does not match the executor does not count.
		expect(evaluatePort22([allow, rule({action: 'deny', priority: 1, remote_ip_prefix: '10.0.0.0/8'})], ip).verdict).toBe('allowed');
	});

	it('counts a disabled v3 rule for nothing: neither its allow nor its deny', () => {
		expect(evaluatePort22([rule({action: 'allow', priority: 1, enabled: false})], ip).verdict).toBe('not-allowed');
		expect(evaluatePort22([rule({action: 'allow', priority: 1, enabled: true})], ip).verdict).toBe('allowed');
		expect(evaluatePort22([rule({action: 'deny', priority: 1, enabled: false}), rule({action: 'allow', priority: 50})], ip).verdict).toBe('allowed');
	});

	it('reports rules it cannot verify by itself', () => {
		const viaGroup = rule({remote_ip_prefix: null, remote_group_id: 'sg-1'});
		expect(evaluatePort22([viaGroup], ip)).toEqual({verdict: 'unverifiable', rules: [viaGroup]});
		expect(evaluatePort22([rule({remote_ip_prefix: null, remote_address_group_id: 'ag-1'})], ip).verdict).toBe('unverifiable');
		expect(evaluatePort22([viaGroup, rule({})], ip).verdict).toBe('allowed');
	});

	it('matches CIDRs', () => {
		expect(cidrContains('0.0.0.0/0', '8.8.8.8')).toBe(true);
		expect(cidrContains('192.168.0.0/23', '192.168.1.255')).toBe(true);
		expect(cidrContains('192.168.0.0/24', '192.168.1.0')).toBe(false);
		expect(cidrContains('10.1.2.3', '10.1.2.3')).toBe(true);
		expect(cidrContains('garbage', '10.1.2.3')).toBe(false);
	});
});
