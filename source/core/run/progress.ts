/**
 * The progress of a build, from Packer's events: the stages of the huaweicloud-ecs
 * builder (recognised from the plugin's own messages, at v0.4.0 and at v1.2.2), the
 * resource ledger (what exists in the account right now), the artifact and the errors.
 * Pure: event in, state out.
 */
import type {PluginGeneration} from '../plugin-pin.js';
import type {LedgerEntry} from '../state.js';
import type {PackerEvent} from './machine-readable.js';

export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export type Stage = {id: string; title: string; status: StageStatus; startedAt?: number; endedAt?: number; /** What the stage found or made, when it says more than its title (a copy's image ID, a failure). */ detail?: string};

export type Artifact = {builderId?: string; id?: string; string?: string};

export type Progress = {
	stages: Stage[];
	/** What Packer reported creating and not (yet) deleting. */
	ledger: LedgerEntry[];
	artifact?: Artifact;
	imageName?: string;
	errors: string[];
};

/**
 * The plan: the plugin's steps around the kit's provisioners, in the order they run.
 * 0.4.0 creates the system volume, launches the server from it, then binds an EIP; 1.2.x
 * creates the EIP first and launches the server with it, the system disk being the
 * server's root volume (no step of its own: skipped from the start), and waits for the
 * image within its image step.
 */
export function plannedStages(provisioners: {uploads: string[]; userScripts: string[]}, generation: PluginGeneration = 0): Stage[] {
	const stage = (id: string, title: string, status: StageStatus = 'pending'): Stage => ({id, title, status});
	const kit = [
		stage('ssh', 'Wait for SSH'),
		stage('script:00-prepare.sh', 'Kit: prepare (00-prepare.sh)'),
		...provisioners.uploads.map(name => stage(`upload:${name}`, `Upload ${name}`)),
		...provisioners.userScripts.map(name => stage(`script:${name}`, `Run ${name}`)),
		stage('script:99-finalize.sh', 'Kit: finalize (99-finalize.sh)'),
		stage('stop', 'Stop server'),
		stage('image', 'Create image'),
	];
	if (generation === 1) {
		return [
			stage('az', 'Availability zone'),
			stage('flavor', 'Flavor'),
			stage('keypair', 'Temporary key pair'),
			stage('eip', 'Elastic IP'),
			stage('server', 'Launch server'),
			stage('volume', "System volume (the server's root volume)", 'skipped'),
			...kit,
			stage('cleanup', 'Delete temporary resources'),
		];
	}
	return [
		stage('az', 'Availability zone'),
		stage('flavor', 'Flavor'),
		stage('keypair', 'Temporary key pair'),
		stage('volume', 'System volume'),
		stage('server', 'Launch server'),
		stage('eip', 'Elastic IP'),
		...kit,
		stage('image-wait', 'Wait for image'),
		stage('cleanup', 'Delete temporary resources'),
	];
}

export function initialProgress(stages: Stage[]): Progress {
	return {stages, ledger: [], errors: []};
}

const basename = (file: string) => file.split('/').pop() ?? file;

/** "Creating the image: NAME" (0.4.0) or "Creating the system image: NAME ..." (1.2.x). */
const CREATING_IMAGE = /^Creating the (?:[\w-]+ )?image: (.+?)(?: \.\.\.)?$/;

/** Which stage a message starts, if any (0.4.0's and 1.2.x's wording). */
function stageOf(text: string): {id: string; title?: string} | undefined {
	if (/^Loading availab(?:le|ility) zones/.test(text)) return {id: 'az'};
	if (/^Loading flavor: /.test(text)) return {id: 'flavor'};
	if (/^Creating temporary keypair: /.test(text) || /^Using (existing SSH private key|SSH Agent)/.test(text) || /^Not using temporary keypair/.test(text)) return {id: 'keypair'};
	if (/^Creating temporary VPC/.test(text)) return {id: 'network', title: 'Temporary VPC and subnet'};
	if (/^Creating volume\.\.\./.test(text)) return {id: 'volume'};
	if (/^Launching server in (?:az:|AZ )/.test(text)) return {id: 'server'};
	if (/^(Creating EIP|Searching for unassociated (?:floating|public) IP|Associating floating IP|Checking the provided public IP)/.test(text)) return {id: 'eip'};
	if (/^Waiting for SSH to become available/.test(text) || /^Using ssh communicator/.test(text)) return {id: 'ssh'};
	let match = /^Provisioning with shell script: (.+)$/.exec(text);
	if (match) return {id: `script:${basename(match[1]!)}`, title: `Run ${basename(match[1]!)}`};
	match = /^Uploading (.+) => (.+)$/.exec(text);
	if (match) return {id: `upload:${basename(match[1]!)}`, title: `Upload ${basename(match[1]!)}`};
	if (/^Provisioning with /.test(text)) return {id: `provisioner:${text.slice('Provisioning with '.length)}`, title: text};
	if (/^Stopping server: /.test(text)) return {id: 'stop'};
	if (CREATING_IMAGE.test(text)) return {id: 'image'};
	if (/^Waiting for image .* to become available/.test(text)) return {id: 'image-wait'};
	if (/^(Deleted temporary (?:floating|public) IP|Detacheing the volume|Terminating the source server|Deleting volume|Deleting temporary (?:keypair|subnet|VPC))/.test(text)) return {id: 'cleanup'};
	return undefined;
}

function withStage(progress: Progress, id: string, title: string | undefined, time: number): Progress {
	let stages = progress.stages;
	let target = stages.findIndex(s => s.id === id);
	// A stage runs once: later messages of a stage that has started change nothing. One
	// skipped without starting (passed over, or planned out) can still start if its message comes.
	if (target !== -1 && stages[target]!.startedAt !== undefined) return progress;
	if (target === -1) {
		// Not in the plan (another provisioner): it goes after the running stage.
		const running = stages.findIndex(s => s.status === 'running');
		const at = running === -1 ? stages.findIndex(s => s.status === 'pending') : running + 1;
		const index = at === -1 ? stages.length : at;
		stages = [...stages.slice(0, index), {id, title: title ?? id, status: 'pending'}, ...stages.slice(index)];
		target = index;
	}
	stages = stages.map((s, index) => {
		if (index === target) return {...s, status: 'running', startedAt: time, endedAt: undefined};
		if (s.status === 'running') return {...s, status: 'done', endedAt: time};
		// Stages before the new one that never started did not happen in this build.
		if (s.status === 'pending' && index < target) return {...s, status: 'skipped'};
		return s;
	});
	return {...progress, stages};
}

const add = (ledger: LedgerEntry[], entry: LedgerEntry) =>
	ledger.some(e => e.kind === entry.kind && e.id === entry.id) ? ledger.map(e => (e.kind === entry.kind && e.id === entry.id ? {...e, ...entry} : e)) : [...ledger, entry];
const remove = (ledger: LedgerEntry[], kind: string, id: string) => ledger.filter(e => !(e.kind === kind && e.id === id));

/** Resources created and deleted, from the plugin's messages (and its clean-up errors, which keep them). */
function withLedger(ledger: LedgerEntry[], text: string): LedgerEntry[] {
	let m: RegExpExecArray | null;
	if ((m = /^Created temporary keypair: (\S+)/.exec(text))) return add(ledger, {kind: 'keypair', id: m[1]!, name: m[1]!});
	if ((m = /^temporary VPC ID: ([\w-]+)/.exec(text))) return add(ledger, {kind: 'vpc', id: m[1]!, detail: 'vpc-packer-*'});
	if ((m = /^temporary subnet ID: ([\w-]+)/.exec(text))) {
		const vpc = ledger.findLast(e => e.kind === 'vpc');
		return add(ledger, {kind: 'subnet', id: m[1]!, detail: 'subnet-packer-*', ...(vpc ? {parent: vpc.id} : {})});
	}
	if ((m = /^Waiting for volume (\S+) \(volume id: ([\w-]+)\) to become available/.exec(text))) return add(ledger, {kind: 'volume', id: m[2]!, name: m[1]!});
	if ((m = /^Volume ID: ([\w-]+)/.exec(text))) return add(ledger, {kind: 'volume', id: m[1]!});
	if ((m = /^Server ID: ([\w-]+)/.exec(text))) return add(ledger, {kind: 'server', id: m[1]!});
	if ((m = /^Created EIP: '([\w-]+)' \(([^)]*)\)/.exec(text))) return add(ledger, {kind: 'eip', id: m[1]!, detail: m[2]!});
	if ((m = CREATING_IMAGE.exec(text))) return add(ledger, {kind: 'image', id: '(being created)', name: m[1]!});
	if ((m = /^Image: ([\w-]+)/.exec(text))) {
		const pending = ledger.find(e => e.kind === 'image' && e.id === '(being created)');
		return add(remove(ledger, 'image', '(being created)'), {kind: 'image', id: m[1]!, name: pending?.name});
	}
	if ((m = /^Deleted temporary (?:floating|public) IP '([\w-]+)'/.exec(text))) return remove(ledger, 'eip', m[1]!);
	if ((m = /^Terminating the source server: ([\w-]+)/.exec(text))) return remove(ledger, 'server', m[1]!);
	if ((m = /^Deleting volume: ([\w-]+)/.exec(text))) return remove(ledger, 'volume', m[1]!);
	if ((m = /^Deleting temporary keypair: (\S+)/.exec(text))) return remove(ledger, 'keypair', m[1]!);
	if ((m = /^Deleting temporary subnet: ([\w-]+)/.exec(text))) return remove(ledger, 'subnet', m[1]!);
	if ((m = /^Deleting temporary VPC: ([\w-]+)/.exec(text))) return remove(ledger, 'vpc', m[1]!);
	return ledger;
}

/** A clean-up error means the resource it names may still exist. */
function withCleanupError(progress: Progress, text: string, removed: LedgerEntry[]): LedgerEntry[] {
	let m: RegExpExecArray | null;
	const restore = (kind: string, id?: string) => {
		const entry = removed.find(e => e.kind === kind && (id === undefined || e.id === id));
		return entry ? add(progress.ledger, {...entry, detail: `${entry.detail ? `${entry.detail}; ` : ''}deletion failed`}) : progress.ledger;
	};
	// 1.2.x: "Error cleaning up keypair NAME. Please delete the key manually: <error>"; 0.4.0: "...manually: NAME".
	if ((m = /^Error cleaning up keypair (\S+?)\. Please delete the key manually/.exec(text))) return restore('keypair', m[1]);
	if ((m = /Please delete the key manually: (\S+)/.exec(text))) return restore('keypair', m[1]);
	if ((m = /Please delete the volume manually: ([\w-]+)/.exec(text))) return restore('volume', m[1]);
	if ((m = /^Error deleting temporary (?:floating|public) IP '([\w-]+)'/.exec(text))) return restore('eip', m[1]);
	if (/^Error terminating server, may still be around/.test(text) || /^Error detaching volume from server/.test(text)) return restore('server');
	if ((m = /^Error cleaning up subnet ([\w-]+)\. Please delete it manually/.exec(text))) return restore('subnet', m[1]);
	if ((m = /^Error cleaning up VPC ([\w-]+)\. Please delete it manually/.exec(text))) return restore('vpc', m[1]);
	return progress.ledger;
}

export type ProgressState = Progress & {
	/** Entries removed by "Deleting ..." messages, kept to restore them if the deletion fails. */
	removed: LedgerEntry[];
};

/**
 * The first words of every message a stage or the ledger reacts to: one test that lets the
 * bulk of a build's output (what the scripts print) through without trying each pattern.
 */
const INTERESTING = /^(?:Loading|Creating|Created|Using|Not using|Launching|Searching|Associating|Checking the provided|Waiting for|Provisioning with|Uploading|Stopping|Deleted|Detacheing|Terminating|Deleting|Volume ID|Server ID|Image: |temporary (?:VPC|subnet) ID)/;

export function applyEvent(progress: ProgressState, event: PackerEvent, now: number): ProgressState {
	switch (event.type) {
		case 'ui': {
			if (event.level !== 'error' && !INTERESTING.test(event.text)) return progress;
			if (event.level === 'error') {
				const ledger = withCleanupError(progress, event.text, progress.removed);
				// A step's error fails the running stage; Packer's closing summary ("Build 'x' errored ...") does not.
				const summary = /^Build '.*' errored/.test(event.text) || /^Some builds didn't complete/.test(event.text);
				const stages = summary ? progress.stages : progress.stages.map(s => (s.status === 'running' ? {...s, status: 'failed' as const, endedAt: now} : s));
				return {...progress, stages, ledger, errors: [...progress.errors, event.text].slice(-50)};
			}
			const stage = stageOf(event.text);
			let next: ProgressState = stage ? {...progress, ...withStage(progress, stage.id, stage.title, now)} : progress;
			const ledger = withLedger(next.ledger, event.text);
			if (ledger !== next.ledger) {
				const gone = next.ledger.filter(e => !ledger.includes(e) && !ledger.some(x => x.kind === e.kind && x.id === e.id));
				next = {...next, ledger, removed: [...next.removed, ...gone]};
			}
			const imageName = CREATING_IMAGE.exec(event.text)?.[1];
			return imageName ? {...next, imageName} : next;
		}
		case 'artifact': {
			const artifact = {...progress.artifact};
			if (event.field === 'builder-id') artifact.builderId = event.values[0];
			else if (event.field === 'id') artifact.id = event.values.join(',');
			else if (event.field === 'string') artifact.string = event.values.join(',');
			else return progress;
			return {...progress, artifact};
		}
		case 'build-error':
			return {...progress, errors: [...progress.errors, event.text].slice(-50)};
		default:
			return progress;
	}
}

/** The stages once the build has ended: the running one done (or failed), those never reached skipped. */
export function finishStages(stages: Stage[], outcome: 'success' | 'failed' | 'cancelled', now: number): Stage[] {
	return stages.map(s => {
		if (s.status === 'running') return {...s, status: outcome === 'success' ? 'done' : 'failed', endedAt: now};
		if (s.status === 'pending') return {...s, status: 'skipped'};
		return s;
	});
}

/** What may be left behind: the ledger less the image a successful build made on purpose. */
export function leftovers(progress: Progress, outcome: 'success' | 'failed' | 'cancelled'): LedgerEntry[] {
	return progress.ledger.filter(e => !(outcome === 'success' && e.kind === 'image' && e.id === progress.artifact?.id));
}
