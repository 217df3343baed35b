/**
 * `cleanup [--build ID] [--json] [--yes]`: the after-build checklist of the latest build
 * (or the one named). Without a terminal, or with --yes or --json, it runs only the
 * verifications and never deletes anything; on a terminal it opens the checklist screen.
 */
import type {Options} from '../core/args.js';
import {agencyCredential} from '../core/cloud/credential.js';
import {ITEM_ORDER, recordItem, verifyChecklist, type CleanupContext} from '../core/cleanup/checklist.js';
import {settleEndedBuilds} from '../core/run/recover.js';
import {State, type BuildRecord} from '../core/state.js';
import {workspaceOf} from './context.js';
import {EXIT, type Io} from './io.js';

const MARK = {todo: '☐', done: '☑', verified: '✔', skipped: '–'} as const;

export function cleanupContext(workspace: string, build: NonNullable<ReturnType<State['build']>>, env: Readonly<Record<string, string | undefined>>): CleanupContext {
	const accessKey = env['IAM_ACCESS_KEY'];
	const secretKey = env['IAM_SECRET_KEY'];
	return {
		workspace,
		build,
		keys: accessKey && secretKey ? {accessKey, secretKey} : undefined,
		region: build.region || env['REGION_NAME'],
		env,
	};
}

/** A stand-in record for builds the wizard never saw (`make image`): nothing known but the region. */
export function classicBuild(workspace: string, env: Readonly<Record<string, string | undefined>>): BuildRecord {
	return {id: 'classic', workspace, startedAt: '', region: env['REGION_NAME'] ?? '', leftovers: []};
}

export async function runCleanup(io: Io, args: string[], options: Options, env = process.env, tty = Boolean(process.stdout.isTTY && process.stdin.isTTY)): Promise<number> {
	if (args.length > 0) {
		io.err('Usage: cce-image-wizard cleanup [--build ID] [--json] [--yes]');
		return EXIT.usage;
	}
	const workspace = workspaceOf(options);
	const state = new State();
	// A build whose wizard died gets its end recorded first, from what packer.sh left.
	await settleEndedBuilds(state, workspace);
	const recorded = options.build ? state.build(options.build) : state.latestBuild(workspace);
	if (!recorded && options.build) {
		const message = `No build ${options.build} in the history.`;
		if (options.json) io.out(JSON.stringify({error: message}));
		else io.err(message);
		return EXIT.failed;
	}
	// No build recorded (a classic `make image`): the checklist still checks what it can, finding
	// leftovers by the names the kit's builds use. Its progress is not saved.
	const build = recorded ?? classicBuild(workspace, env);
	const context = cleanupContext(workspace, build, env);
	// A build that ran on the executor's agency is cleaned up with it too, when no key is exported.
	if (!context.keys && build.credential?.mode === 'agency') {
		const agency = await agencyCredential(env).catch((error: unknown) => {
			io.err(`The agency's credential could not be had (${(error as Error).message}): the account is not scanned.`);
			return undefined;
		});
		if (agency) context.keys = {accessKey: agency.accessKey, secretKey: agency.secretKey, securityToken: agency.securityToken};
	}
	if (tty && !options.json && !options.yes) {
		const {showChecklist} = await import('../ui/cleanup/show.js');
		return showChecklist(context, state);
	}
	const items = await verifyChecklist(context, recorded ? state.checklist(build.id) : {});
	if (recorded) for (const item of items) if (item.state === 'verified') recordItem(state, build.id, item.id, 'verified');
	if (options.json) {
		io.out(
			JSON.stringify(
				{
					build: !recorded ? {id: null, recorded: false, note: 'no build recorded for this workspace (classic make image): leftovers found by the names the kit uses'} : {id: build.id, startedAt: build.startedAt, endedAt: build.endedAt ?? null, outcome: build.outcome ?? 'unfinished', imageId: build.imageId, ...(build.images ? {images: build.images} : {})},
					items: items.map(({actions: _actions, ...item}) => item),
				},
				null,
				2,
			),
		);
		return EXIT.ok;
	}
	io.out(recorded ? `Cleanup checklist of build ${build.id} (${build.outcome ?? 'never recorded an end'}):` : `Cleanup checklist for ${workspace} (no build recorded here, as after a classic make image; leftovers are found by the names the kit's builds use):`);
	for (const id of ITEM_ORDER) {
		const item = items.find(i => i.id === id)!;
		io.out(`  ${MARK[item.state]} ${item.title}: ${item.detail}${item.needsKeys ? ' (needs keys)' : ''}`);
		for (const finding of item.findings.slice(0, 10)) io.out(`      ${finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''} ` : ''}${finding.message}`);
	}
	io.out('Deletions and redactions are offered in a terminal: cce-image-wizard cleanup (without --yes).');
	return EXIT.ok;
}
