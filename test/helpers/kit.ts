/**
 * Test kits: the real kit laid into a temporary folder, and test templates derived from
 * the real turbo-node.pkr.hcl, so that tests exercise its real variables and build block.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {initKit, packageRoot, TEMPLATE_FILE} from '../../source/core/kit.js';
import {blocks, replaceBlock} from '../../source/core/template.js';
import type {Sshd} from './sshd.js';

export const realTemplate = (): string => readFileSync(path.join(packageRoot, TEMPLATE_FILE), 'utf8');

export function tempDir(prefix: string): string {
	return mkdtempSync(path.join(os.tmpdir(), `cce-${prefix}-`));
}

/** A fresh folder with the kit laid out by `init`. */
export async function layTestKit(prefix: string): Promise<string> {
	const dir = tempDir(prefix);
	await initKit(dir);
	return dir;
}

/**
 * The real template with its huaweicloud-ecs source swapped for Packer's `null` builder
 * over SSH to `sshd`, and a `packer` block that Packer 1.6.6 accepts. Everything else —
 * variables, locals, the build block with its provisioners — is the real one.
 */
export function nullTemplate(sshd: Sshd, requiredVersion = '>= 1.6.0', extraProvisioner = ''): string {
	let text = realTemplate();
	const find = (type: string, label?: string) => {
		const block = blocks(text).find(b => b.type === type && (label === undefined || b.labels[0] === label));
		if (!block) throw new Error(`the real template has no ${type} ${label ?? ''} block`);
		return block;
	};
	text = replaceBlock(text, find('packer'), `packer {\n  required_version = "${requiredVersion}"\n}`);
	text = replaceBlock(
		text,
		find('source', 'huaweicloud-ecs'),
		[
			'source "null" "turbo-node" {',
			'  ssh_host             = "127.0.0.1"',
			`  ssh_port             = ${sshd.port}`,
			`  ssh_username         = "${sshd.user}"`,
			`  ssh_private_key_file = "${sshd.privateKey}"`,
			'  ssh_timeout          = "30s"',
			'}',
		].join('\n'),
	);
	if (!text.includes('source.huaweicloud-ecs.turbo-node')) throw new Error('the real build block names no huaweicloud-ecs source');
	text = text.replaceAll('source.huaweicloud-ecs.turbo-node', 'source.null.turbo-node');
	if (extraProvisioner) {
		// Runs first in the real build block.
		const build = find('build');
		const open = text.indexOf('{', build.start) + 1;
		text = `${text.slice(0, open)}\n${extraProvisioner}\n${text.slice(open)}`;
	}
	return text;
}

/** A provisioner that makes Packer print the keys, as a careless template could. */
export const ECHO_KEYS_PROVISIONER = `  provisioner "shell" {
    inline = ["echo leak-check secret=\${var.secret_key} access=\${var.access_key}"]
  }`;

export function writeNullTemplate(kit: string, sshd: Sshd, extraProvisioner = ''): string {
	const file = path.join(kit, 'test-null.pkr.hcl');
	writeFileSync(file, nullTemplate(sshd, '>= 1.6.0', extraProvisioner));
	return file;
}

/** The procedure's seven variables with well-formed test values (not real credentials). */
export const TEST_KEYS = {
	IAM_ACCESS_KEY: 'TESTAKQ2WIZARD0NLY7X',
	/** 40 characters, like a real SK; built here so no key-like literal sits in the source. */
	IAM_SECRET_KEY: 'tEsTsK0nly'.repeat(4),
};
export const PROCEDURE_ENV = {
	REGION_NAME: 'ap-southeast-1',
	...TEST_KEYS,
	ECS_VPC_ID: '0d4a2d7c-6a3e-4b9c-9d2e-3c1f5b7a8e90',
	ECS_NETWORK_ID: '5b8c1e2f-7d4a-4c3b-8e9f-1a2b3c4d5e6f',
	ECS_SECGRP_ID: '9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b',
	CCE_SOURCE_IMAGE_ID: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
};
