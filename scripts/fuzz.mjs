// The long fuzzing run, in two parts:
// 1. structure-aware fuzzing of the built pipeline over the corpus (scripts/fuzz-inputs.mjs): every input format
//    mutated by its own mutators, linted in worker processes under a time and memory bound, every report format
//    checked; SG_LINT_FUZZ_INPUTS inputs (default 2000), reported with the number tried;
// 2. the fast-check properties of test/property.test.ts with many more cases per property (SG_LINT_FUZZ_RUNS, default
//    2000) and more corpus templates to mutate (SG_LINT_FUZZ_FILES, default 200).
// Replay with SG_LINT_FUZZ_SEED=<seed printed>. Usage: npm run fuzz [-- extra jest options]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const env = {
  ...process.env,
  SG_LINT_FUZZ_RUNS: process.env.SG_LINT_FUZZ_RUNS ?? '2000',
  SG_LINT_FUZZ_FILES: process.env.SG_LINT_FUZZ_FILES ?? '200',
};
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const structured = spawnSync(process.execPath, [join(root, 'scripts', 'fuzz-inputs.mjs'), '--workers', process.env.SG_LINT_FUZZ_WORKERS ?? '2'], { cwd: root, env, stdio: 'inherit' });
console.log(`fuzz: ${env.SG_LINT_FUZZ_RUNS} cases per property, up to ${env.SG_LINT_FUZZ_FILES} corpus templates${env.SG_LINT_FUZZ_SEED ? `, seed ${env.SG_LINT_FUZZ_SEED}` : ''}`);
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, '--testTimeout=3600000', 'test/property.test.ts', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
process.exit(structured.status !== 0 ? (structured.status ?? 1) : (result.status ?? 1));
