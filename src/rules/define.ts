import type { Rule, RuleContext, RuleMeta } from '../engine/types';

/**
 * Declares a rule with typed options. The options type is checked against `meta.options`, so a missing default or
 * description is a compile error.
 */
export function defineRule<O extends object = Record<string, never>>(rule: {
  meta: RuleMeta<O>;
  check(ctx: RuleContext<O>): void;
}): Rule<O> {
  return rule;
}
