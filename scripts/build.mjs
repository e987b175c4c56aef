// Builds dist/ from src/ with tsc and copies the runtime data files (the HCL grammar) next to it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

// The tree-sitter HCL grammar is a build-time dependency: only its .wasm file ships, inside dist/.
const grammarDir = join(root, 'node_modules', '@tree-sitter-grammars', 'tree-sitter-hcl');
mkdirSync(join(root, 'dist', 'wasm'), { recursive: true });
if (existsSync(grammarDir)) {
  cpSync(join(grammarDir, 'tree-sitter-hcl.wasm'), join(root, 'dist', 'wasm', 'tree-sitter-hcl.wasm'));
  cpSync(join(grammarDir, 'LICENSE'), join(root, 'dist', 'wasm', 'tree-sitter-hcl.LICENSE'));
}

// The config validator, compiled ahead of time from the rules' metadata (see scripts/gen-config-validator.mjs).
execFileSync(process.execPath, [join(root, 'scripts', 'gen-config-validator.mjs')], { stdio: 'inherit' });

// The CLI as one file (dist/sg-lint.cjs) for a faster cold start; see scripts/bundle.mjs.
await (await import('./bundle.mjs')).bundle();
