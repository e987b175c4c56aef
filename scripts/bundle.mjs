// Bundles the compiled CLI (dist/cli/main.js and everything it requires from dist/ and node_modules) into one file,
// dist/sg-lint.cjs, so a run resolves and compiles one file instead of ~150: cold start is what a pre-commit hook feels.
// Modules that load files next to themselves at run time stay external (web-tree-sitter loads its own .wasm,
// @viz-js/viz and @aws-cdk/cloudformation-diff are big and only needed by `graph --format svg` and `diff`); their
// `require` calls are already lazy in the sources. `__dirname` inside bundled dist/ files is rewritten to the file's
// original folder, so data files found relative to the code (dist/wasm, dist/engine/config-validator.js,
// package.json) are still found. Also writes dist/cli/help.txt (see writeHelp) and the bundle's V8 code cache (see
// writeCodeCache). Run by scripts/build.mjs after tsc; also usable alone: node scripts/bundle.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, unlinkSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** Keeps `__dirname` meaning "the folder this module was compiled into" inside the one-file bundle. */
const keepDirname = {
  name: 'keep-dirname',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('__dirname')) return { contents: source, loader: 'js' };
      const rel = relative(dist, dirname(args.path)).split(sep).join('/');
      const expr = rel ? `require('node:path').join(__dirname, ${JSON.stringify(rel)})` : '__dirname';
      return { contents: source.replace(/\b__dirname\b/g, expr), loader: 'js' };
    });
  },
};

export async function bundle() {
  await build({
    entryPoints: [join(dist, 'cli', 'main.js')],
    outfile: join(dist, 'sg-lint.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'eof',
    logLevel: 'warning',
    // Loaded only on some paths (YAML fallback and config files, config validation, config globs): kept out of the
    // bundle so a plain run does not compile them.
    external: ['web-tree-sitter', '@viz-js/viz', '@aws-cdk/cloudformation-diff', '@tree-sitter-grammars/tree-sitter-hcl/package.json', 'yaml', 'ajv', 'ajv/*', 'picomatch'],
    plugins: [keepDirname],
  });
  await stampBuildId();
  await writeHelp();
  writeCodeCache();
}

/**
 * Puts the bundle's build id (a hash of its content) on its first line, as a comment: the V8 code cache is named by it
 * (src/cli/code-cache.ts), because V8 itself checks only the length of the source a cache was made from.
 */
async function stampBuildId() {
  const file = join(dist, 'sg-lint.cjs');
  const code = await readFile(file, 'utf8');
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  await writeFile(file, `// sg-lint bundle ${id}\n${code}`);
}

/** Removes the caches of earlier bundles, then writes this bundle's code cache (scripts/warm-code-cache.cjs). */
function writeCodeCache() {
  for (const name of readdirSync(dist)) if (/^sg-lint\.cjs\..*\.cache$/.test(name)) unlinkSync(join(dist, name));
  execFileSync(process.execPath, [join(root, 'scripts', 'warm-code-cache.cjs')], { stdio: 'inherit' });
}

/**
 * Writes what `sg-lint --help` prints to dist/cli/help.txt, so bin/sg-lint.js can answer `--help` without loading the
 * bundle (src/cli/help.ts). The text is made from the option and rule tables: written by the bundle itself, it always
 * matches the bundle it was written with.
 */
async function writeHelp() {
  let text = '';
  const io = { stdout: (s) => (text += s), stderr: (s) => process.stderr.write(s), isTTY: false, env: {}, cwd: root };
  const code = await createRequire(import.meta.url)(join(dist, 'sg-lint.cjs')).main(['--help'], io);
  if (code !== 0 || text === '') throw new Error('sg-lint --help printed nothing');
  await writeFile(join(dist, 'cli', 'help.txt'), text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
