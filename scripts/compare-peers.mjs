// Compares sg-lint with the peers' own test expectations in ../shared/corpus and prints the agreement table.
// The comparison (peer check -> sg-lint rule mapping, the known disagreements and why) lives in test/peers.test.ts so
// that CI enforces it; this script runs that test with the report switched on. Usage: node scripts/compare-peers.mjs
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const env = {
  ...process.env,
  SG_LINT_PEERS_REPORT: '1',
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim(),
};
const run = spawnSync(process.execPath, [jest, 'test/peers.test.ts'], { cwd: root, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
