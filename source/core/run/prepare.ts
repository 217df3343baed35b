/**
 * Before a build: every check, and what the checks found that the build needs
 * (the project ID for HW_PROJECT_ID).
 */
import {withAnswer, type Answers} from '../answers.js';
import {runChecks, type CheckResult} from '../checks/engine.js';
import {allChecks} from '../checks/index.js';
import type {BuildCredential} from '../cloud/credential.js';

export type Prepared = {
	results: CheckResult[];
	answers: Answers;
	blocked: boolean;
	warnings: number;
	/** With credentials=temporary|agency: the credential the checks obtained, for the build. Memory only. */
	credential?: BuildCredential;
};

export async function checkForBuild(
	workspace: string,
	answers: Answers,
	env: Readonly<Record<string, string | undefined>>,
	onResult?: (result: CheckResult) => void,
): Promise<Prepared> {
	const credential: {current?: BuildCredential} = {};
	const results = await runChecks(allChecks(env), {workspace, env, answers, credential}, {onResult});
	let next = answers;
	const projectId = results.find(r => r.id === 'cloud.credentials' && r.status !== 'fail')?.data?.['projectId'];
	if (typeof projectId === 'string' && !answers.get('project_id')?.value) next = withAnswer(answers, 'project_id', projectId, 'cloud');
	return {
		results,
		answers: next,
		blocked: results.some(r => r.status === 'fail'),
		warnings: results.filter(r => r.status === 'warn').length,
		...(credential.current ? {credential: credential.current} : {}),
	};
}
