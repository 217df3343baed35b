/**
 * `init --ci github|gitlab`: a CI workflow that builds a preset on a self-hosted runner on
 * the executor. The keys come from the CI's secret store by name and are never written
 * here; with the plugin pinned to 1.2.2 the long-term key only mints a temporary one.
 */
export const CI_KINDS = ['github', 'gitlab'] as const;
export type CiKind = (typeof CI_KINDS)[number];

export const isCiKind = (value: string): value is CiKind => (CI_KINDS as readonly string[]).includes(value);

export const CI_FILES: Record<CiKind, string> = {
	github: '.github/workflows/cce-image.yml',
	gitlab: '.gitlab-ci.yml',
};

export type WorkflowOptions = {
	preset: string;
	/** The package version to run (`npx cce-image-wizard@VERSION`): the same tool every month. */
	version: string;
	/** The plugin generation the kit pins: 1 (1.2.x) takes temporary credentials. */
	pluginGeneration: 0 | 1;
};

/** The environment names the workflow reads from the secret store (never values). */
export const SECRET_NAMES = ['IAM_ACCESS_KEY', 'IAM_SECRET_KEY'] as const;

const RESULT_FILE = 'cce-image-build.jsonl';
const CLEANUP_FILE = 'cce-image-cleanup.json';

/** A preset name is safe in a shell word and a YAML scalar (presets.ts allows [A-Za-z0-9._-]). */
function assertPlainPreset(preset: string): void {
	if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(preset)) throw new Error(`'${preset}' cannot be a preset name`);
}

function credentialsNote(generation: 0 | 1): string[] {
	return generation === 1
		? ['# credentials=temporary: the key from the secret store only mints a temporary credential (1 h);', '# Packer and the temporary ECS never see the long-term key.']
		: ['# The kit pins plugin 0.4.0, which takes no security token: the key goes to Packer as it is.', '# With `cce-image-wizard init --plugin 1.2.2`, set CCE_CREDENTIALS=temporary here.'];
}

export function workflowText(kind: CiKind, options: WorkflowOptions): string {
	assertPlainPreset(options.preset);
	const tool = `npx --yes cce-image-wizard@${options.version}`;
	const build = `${tool} build --preset ${options.preset} --yes --json > ${RESULT_FILE}`;
	const cleanup = `${tool} cleanup --json > ${CLEANUP_FILE}`;
	const credentials = options.pluginGeneration === 1 ? 'temporary' : 'key';
	const header = [
		`# Builds the CCE node image of preset ${options.preset} with cce-image-wizard (written by \`cce-image-wizard init --ci ${kind}\`).`,
		'# It runs on a self-hosted runner installed on the executor (an x86 ECS in the build VPC).',
		kind === 'github'
			? '# Keys: repository secrets IAM_ACCESS_KEY and IAM_SECRET_KEY (Settings → Secrets and variables → Actions).'
			: '# Keys: CI/CD variables IAM_ACCESS_KEY and IAM_SECRET_KEY, masked and protected (Settings → CI/CD → Variables).',
		'# No key belongs in this file or in the preset.',
		...credentialsNote(options.pluginGeneration),
		`# The build's JSON events (the last line is the result, with every image by region) and the`,
		'# cleanup checklist are kept as artifacts.',
	];
	if (kind === 'github') {
		return `${[
			...header,
			'name: cce-image',
			'on:',
			'  workflow_dispatch: {}',
			'  schedule:',
			"    - cron: '0 3 1 * *' # 03:00 UTC on the 1st of every month",
			'concurrency:',
			'  group: cce-image',
			'  cancel-in-progress: false',
			'jobs:',
			'  build:',
			'    runs-on: [self-hosted, linux, x64]',
			'    timeout-minutes: 240',
			'    env:',
			`      CCE_CREDENTIALS: ${credentials}`,
			'      IAM_ACCESS_KEY: ${{ secrets.IAM_ACCESS_KEY }}',
			'      IAM_SECRET_KEY: ${{ secrets.IAM_SECRET_KEY }}',
			'    steps:',
			'      - uses: actions/checkout@v4',
			'      - name: Build the image',
			`        run: ${build}`,
			'      - name: Cleanup checklist',
			'        if: always()',
			`        run: ${cleanup}`,
			'      - name: Keep the result',
			'        if: always()',
			'        uses: actions/upload-artifact@v4',
			'        with:',
			'          name: cce-image-result',
			'          path: |',
			`            ${RESULT_FILE}`,
			`            ${CLEANUP_FILE}`,
			'          retention-days: 90',
		].join('\n')}\n`;
	}
	return `${[
		...header,
		'cce-image:',
		'  tags: [cce-executor] # the tag of the runner on the executor',
		'  resource_group: cce-image',
		'  timeout: 4h',
		'  rules:',
		'    - if: $CI_PIPELINE_SOURCE == "schedule"',
		'    - if: $CI_PIPELINE_SOURCE == "web"',
		'  variables:',
		`    CCE_CREDENTIALS: ${credentials}`,
		'  script:',
		`    - ${build}`,
		'  after_script:',
		`    - ${cleanup}`,
		'  artifacts:',
		'    when: always',
		'    expire_in: 90 days',
		'    paths:',
		`      - ${RESULT_FILE}`,
		`      - ${CLEANUP_FILE}`,
	].join('\n')}\n`;
}
