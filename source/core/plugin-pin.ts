/**
 * The huaweicloud plugin the template pins, and what depends on its generation.
 *
 * Two pins are supported: 0.4.0, the one Huawei's procedure uses (native OpenStack
 * calls, the global IAM), and 1.2.2, the maintained release (current ECS/VPC/EIP APIs,
 * the regional IAM, security tokens, image sharing). 1.0.0–1.2.0 report themselves as
 * 0.4.0-rc1 and `packer init` refuses them. Every field the kit's template uses exists
 * in both, so only the `version` line of `required_plugins` differs.
 */
import {readFile} from 'node:fs/promises';
import {blocks, requiredPlugins} from './template.js';
import {parseVersion} from './version.js';

export const PLUGIN_NAME = 'huaweicloud';
export const PLUGIN_SOURCE = 'github.com/huaweicloud/huaweicloud';

/** The pins `init --plugin` and the plugin check's correction offer. */
export const PLUGIN_PINS = ['0.4.0', '1.2.2'] as const;
export type PluginPinChoice = (typeof PLUGIN_PINS)[number];
export const DEFAULT_PIN: PluginPinChoice = '0.4.0';

/** One line each: why an operator picks this pin. */
export const PIN_EXPLANATION: Record<PluginPinChoice, string> = {
	'0.4.0': "0.4.0: the procedure's pin; builds through native OpenStack APIs (Nova, Cinder, Neutron) that Huawei now marks discarded",
	'1.2.2': '1.2.2: maintained; current ECS/VPC/EIP APIs, regional IAM, security tokens, image sharing',
};

/**
 * 0: plugin 0.x (0.4.0 and what reports itself as 0.4.0-rc1). 1: plugin 1.2.1 and later.
 * Messages, the EIP rule and the IAM endpoint follow the generation.
 */
export type PluginGeneration = 0 | 1;

export type PluginPin = {
	/** The constraint as written, e.g. "= 0.4.0"; undefined when the template pins none. */
	constraint?: string;
	/** The version the constraint names, e.g. "0.4.0". */
	version?: string;
	generation: PluginGeneration;
	/** 1-based line of the `version = ...` attribute in the template, when there is one. */
	line?: number;
};

export function generationOf(version: string | undefined): PluginGeneration {
	const parsed = version ? parseVersion(version) : undefined;
	return parsed && parsed[0] >= 1 ? 1 : 0;
}

/** The version a constraint names: "= 1.2.2" → 1.2.2, ">= 1.2.1" → 1.2.1. */
export function constraintVersion(constraint: string): string | undefined {
	return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(constraint)?.[1];
}

/** Where the huaweicloud `version = "..."` sits in the text, or undefined. */
function versionAttribute(text: string): {start: number; end: number; value: string} | undefined {
	const packer = blocks(text).find(block => block.type === 'packer');
	if (!packer) return undefined;
	const bodyStart = text.indexOf('{', packer.start) + 1;
	const required = blocks(packer.body).find(block => block.type === 'required_plugins');
	if (!required) return undefined;
	const requiredBodyStart = text.indexOf('{', bodyStart + required.start) + 1;
	const requiredBody = text.slice(requiredBodyStart, bodyStart + required.end - 1);
	const entry = new RegExp(`(^|\\n)[ \\t]*${PLUGIN_NAME}[ \\t]*=[ \\t]*\\{`).exec(requiredBody);
	if (!entry) return undefined;
	const entryStart = requiredBodyStart + entry.index + entry[0].length;
	const close = text.indexOf('}', entryStart);
	const inner = text.slice(entryStart, close);
	const version = /(^|\n)([ \t]*version[ \t]*=[ \t]*)"([^"]*)"/.exec(inner);
	if (!version) return undefined;
	const valueStart = entryStart + version.index + version[1]!.length + version[2]!.length;
	return {start: valueStart, end: valueStart + version[3]!.length + 2, value: version[3]!};
}

/** The huaweicloud pin of a template's text. */
export function pluginPin(text: string): PluginPin {
	const wanted = requiredPlugins(text).find(p => p.name === PLUGIN_NAME);
	const constraint = wanted?.version;
	const version = constraint ? constraintVersion(constraint) : undefined;
	const attribute = versionAttribute(text);
	const line = attribute ? text.slice(0, attribute.start).split('\n').length : undefined;
	return {constraint, version, generation: generationOf(version), line};
}

/** The pin of the template in `file`; a template that cannot be read counts as the procedure's 0.4.0. */
export async function readPluginPin(file: string): Promise<PluginPin> {
	const text = await readFile(file, 'utf8').catch(() => undefined);
	return text === undefined ? {generation: generationOf(DEFAULT_PIN)} : pluginPin(text);
}

/** `text` with the huaweicloud version line set to `= version`, nothing else changed. */
export function repin(text: string, version: string): string {
	const attribute = versionAttribute(text);
	if (!attribute) throw new Error(`the template has no ${PLUGIN_NAME} version in packer { required_plugins { ... } }`);
	return `${text.slice(0, attribute.start)}"= ${version}"${text.slice(attribute.end)}`;
}

export function isPinChoice(value: string): value is PluginPinChoice {
	return (PLUGIN_PINS as readonly string[]).includes(value);
}

/** The other supported pin: what the plugin check offers as a correction. */
export function otherPin(version: string | undefined): PluginPinChoice {
	return generationOf(version) === 1 ? '0.4.0' : '1.2.2';
}
