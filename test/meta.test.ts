// Consistency of the rule set: registry, rule files, prose, fixtures and docs pages agree, and every rule's metadata
// follows the conventions users rely on (ids, descriptions, documented options with valid defaults).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { fixtureFolders } from '../src/docs/fixtures';
import { RULES } from '../src/rules';
import { RULE_TAGS } from '../src/rules/api';

const ROOT = path.resolve(__dirname, '..');
const ids = RULES.map((r) => r.meta.id);

function filesIn(dir: string, ext: string): string[] {
  return readdirSync(path.join(ROOT, dir))
    .filter((n) => n.endsWith(ext))
    .map((n) => n.slice(0, -ext.length))
    .sort();
}

describe('rule set consistency', () => {
  it('registry is sorted and ids are unique kebab-case', () => {
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('registry == rule files == prose files == fixture folders == docs pages', () => {
    expect(filesIn('src/rules', '.ts').filter((n) => n !== 'index' && n !== 'api')).toEqual(ids);
    expect(filesIn('src/rules', '.md')).toEqual(ids);
    expect(fixtureFolders(ROOT)).toEqual(ids);
    expect(filesIn('docs/rules', '.md').filter((n) => n !== 'README')).toEqual(ids);
  });

  it('every rule has a one-line fix hint: imperative, no trailing period (shown in text output and SARIF help)', () => {
    for (const { meta } of RULES) {
      expect({ id: meta.id, fix: typeof meta.fix === 'string' && meta.fix.length > 10 }).toEqual({ id: meta.id, fix: true });
      expect(meta.fix).not.toMatch(/[.\n]$/);
      expect(meta.fix?.charAt(0)).toMatch(/[A-Z]/);
    }
  });

  it('each rule file exports the rule with its own id', () => {
    for (const id of ids) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(ROOT, 'src', 'rules', `${id}.ts`)) as { default: { meta: { id: string } } };
      expect(mod.default.meta.id).toBe(id);
    }
  });
});

describe.each(RULES.map((r) => [r.meta.id, r] as const))('%s meta', (id, rule) => {
  const { meta } = rule;

  it('has an imperative one-line description without trailing period', () => {
    expect(meta.description).toMatch(/^(Disallow|Require|Enforce) [^\n]*[^.\s]$/);
  });

  it('has tags from the closed set and a plausible security severity', () => {
    expect(meta.tags.length).toBeGreaterThan(0);
    for (const tag of meta.tags) expect(RULE_TAGS).toContain(tag);
    if (meta.securitySeverity !== undefined) {
      const score = Number(meta.securitySeverity);
      expect(score).toBeGreaterThanOrEqual(0.1);
      expect(score).toBeLessThanOrEqual(10);
    }
  });

  it('documents every option with a default that validates against its schema', () => {
    const ajv = new Ajv({ strict: true });
    for (const [name, option] of Object.entries(meta.options as Record<string, { schema: object; default: unknown; description: string }>)) {
      expect(`${name}: ${option.description}`).toMatch(/^\w+: \S.{9,}/);
      const validate = ajv.compile(option.schema);
      expect({ name, valid: validate(option.default), errors: validate.errors ?? null }).toEqual({ name, valid: true, errors: null });
    }
  });

  it('has prose with the required headings, in order', () => {
    const prose = readFileSync(path.join(ROOT, 'src', 'rules', `${id}.md`), 'utf8');
    const headings = prose.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## Why is this risky?', '## How to fix', '## When not to use it', '## References']);
  });

  it('has fixtures on disk', () => {
    expect(existsSync(path.join(ROOT, 'fixtures', 'rules', id))).toBe(true);
  });
});
