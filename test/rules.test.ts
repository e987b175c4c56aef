// The fixture harness: every fixture under fixtures/rules/<rule-id>/ is linted with only that rule enabled, and the
// findings must equal the fixture's inline expectations (`# expect:` comments, or sg-lint:test Metadata in JSON).
// A `*.cdk.out` fixture is a folder (a cloud assembly) whose templates carry the JSON expectations.
import path from 'node:path';
import { fixtureFolders, listFixtures } from '../src/docs/fixtures';
import { getRule } from '../src/rules';
// The rule tester plugin authors use (`sg-lint/testing`): it lints with only the rule on and compares the markers.
import { RuleTester } from 'sg-lint/testing';

const tester = new RuleTester();

const ROOT = path.resolve(__dirname, '..');

describe.each(fixtureFolders(ROOT))('fixtures of %s', (ruleId) => {
  const fixtures = listFixtures(ROOT, ruleId);

  it('has at least one bad and one good fixture', () => {
    expect(fixtures.some((f) => f.kind === 'bad')).toBe(true);
    expect(fixtures.some((f) => f.kind === 'good')).toBe(true);
  });

  it.each(fixtures.map((f) => [f.path, f] as const))('%s', async (_path, fixture) => {
    if (fixture.kind === 'bad') expect(fixture.expectations.length).toBeGreaterThan(0);
    else expect(fixture.expectations).toEqual([]);
    const rule = getRule(ruleId);
    if (!rule) throw new Error(`fixtures/rules/${ruleId} names no rule`);
    // Throws, listing missing and unexpected findings, when they differ from the fixture's markers.
    const result = await tester.checkFile(rule, fixture.path, ROOT);
    if (fixture.templates === undefined) {
      expect(result.files).toEqual([fixture.path]);
    } else {
      // A cdk.out fixture is linted as one folder: sg-lint reports on its templates, every one of them.
      expect(fixture.templates.length).toBeGreaterThan(0);
      expect([...result.files].sort()).toEqual(fixture.templates);
    }
  });
});
