'use strict';
// Writes the V8 code cache of dist/sg-lint.cjs (src/cli/code-cache.ts) after linting a few inputs of every format
// with every rule and several report formats in this process, so the cache holds the bytecode of the functions a
// real run calls. Run by scripts/bundle.mjs as its own process (no V8 flags), so the cache is the one `sg-lint`
// started without flags reads. Inputs that are not there (a package built outside the repository) are skipped.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bundle = join(root, 'dist', 'sg-lint.cjs');
const { loadBundle } = require(join(root, 'dist', 'cli', 'code-cache.js'));

async function warm() {
  const loaded = loadBundle(bundle, { ...process.env, SG_LINT_CODE_CACHE: 'refresh' });
  const io = { stdout: () => {}, stderr: () => {}, isTTY: false, env: {}, cwd: root };
  const inputs = ['examples', join('fixtures', 'cross-format')].filter((p) => existsSync(join(root, p)));
  if (inputs.length > 0) {
    for (const format of ['json', 'text', 'sarif']) {
      await loaded.exports.main(['--preset', 'all', '--fail-on', 'none', '--no-error-on-unmatched', '-f', format, ...inputs], io);
    }
  }
  loaded.save();
  if (!existsSync(loaded.cacheFile)) throw new Error(`the code cache was not written: ${loaded.cacheFile}`);
}

warm().catch((e) => {
  process.stderr.write(`warm-code-cache: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
