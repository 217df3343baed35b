#!/usr/bin/env node
// Runs .ci/run the way CI does: in a fresh clone of the committed HEAD, with CI=true and
// no standard input, so that a missing install step or an uncommitted file shows up here
// first. Usage: make ci-local (or node tools/ci-in-clean-clone.mjs).
import {$, cd, tmpdir, echo} from 'zx';

const root = (await $`git rev-parse --show-toplevel`).stdout.trim();
const status = (await $`git -C ${root} status --porcelain`).stdout.trim();
if (status) echo('note: uncommitted changes are not part of this run (CI sees only commits).');

const clone = `${tmpdir('cce-ci-')}/repo`;
await $`git clone --quiet ${root} ${clone}`;
cd(clone);
echo(`Running .ci/run in ${clone}`);
const started = Date.now();
const run = await $({stdio: ['ignore', 'inherit', 'inherit'], env: {...process.env, CI: 'true'}, nothrow: true})`bash .ci/run`;
echo(`.ci/run exited ${run.exitCode} after ${Math.round((Date.now() - started) / 1000)} s`);
process.exitCode = run.exitCode ?? 1;
