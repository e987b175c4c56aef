// The layer guards in eslint.config.mjs: arrows point down only. Each case lints one import line as if it were
// written in a file of that layer, so a guard that is removed or loosened fails here, not only in review.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

const DENIED: [string, string][] = [
  ['src/model/x.ts', '../parsers/types'],
  ['src/model/x.ts', '../rules/api'],
  ['src/model/x.ts', '../engine/types'],
  ['src/model/x.ts', '../cli/main'],
  ['src/parsers/x.ts', '../rules/api'],
  ['src/parsers/x.ts', '../engine/types'],
  ['src/parsers/cloudformation/x.ts', '../../engine/types'],
  ['src/parsers/terraform/x.ts', '../../cli/main'],
  ['src/engine/x.ts', '../cli/main'],
  ['src/rules/x.ts', '../engine/types'],
  ['src/rules/x.ts', '../parsers/types'],
  ['src/rules/x.ts', './open-admin-port'],
  ['src/rules/x.ts', 'node:fs'],
  ['src/rules/kit/x.ts', '../../engine/types'],
  ['src/rules/kit/x.ts', '../open-admin-port'],
];

const ALLOWED: [string, string][] = [
  ['src/model/x.ts', './types'],
  ['src/parsers/cloudformation/x.ts', '../../model/types'],
  ['src/parsers/cloudformation/x.ts', '../shared/tree'],
  ['src/rules/x.ts', '../model/types'],
  ['src/rules/x.ts', './api'],
  ['src/rules/x.ts', './kit/exposure'],
  ['src/rules/kit/x.ts', '../../model/types'],
  ['src/rules/kit/x.ts', '../api'],
  ['src/rules/kit/x.ts', './peers'],
  ['src/engine/x.ts', '../rules/api'],
];

// ESLint loads its flat config with a dynamic import, which Jest's module sandbox does not run: lint in a child.
const LINT = `
import { ESLint } from 'eslint';
import path from 'node:path';
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const [file, from] of cases) {
  const code = "import type { X } from '" + from + "';\\nexport type Y = X;\\n";
  const [r] = await eslint.lintText(code, { filePath: path.join(process.cwd(), file) });
  out.push(r.messages.filter((m) => m.ruleId === 'no-restricted-imports').length);
}
console.log(JSON.stringify(out));
`;

/** How many no-restricted-imports errors one import line gets in each file. */
const errors = (cases: [string, string][]): number[] =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', LINT, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8' })) as number[];

describe('layer guards in eslint.config.mjs', () => {
  it('refuse every import that points up or sideways', () => {
    const got = errors(DENIED);
    expect(DENIED.filter((_, i) => got[i] !== 1)).toEqual([]);
  });

  it('allow the imports each layer needs', () => {
    const got = errors(ALLOWED);
    expect(ALLOWED.filter((_, i) => got[i] !== 0)).toEqual([]);
  });
});
