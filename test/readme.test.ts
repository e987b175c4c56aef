// The README is the first thing a user reads: its commands and its rule table must match the project.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/rules';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const PKG = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('README', () => {
  it('starts with the two commands a new user needs on a fresh clone', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npx sg-lint examples\//m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  it('lists every rule with a link to its page, and no rule that does not exist', () => {
    const listed = [...README.matchAll(/\| \[`([a-z0-9-]+)`\]\(docs\/rules\/\1\.md\)/g)].map((m) => m[1]);
    expect(listed).toEqual(RULES.map((r) => r.meta.id));
  });

  it('names only npm scripts that exist', () => {
    const named = [...README.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1] as string);
    for (const script of named) expect(Object.keys(PKG.scripts)).toContain(script);
  });
});
