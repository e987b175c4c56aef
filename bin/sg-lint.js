#!/usr/bin/env node
'use strict';
// The CLI runs the bundle in dist/. A published package and a release commit ship dist/ prebuilt; a source checkout
// (git clone, then `npm ci`) builds it here on the first run, with the dev tooling `npm ci` installed.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bundle = join(root, 'dist', 'sg-lint.cjs');
if (!existsSync(bundle)) buildFromSource();
const argv = process.argv.slice(2);
// `--help` and `--version` alone are answered from one small module, without loading the bundle.
const quick = require(join(root, 'dist', 'cli', 'help.js')).helpOrVersion(argv);
if (quick !== undefined) {
  process.stdout.write(quick);
} else {
  // Compiled with the V8 code cache the build wrote next to the bundle (src/cli/code-cache.ts).
  const loader = join(root, 'dist', 'cli', 'code-cache.js');
  const loaded = existsSync(loader) ? require(loader).loadBundle(bundle) : { exports: require(bundle), save() {} };
  loaded.exports.main(argv).then((code) => {
    process.exitCode = code;
    loaded.save();
  });
}

function buildFromSource() {
  const { mkdirSync, rmdirSync, statSync } = require('node:fs');
  const { spawnSync } = require('node:child_process');
  const script = join(root, 'scripts', 'build.mjs');
  if (!existsSync(script) || !existsSync(join(root, 'node_modules', 'typescript'))) {
    process.stderr.write('sg-lint: dist/ is missing: in a source checkout run "npm ci" and then "npm run build"\n');
    process.exit(2);
  }
  // One build at a time: a second process waits for the first one's bundle.
  const lock = join(root, '.build.lock');
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(bundle)) return;
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmdirSync(lock);
      if (Date.now() > deadline) break;
      spawnSync('sleep', ['0.5']);
    }
  }
  try {
    if (existsSync(bundle)) return;
    process.stderr.write('sg-lint: first run in a source checkout: building dist/ (npm run build)...\n');
    const r = spawnSync(process.execPath, [script], { cwd: root, stdio: ['ignore', 2, 2] });
    if (r.status !== 0 || !existsSync(bundle)) {
      process.stderr.write('sg-lint: the build failed; run "npm run build" to see why\n');
      process.exit(2);
    }
  } finally {
    try {
      rmdirSync(lock);
    } catch {
      // already gone
    }
  }
}
