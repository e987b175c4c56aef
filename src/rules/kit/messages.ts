/** The one sentence builder for "<subject> allows <what> from <peer>" findings, and the fragments messages share. */
import { describeConditions, mergeConditionSets } from '../../model/conditions';
import type { Conditions, SecurityGroup, SgRule } from '../../model/types';
import { describeExposedPeer } from './peers';
import { trafficKey } from './traffic';
import { conditionsOf, isConditional } from './variants';

/** " via parameter AdminCidr default, when condition IsProd is true", or "" without conditions. */
export function describeHow(conditions: Conditions): string {
  const text = describeConditions(conditions);
  return text.length === 0 ? '' : ` ${text.join(', ')}`;
}

/** " when condition X is true" style suffix for the conditions of several rules, or "". */
export function assumptionSuffix(rules: readonly SgRule[]): string {
  return describeHow(mergeConditionSets(rules.map((r) => r.conditions)));
}

/**
 * "<subject> allows <what> from <peer> via parameter X default", or with a conditional condition
 * "<subject>: <what> can be opened to <peer> when condition X is true". `preposition` is "from" for ingress and
 * "to" for egress.
 */
export function openMessage(subject: string, what: string, preposition: 'from' | 'to', peer: string, conditions: Conditions): string {
  const how = describeHow(conditions);
  if (isConditional(conditions)) return `${subject}: ${what} can be opened to ${peer}${how}`;
  return `${subject} allows ${what} ${preposition} ${peer}${how}`;
}

/** Explains an implicit default egress rule in messages, or "" for a written rule. */
export function implicitNote(rule: SgRule): string {
  return rule.declaredAs === 'implicit'
    ? " (implicit: AWS's default allow-all egress, kept while no egress rule is written for the group)"
    : '';
}

/**
 * "<subject> allows all protocols to the whole internet (0.0.0.0/0)" or, under a condition, "<subject>: all
 * protocols can be opened to the whole internet (::/0) when condition X is true", plus the implicit-egress note.
 */
export function egressMessage(group: SecurityGroup, rule: SgRule, subject: string): string {
  const peer = rule.peer.known ? describeExposedPeer(rule.peer.value, 'world') : 'an unknown peer';
  const key = trafficKey(rule);
  const what = key === 'all' ? 'all protocols' : `every port (${key.startsWith('protocol-') ? key.replace('-', ' ') : key})`;
  return `${openMessage(subject, what, 'to', peer, conditionsOf(rule, group))}${implicitNote(rule)}`;
}
