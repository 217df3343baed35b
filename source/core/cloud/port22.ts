/**
 * Does a security group let TCP 22 in from the executor? Pure: rules and an address in,
 * a verdict out. v3 rules carry action and priority (1 is highest; at equal priority a
 * deny wins) and `enabled` (default true; a disabled rule counts for nothing); v1 rules are
 * all allows.
 */
import type {SecurityGroupRule} from './api.js';

export type Port22Verdict =
	| {verdict: 'allowed'; rule: SecurityGroupRule}
	| {verdict: 'denied'; rule: SecurityGroupRule; allow?: SecurityGroupRule}
	| {verdict: 'not-allowed'}
	| {verdict: 'unverifiable'; rules: SecurityGroupRule[]};

export function parseIpv4(address: string): number | undefined {
	const parts = address.split('.');
	if (parts.length !== 4) return undefined;
	let value = 0;
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
		value = value * 256 + Number(part);
	}
	return value;
}

/** Whether an IPv4 CIDR (or a bare address) contains the address. */
export function cidrContains(cidr: string, address: string): boolean {
	const [network, bitsText] = cidr.split('/');
	const bits = bitsText === undefined ? 32 : Number(bitsText);
	const net = parseIpv4(network ?? '');
	const ip = parseIpv4(address);
	if (net === undefined || ip === undefined || !(bits >= 0 && bits <= 32)) return false;
	if (bits === 0) return true;
	const size = 2 ** (32 - bits);
	return Math.floor(net / size) === Math.floor(ip / size);
}

function coversPort22(rule: SecurityGroupRule): boolean {
	if (rule.multiport) {
		return rule.multiport.split(',').some(range => {
			const [low, high] = range.trim().split('-').map(Number);
			return low !== undefined && low <= 22 && 22 <= (high ?? low);
		});
	}
	const min = rule.port_range_min ?? undefined;
	const max = rule.port_range_max ?? undefined;
	if (min === undefined && max === undefined) return true; // all ports
	return (min ?? 1) <= 22 && 22 <= (max ?? 65535);
}

const isTcp = (rule: SecurityGroupRule) => !rule.protocol || rule.protocol === 'tcp' || rule.protocol === 'any' || rule.protocol === '6';

export function evaluatePort22(rules: readonly SecurityGroupRule[], executorIp: string): Port22Verdict {
	// A v3 rule with enabled: false allows and denies nothing.
	const candidates = rules.filter(r => r.enabled !== false && r.direction === 'ingress' && (r.ethertype ?? 'IPv4') === 'IPv4' && isTcp(r) && coversPort22(r));
	const unverifiable = candidates.filter(r => r.remote_group_id || r.remote_address_group_id);
	const matching = candidates.filter(r => {
		if (r.remote_group_id || r.remote_address_group_id) return false;
		return !r.remote_ip_prefix || cidrContains(r.remote_ip_prefix, executorIp);
	});
	const priority = (r: SecurityGroupRule) => r.priority ?? 1;
	const ordered = [...matching].sort((a, b) => priority(a) - priority(b) || (a.action === 'deny' ? -1 : 0) - (b.action === 'deny' ? -1 : 0));
	const first = ordered[0];
	if (first && first.action === 'deny') return {verdict: 'denied', rule: first, allow: ordered.find(r => r.action !== 'deny')};
	if (first) return {verdict: 'allowed', rule: first};
	if (unverifiable.length > 0) return {verdict: 'unverifiable', rules: unverifiable};
	return {verdict: 'not-allowed'};
}

export function describeRule(rule: SecurityGroupRule): string {
	const ports = rule.multiport || (rule.port_range_min == null ? 'all ports' : rule.port_range_min === rule.port_range_max ? `port ${rule.port_range_min}` : `ports ${rule.port_range_min}-${rule.port_range_max}`);
	const source = rule.remote_ip_prefix || (rule.remote_group_id ? `group ${rule.remote_group_id}` : rule.remote_address_group_id ? `address group ${rule.remote_address_group_id}` : 'any source');
	const action = rule.action ? `${rule.action}${rule.priority === undefined ? '' : ` (priority ${rule.priority})`}` : 'allow';
	return `${action} ${rule.protocol || 'any protocol'} ${ports} from ${source}`;
}
