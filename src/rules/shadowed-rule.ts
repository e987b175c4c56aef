/** Flags a rule whose traffic another rule of the same group and direction already admits in full. */
import type { SgRule } from '../model/types';
import { defineRule } from './api';
import { ContainmentIndex, hasSameRuleKey, listElementOf, ruleContains, ruleKey, sameRulePlace, whereWritten, writtenRules } from './kit/containment';
import { assumptionSuffix } from './kit/messages';
import { peerText } from './kit/peers';
import { describeTraffic } from './kit/traffic';
import { canCoexist, existsWhenever } from './kit/variants';

/**
 * For each rule strictly contained in another rule that exists whenever it does, the first such covering rule in
 * input order. Candidates come from a `ContainmentIndex` (see there for the cost), so rules are not compared pairwise;
 * within a class of identical candidates, the scan stops at the first that can coexist with the rule and exists
 * whenever it does, so it is longer only for conditional alternatives of one another.
 */
export function findShadowed(rules: readonly SgRule[]): { rule: SgRule; by: SgRule }[] {
  // A rule is covered only by another rule: a list of one (most egress lists) needs no index.
  if (rules.length < 2) return [];
  return rules.length <= SCAN_RULES ? shadowedByScan(rules) : shadowedByIndex(rules);
}

/**
 * Lists up to this long (nearly every group) are compared pairwise: building the index costs more than the at most
 * 8 x 8 comparisons.
 */
const SCAN_RULES = 8;

/**
 * `findShadowed` by comparing all pairs: for each rule, the first rule in input order that contains it
 * (`ruleContains`), is not the same rule (`sameRuleKey`: what the index keeps in the rule's own class), can coexist
 * with it and exists whenever it does. Exported for the test that compares it with `shadowedByIndex`.
 */
export function shadowedByScan(rules: readonly SgRule[]): { rule: SgRule; by: SgRule }[] {
  // Which rules have a key at all (`sameRuleKey` is undefined exactly for these), without building the keys: pairs
  // are compared field by field (`sameRulePlace`), cheaper than a string key per rule for lists this short.
  const keyed: boolean[] = [];
  for (let i = 0; i < rules.length; i++) keyed.push(hasSameRuleKey(rules[i] as SgRule));
  const out: { rule: SgRule; by: SgRule }[] = [];
  for (let i = 0; i < rules.length; i++) {
    if (!keyed[i]) continue;
    const rule = rules[i] as SgRule;
    for (let j = 0; j < rules.length; j++) {
      const a = rules[j] as SgRule;
      // The cheap containment test first: most pairs fail it.
      if (!keyed[j] || !ruleContains(a, rule) || sameRulePlace(a, rule)) continue;
      if (canCoexist(a, rule) && existsWhenever(a, rule)) {
        out.push({ rule, by: a });
        break;
      }
    }
  }
  return out;
}

/** `findShadowed` through a `ContainmentIndex` (near-linear on long lists). Exported for the comparison test. */
export function shadowedByIndex(rules: readonly SgRule[]): { rule: SgRule; by: SgRule }[] {
  const index = new ContainmentIndex(rules);
  const position = new Map<SgRule, number>();
  rules.forEach((r, i) => {
    if (!position.has(r)) position.set(r, i);
  });
  const out: { rule: SgRule; by: SgRule }[] = [];
  for (const rule of rules) {
    let by: SgRule | undefined;
    let at = Infinity;
    for (const candidates of index.containing(rule)) {
      // Each class is in input order: its first rule that qualifies is its earliest, and later ones cannot win.
      for (const a of candidates) {
        const p = position.get(a) ?? Infinity;
        if (p >= at) break;
        if (canCoexist(a, rule) && existsWhenever(a, rule)) {
          by = a;
          at = p;
          break;
        }
      }
    }
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
    fix: 'Delete the covered rule, or narrow the covering one if the covered rule says what was meant',
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
            `${describeTraffic(by)} ${prep} ${peerText(by)} (at ${whereWritten(by, group)})${assumptionSuffix([by])} and has no effect`;
          const element = listElementOf(rule, group);
          ctx.report({ target: { rule, group }, message, key: ruleKey(rule), ...(element ? { location: element } : {}) });
        }
      }
    }
  },
});
