/** The one sentence builder for "<subject> allows <what> from <peer>" findings, and the fragments messages share. */
import type { SecurityGroup, SgRule } from '../../model/types';
import { describeExposedPeer } from './peers';
import { trafficKey } from './traffic';
import { assumptionsOf, isConditional } from './variants';

/** " via parameter AdminCidr default, when condition IsProd is true", or "" without assumptions. */
export function describeHow(assumptions: readonly string[]): string {
  return assumptions.length === 0 ? '' : ` ${assumptions.join(', ')}`;
}

/** " when condition X is true" style suffix for assumptions of several rules, or "". */
export function assumptionSuffix(rules: readonly SgRule[]): string {
  const all = [...new Set(rules.flatMap((r) => r.assumptions))];
  return all.length === 0 ? '' : ` ${all.join(', ')}`;
}

/**
 * "<subject> allows <what> from <peer> via parameter X default", or with a condition among the assumptions
 * "<subject>: <what> can be opened to <peer> when condition X is true". `preposition` is "from" for ingress and
 * "to" for egress.
 */
export function openMessage(subject: string, what: string, preposition: 'from' | 'to', peer: string, assumptions: readonly string[]): string {
  const how = describeHow(assumptions);
  if (isConditional(assumptions)) return `${subject}: ${what} can be opened to ${peer}${how}`;
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
  return `${openMessage(subject, what, 'to', peer, assumptionsOf(rule, group))}${implicitNote(rule)}`;
}
