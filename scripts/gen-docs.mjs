// Writes the generated rule docs (docs/rules/*.md) from the built package: run `npm run build` first
// (`npm run docs` does both). Stale pages of removed rules are deleted.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { generateDocs } = require('../dist/docs/generate.js');

const files = await generateDocs(root);
const docsDir = join(root, 'docs', 'rules');
mkdirSync(docsDir, { recursive: true });
for (const name of readdirSync(docsDir)) {
  if (name.endsWith('.md') && !files.has(`docs/rules/${name}`)) rmSync(join(docsDir, name));
}
for (const [relative, text] of files) {
  const target = join(root, relative);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
console.log(`Wrote ${files.size} files to docs/rules/`);
