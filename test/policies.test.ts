// Policies without code: every folder under fixtures/policies has a .sg-lint.yaml with policies and bad/good inputs
// in several formats whose inline `# expect: <policy-id>` comments say where each policy must report. Only the
// policies' findings (namespaced ids) are compared; the built-in rules run too but are not what these fixtures test.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compareFindings, READERS } from '../src/docs/fixtures';
import type { Fixture } from '../src/docs/fixtures';
import { lint } from '../src/engine/lint';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'fixtures', 'policies');

function fixturesOf(kind: string): Fixture[] {
  return readdirSync(path.join(DIR, kind))
    .filter((n) => /^(bad|good)\./.test(n))
    .sort()
    .map((name) => {
      const rel = `fixtures/policies/${kind}/${name}`;
      const reader = READERS.find((r) => r.applies(name));
      const annotations = (reader ?? (READERS[READERS.length - 1] as (typeof READERS)[number])).read(readFileSync(path.join(ROOT, rel), 'utf8'));
      return { path: rel, kind: name.startsWith('bad.') ? 'bad' : 'good', ...annotations };
    });
}

const KINDS = readdirSync(DIR).sort();

describe('policy fixtures', () => {
  it('cover every kind of policy in CloudFormation YAML and Terraform .tf', () => {
    expect(KINDS).toEqual(['allow', 'forbid', 'limits', 'require']);
    for (const kind of KINDS) {
      const names = fixturesOf(kind).map((f) => path.basename(f.path));
      expect(names).toEqual(expect.arrayContaining(['bad.cfn.yaml', 'good.cfn.yaml', 'bad.tf', 'good.tf']));
    }
  });

  describe.each(KINDS)('%s', (kind) => {
    it.each(fixturesOf(kind).map((f) => [f.path, f] as const))('%s', async (_p, fixture) => {
      if (fixture.kind === 'bad') expect(fixture.expectations.length).toBeGreaterThan(0);
      else expect(fixture.expectations).toEqual([]);
      const result = await lint([fixture.path], { cwd: ROOT, terraform: { fileOnly: true, env: {} } });
      expect(result.errors).toEqual([]);
      const policyFindings = result.findings.filter((f) => f.ruleId.includes('/'));
      expect(compareFindings(fixture, policyFindings)).toEqual({ missing: [], unexpected: [] });
    });
  });
});
