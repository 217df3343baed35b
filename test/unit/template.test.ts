import {describe, expect, it} from 'vitest';
import {attributes, blocks, replaceBlock, requiredVersion, templateVariables} from '../../source/core/template.js';
import {realTemplate} from '../helpers/kit.js';

describe('template reader', () => {
	it('finds top-level blocks, skipping braces in strings, interpolations, comments and heredocs', () => {
		const text = [
			'# a comment with { a brace',
			'packer {',
			'  required_version = ">= 1.7.2"',
			'}',
			'/* block comment } */',
			'locals {',
			'  x = "${var.a == "root" ? "}" : "{"}"',
			'  doc = <<EOF',
			'}}} not a close',
			'EOF',
			'}',
			'variable "name" { default = "a}b" }',
			'top = { nested = [1, 2] }',
			'build {',
			'  dynamic "provisioner" {',
			'    content { x = "y" }',
			'  }',
			'}',
		].join('\n');
		const found = blocks(text);
		expect(found.map(b => [b.type, ...b.labels])).toEqual([['packer'], ['locals'], ['variable', 'name'], ['build']]);
		expect(found[1]!.body).toContain('}}} not a close');
		expect(text.slice(found[3]!.start, found[3]!.end)).toMatch(/^build \{[\s\S]*\}$/);
		expect(requiredVersion(text)).toBe('>= 1.7.2');
	});

	it('reads simple attribute values', () => {
		const attrs = attributes('a = "x\\"y"\nb = 5\nc = true\nd = env("REGION_NAME")\ne = var.x\nf = { g = 1 }\n');
		expect(Object.fromEntries(attrs)).toEqual({
			a: {kind: 'string', value: 'x"y'},
			b: {kind: 'number', value: 5},
			c: {kind: 'bool', value: true},
			d: {kind: 'env', name: 'REGION_NAME'},
			e: {kind: 'expression', text: 'var.x'},
			f: {kind: 'expression', text: '{ g = 1 }'},
		});
	});

	it('replaces one block and nothing else', () => {
		const text = 'a {\n}\nb "x" {\n  y = 1\n}\nc {\n}\n';
		const [, b] = blocks(text);
		expect(replaceBlock(text, b!, 'b2 {}')).toBe('a {\n}\nb2 {}\nc {\n}\n');
	});
});

describe('turbo-node.pkr.hcl', () => {
	const variables = templateVariables(realTemplate());
	const byName = new Map(variables.map(v => [v.name, v]));

	it('requires Packer 1.7.2 or later', () => {
		expect(requiredVersion(realTemplate())).toBe('>= 1.7.2');
	});

	it('pins the huaweicloud plugin at 0.4.0 from GitHub', () => {
		const packer = blocks(realTemplate()).find(b => b.type === 'packer')!;
		const plugins = blocks(packer.body).find(b => b.type === 'required_plugins')!;
		expect(plugins.body).toMatch(/version\s*=\s*"= 0\.4\.0"/);
		expect(plugins.body).toMatch(/source\s*=\s*"github\.com\/huaweicloud\/huaweicloud"/);
	});

	it('reads the seven procedure variables, HW_PROJECT_ID and IAM_SECURITY_TOKEN from the environment', () => {
		const fromEnv = variables.filter(v => v.default?.kind === 'env').map(v => (v.default as {name: string}).name);
		expect(fromEnv.sort()).toEqual(
			['REGION_NAME', 'IAM_ACCESS_KEY', 'IAM_SECRET_KEY', 'IAM_SECURITY_TOKEN', 'ECS_VPC_ID', 'ECS_NETWORK_ID', 'ECS_SECGRP_ID', 'CCE_SOURCE_IMAGE_ID', 'HW_PROJECT_ID'].sort(),
		);
	});

	it('marks exactly the keys and the security token sensitive', () => {
		expect(variables.filter(v => v.sensitive).map(v => v.name).sort()).toEqual(['access_key', 'secret_key', 'security_token']);
	});

	it('describes every variable', () => {
		for (const variable of variables) expect(variable.description, variable.name).toMatch(/\w{3,}/);
	});

	it('has the overridable variables with defaults', () => {
		for (const name of ['ecs_az', 'ecs_flavor', 'image_name', 'image_description', 'ssh_username', 'ssh_timeout', 'eip_type', 'eip_bandwidth_size', 'volume_type', 'volume_size', 'upload_build_log']) {
			expect(byName.get(name)?.default, name).toBeDefined();
		}
		expect(byName.get('upload_build_log')?.default).toEqual({kind: 'bool', value: false});
		expect(byName.get('ssh_timeout')?.default).toEqual({kind: 'string', value: '15m'});
	});

	it('uses only fields plugin v0.4.0 accepts in its source block', () => {
		// The mapstructure names of v0.4.0's AccessConfig, RunConfig, ImageConfig and the SSH communicator we use.
		const accepted = new Set([
			'region', 'project_id', 'project_name', 'access_key', 'secret_key', 'auth_url', 'insecure',
			'source_image', 'source_image_name', 'flavor', 'availability_zone', 'vpc_id', 'subnets', 'networks', 'ports',
			'security_groups', 'eip_type', 'eip_bandwidth_size', 'floating_ip', 'reuse_ips', 'ssh_ip_version', 'ssh_interface',
			'volume_type', 'volume_size', 'volume_name', 'image_name', 'image_description', 'image_tags', 'image_min_disk',
			'instance_name', 'ssh_username', 'ssh_timeout', 'user_data',
		]);
		const source = blocks(realTemplate()).find(b => b.type === 'source' && b.labels[0] === 'huaweicloud-ecs')!;
		const used = [...attributes(source.body).keys()];
		expect(used.length).toBeGreaterThan(10);
		for (const field of used) expect(accepted, field).toContain(field);
		expect(used).toEqual(expect.arrayContaining(['vpc_id', 'subnets', 'security_groups', 'eip_type', 'eip_bandwidth_size']));
	});
});
