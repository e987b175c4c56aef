// The long property-based run: the fast-check properties of test/property.test.ts with many more cases per property
// (SG_LINT_FUZZ_RUNS, default 2000) and more corpus templates to mutate (SG_LINT_FUZZ_FILES, default 200).
// Replay a failure with SG_LINT_FUZZ_SEED=<seed fast-check printed>. Usage: npm run fuzz [-- extra jest options]
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
console.log(`fuzz: ${env.SG_LINT_FUZZ_RUNS} cases per property, up to ${env.SG_LINT_FUZZ_FILES} corpus templates${env.SG_LINT_FUZZ_SEED ? `, seed ${env.SG_LINT_FUZZ_SEED}` : ''}`);
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, '--testTimeout=3600000', 'test/property.test.ts', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
