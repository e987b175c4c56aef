// Writes every generated file from the built package: the rule docs (docs/rules/*.md), the configuration schema
// (schemas/config.schema.json) and the README's rule table. Run `npm run build` first (`npm run generate` does both).
// Stale pages of removed rules are deleted. test/generated.test.ts fails while a file on disk differs.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { generateAll } = require('../dist/docs/generate.js');

const files = await generateAll(root);
const docsDir = join(root, 'docs', 'rules');
mkdirSync(docsDir, { recursive: true });
for (const name of readdirSync(docsDir)) {
  if (name.endsWith('.md') && !files.has(`docs/rules/${name}`)) rmSync(join(docsDir, name));
}
let changed = 0;
for (const [relative, text] of files) {
  const target = join(root, relative);
  if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  changed++;
}
console.log(`${files.size} generated files, ${changed} rewritten`);
