/**
 * One small module per evaluation mechanism (fixtures/terraform-evaluation/*): count, for_each, dynamic blocks, type
 * constraints, functions, partial evaluation and `.tf.json` templates. Each is linted as a module directory and the
 * findings of the rules it is about must be exactly the `# expect:` comments of its files (by line; by resource,
 * instance keys left out, in `.tf.json`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lint } from '../src';
import { compareFindings, COMMENT_READER, TF_JSON_READER } from '../src/docs/fixtures';
import type { Expectation, Fixture } from '../src/docs/fixtures';

const ROOT = join(__dirname, '..');
const BASE = join('fixtures', 'terraform-evaluation');
const RULES = new Set(['open-admin-port', 'open-db-port', 'unknown-peer']);

const dirs = readdirSync(join(ROOT, BASE)).sort();

describe('Terraform evaluation fixtures', () => {
  test.each(dirs)('%s', async (name) => {
    const dir = join(BASE, name);
    const files = readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.tf') || f.endsWith('.tf.json'));
    const expectations: Expectation[] = [];
    for (const f of files) {
      const text = readFileSync(join(ROOT, dir, f), 'utf8');
      expectations.push(...(f.endsWith('.json') ? TF_JSON_READER : COMMENT_READER).read(text).expectations);
    }
    expect(expectations.length).toBeGreaterThan(0);
    const result = await lint([dir], { cwd: ROOT, config: false, preset: 'all' });
    expect(result.errors).toEqual([]);
    const findings = result.findings
      .filter((f) => RULES.has(f.ruleId))
      .map((f) => ({ ...f, resource: f.resource.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, '') }));
    const fixture: Fixture = { path: join(dir, files[0] ?? ''), kind: 'bad', config: {}, expectations };
    expect(compareFindings(fixture, findings)).toEqual({ missing: [], unexpected: [] });
  });
});
