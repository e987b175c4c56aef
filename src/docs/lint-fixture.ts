/** Runs sg-lint on one rule fixture, the way the fixture harness and the docs generator need it. */
import { lintRun } from '../engine/lint';
import type { LintRun } from '../engine/lint';
import { RULES } from '../rules';
import type { Fixture } from './fixtures';

/**
 * Lints one fixture with only its rule enabled (at its default severity, with the fixture's options), from `root`
 * so that paths in the result are repo-relative.
 */
export async function lintFixture(root: string, ruleId: string, fixture: Fixture): Promise<LintRun> {
  const rules: Record<string, 'off' | { options: Record<string, unknown> }> = {};
  for (const rule of RULES) rules[rule.meta.id] = 'off';
  rules[ruleId] = { options: fixture.config };
  return lintRun([fixture.path], { cwd: root, rules, preset: 'all', terraform: { fileOnly: true, env: {} } });
}
