/** Flags a rule whose traffic another rule of the same group and direction already admits in full. */
import { assumptionSuffix, canCoexist, describeTraffic, existsWhenever, peerText, ruleContains, ruleKey, sameRule, whereWritten, writtenRules } from '../model/relations';
import type { SgRule } from '../model/types';
import { defineRule } from './define';

/** For each rule strictly contained in another rule that exists whenever it does, the first such covering rule. */
export function findShadowed(rules: readonly SgRule[]): { rule: SgRule; by: SgRule }[] {
  const out: { rule: SgRule; by: SgRule }[] = [];
  for (const rule of rules) {
    const by = rules.find((a) => a !== rule && ruleContains(a, rule) && !sameRule(a, rule) && canCoexist(a, rule) && existsWhenever(a, rule));
    if (by) out.push({ rule, by });
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'shadowed-rule',
    description: 'Disallow rules that another rule of the same security group and direction fully covers',
    defaultSeverity: 'warning',
    tags: ['hygiene', 'redundancy'],
    recommended: true,
    references: {
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
    },
    options: {},
  },
  check(ctx) {
    for (const group of ctx.groups) {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const { rule, by } of findShadowed(writtenRules(group, direction))) {
          const prep = direction === 'ingress' ? 'from' : 'to';
          const message =
            `Security group ${group.address}: the ${direction} rule ${describeTraffic(rule)} ${prep} ${peerText(rule)} is covered by ` +
            `${describeTraffic(by)} ${prep} ${peerText(by)} (at ${whereWritten(by)})${assumptionSuffix([by])} and has no effect`;
          ctx.report({ target: { rule, group }, message, key: ruleKey(rule) });
        }
      }
    }
  },
});
