/** Variants of written entries: which rules are alternatives (Fn::If branches, AllowedValues), which can exist together, and which variant to report. */
import type { SecurityGroup, SgRule } from '../../model/types';

/** Assumptions of the rule and of its group (deduplicated, rule first). */
export function assumptionsOf(rule: SgRule, group?: SecurityGroup): string[] {
  return [...new Set([...rule.assumptions, ...(group?.assumptions ?? [])])];
}

/** True when some assumption is a condition ("when ..."): the exposure is possible rather than certain. */
export function isConditional(assumptions: readonly string[]): boolean {
  return assumptions.some((a) => a.startsWith('when '));
}

/** Key identifying a variant of a written entry: its assumptions. Rules of one entry with equal keys coexist. */
export function variantKey(rule: SgRule): string {
  return rule.assumptions.join('\u0000');
}

/**
 * Groups rules by their written entry, in first-seen order. Within an entry, rules with the same assumptions are
 * expansions that coexist (one per CIDR); rules with different assumptions are alternatives (Fn::If branches,
 * AllowedValues).
 */
export function byEntry(rules: readonly SgRule[]): Map<string, Map<string, SgRule[]>> {
  const out = new Map<string, Map<string, SgRule[]>>();
  for (const r of rules) {
    const variants = out.get(r.entry) ?? new Map<string, SgRule[]>();
    const list = variants.get(variantKey(r)) ?? [];
    list.push(r);
    variants.set(variantKey(r), list);
    out.set(r.entry, variants);
  }
  return out;
}

/** True when the assumptions require one condition to be both true and false. */
export function contradicts(assumptions: readonly string[]): boolean {
  const seen = new Map<string, string>();
  for (const a of assumptions) {
    const m = /^when condition (\S+) is (true|false)$/.exec(a);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    const prev = seen.get(m[1]);
    if (prev !== undefined && prev !== m[2]) return true;
    seen.set(m[1], m[2]);
  }
  return false;
}

/**
 * True when both rules can exist at the same time: they are not alternative variants of one written entry
 * (different Fn::If branches or AllowedValues) and their conditions do not contradict each other.
 */
export function canCoexist(a: SgRule, b: SgRule): boolean {
  if (a.entry === b.entry && a.assumptions.join('\u0000') !== b.assumptions.join('\u0000')) return false;
  return !contradicts([...a.assumptions, ...b.assumptions]);
}

/** True when any of the rules holds only under a condition ("when ..."). */
export function anyConditional(rules: readonly SgRule[]): boolean {
  return rules.some((r) => isConditional(r.assumptions));
}

/** The "when ..." assumptions of a rule. */
export function conditionsOf(rule: SgRule): string[] {
  return rule.assumptions.filter((a) => a.startsWith('when '));
}

/** True when `b` exists in every case `a` exists: every condition of `b` is also a condition of `a`. */
export function existsWhenever(b: SgRule, a: SgRule): boolean {
  const conditions = new Set(conditionsOf(a));
  return conditionsOf(b).every((c) => conditions.has(c));
}

/**
 * One list per written entry (in input order): the rules of its preferred variant, an unconditional one when there
 * is one, else the first. Rules report once per entry this way, however many Fn::If branches qualify.
 */
export function preferredVariants(rules: readonly SgRule[]): SgRule[][] {
  return [...byEntry(rules).values()].map((variants) => {
    const list = [...variants.values()];
    return list.find((v) => !isConditional(v[0]?.assumptions ?? [])) ?? list[0] ?? [];
  });
}

/** A candidate finding on one rule, ranked: lower `rank` is worse (reported first). */
export interface Ranked {
  rule: SgRule;
  rank: number;
}

/**
 * One candidate per written entry: the worst-ranked, unconditional variants before conditional ones, so an entry
 * with several Fn::If branches or CIDRs is reported once. Keeps input order of entries.
 */
export function worstPerEntry<T extends Ranked>(items: readonly T[]): T[] {
  const perEntry = new Map<string, T[]>();
  for (const item of items) {
    const list = perEntry.get(item.rule.entry);
    if (list) list.push(item);
    else perEntry.set(item.rule.entry, [item]);
  }
  return [...perEntry.values()].map(
    (list) =>
      [...list].sort((a, b) => a.rank - b.rank || Number(isConditional(a.rule.assumptions)) - Number(isConditional(b.rule.assumptions)))[0] as T,
  );
}
