/**
 * One problem, one finding: when several overlapping rules (the exposure rules of `rules/kit/overlap`) report the
 * same rule entry, the finding of the most specific rule stays and the others are folded into it — their ids in
 * `foldedRuleIds`, what they name added to its message, its severity the most severe of them.
 *
 * Folding runs after suppressions: a suppression naming any of the rules still silences that rule's finding, and only
 * unsuppressed findings are folded, so nothing a user suppressed comes back and nothing they did not is lost.
 */
import { describePeer } from '../model/peer';
import type { SgRule } from '../model/types';
import { overlapRank } from '../rules/kit/overlap';
import type { ObservedFinding } from './suppressions';
import type { Finding, Severity } from './types';
import { SEVERITIES } from './types';
import { minOf } from '../model/arrays';

/**
 * What a finding is about, for folding: the rule entry (file, resource, entry, direction), or for a group-level
 * finding on several rules that together cover the internet, the group and the address family.
 */
export function foldKey(o: ObservedFinding): string | undefined {
  const t = o.report.target;
  if ('rule' in t) return [o.finding.file, t.rule.resource, t.rule.entry, t.rule.direction].join('\u0000');
  const union = /ipv[46]-union/.exec(o.report.key ?? '')?.[0];
  if ('group' in t && union !== undefined) return [o.finding.file, t.group.address, union].join('\u0000');
  return undefined;
}

function peerOf(rule: SgRule | undefined): string {
  if (rule === undefined) return '';
  return rule.peer.known ? describePeer(rule.peer.value) : `unknown:${rule.peer.reason}`;
}

/**
 * Folds overlapping findings in place and returns the findings folded away (to drop from the result). Deterministic:
 * the order of `observed` does not matter.
 */
export function foldOverlaps(observed: readonly ObservedFinding[]): Set<Finding> {
  const byEntry = new Map<string, ObservedFinding[]>();
  for (const o of observed) {
    if (o.finding.suppression || overlapRank(o.finding.ruleId) === undefined) continue;
    const key = foldKey(o);
    if (key === undefined) continue;
    const list = byEntry.get(key);
    if (list) list.push(o);
    else byEntry.set(key, [o]);
  }
  const removed = new Set<Finding>();
  for (const list of byEntry.values()) {
    const ranks = list.map((o) => overlapRank(o.finding.ruleId) ?? Infinity);
    const top = minOf(ranks);
    const kept = list.filter((_, i) => ranks[i] === top).sort((a, b) => compareFinding(a.finding, b.finding));
    const folded = list
      .filter((_, i) => ranks[i] !== top)
      .sort((a, b) => (overlapRank(a.finding.ruleId) ?? 0) - (overlapRank(b.finding.ruleId) ?? 0) || compareFinding(a.finding, b.finding));
    if (folded.length === 0) continue;
    const into = new Map<Finding, ObservedFinding[]>();
    for (const o of folded) {
      const target = pickTarget(o, kept);
      into.set(target.finding, [...(into.get(target.finding) ?? []), o]);
      removed.add(o.finding);
    }
    for (const [finding, parts] of into) fold(finding, parts);
  }
  return removed;
}

/** The kept finding a folded one joins: the same variant of the entry, else the same peer, else the first. */
function pickTarget(o: ObservedFinding, kept: readonly ObservedFinding[]): ObservedFinding {
  const rule = ruleOf(o);
  if (rule === undefined) return kept[0] as ObservedFinding;
  return kept.find((k) => ruleOf(k) === rule) ?? kept.find((k) => peerOf(ruleOf(k)) === peerOf(rule)) ?? (kept[0] as ObservedFinding);
}

function ruleOf(o: ObservedFinding): SgRule | undefined {
  const t = o.report.target;
  return 'rule' in t ? t.rule : undefined;
}

function fold(finding: Finding, parts: readonly ObservedFinding[]): void {
  const ids = new Set(finding.foldedRuleIds ?? []);
  const included: string[] = [];
  let severity: Severity = finding.severity;
  for (const { finding: f, report } of parts) {
    ids.add(f.ruleId);
    if (SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(severity)) severity = f.severity;
    for (const item of report.includes ?? []) {
      if (!included.includes(item) && !finding.message.includes(item)) included.push(item);
    }
  }
  ids.delete(finding.ruleId);
  finding.foldedRuleIds = [...ids].sort();
  finding.severity = severity;
  if (included.length > 0) finding.message = `${finding.message}, including ${listText(included)}`;
}

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function compareFinding(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
