/** Variants of written entries: which rules are alternatives (Fn::If branches, AllowedValues), which can exist together, and which variant to report. */
import { canHoldTogether, conditionKey, conditionsKey, isConditionalCondition, mergeConditions } from '../../model/conditions';
import type { Condition, Conditions, SecurityGroup, SgRule } from '../../model/types';

/** The conditions of the rule and of its group (deduplicated, rule first): what a finding on the rule assumes. */
export function conditionsOf(rule: SgRule, group?: SecurityGroup): Condition[] {
  return group === undefined ? rule.conditions : withGroupConditions(rule, group.conditions);
}

/** `conditionsOf(rule, group)` given the group's conditions (for callers that read the group's fields once). */
export function withGroupConditions(rule: SgRule, groupConditions: readonly Condition[]): Condition[] {
  return groupConditions.length === 0 ? rule.conditions : mergeConditions(rule.conditions, groupConditions);
}

/**
 * The name this helper had before conditions were typed (0.1): kept so plugins written then keep working.
 * @deprecated use `conditionsOf`.
 */
export const assumptionsOf = conditionsOf;

/**
 * True when the conditions can never hold together (one parameter with two values, `IsDev` with `IsProd`).
 * @deprecated 0.1's name; use `canCoexist(a, b)` for two rules.
 */
export function contradicts(conditions: Conditions): boolean {
  return !canHoldTogether(conditions);
}

/**
 * True when some condition makes the variant one possibility among others (a condition's outcome, a parameter's
 * AllowedValue): a finding on it says "can be opened" rather than "allows".
 */
export function isConditional(conditions: Conditions): boolean {
  return conditions.some(isConditionalCondition);
}

/** Key identifying a variant of a written entry: its conditions. Rules of one entry with equal keys coexist. */
export function variantKey(rule: SgRule): string {
  return conditionsKey(rule.conditions);
}

/**
 * Groups rules by their written entry, in first-seen order. Within an entry, rules with the same conditions are
 * expansions that coexist (one per CIDR); rules with different conditions are alternatives (Fn::If branches,
 * AllowedValues).
 */
export function byEntry(rules: readonly SgRule[]): Map<string, Map<string, SgRule[]>> {
  const out = new Map<string, Map<string, SgRule[]>>();
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as SgRule;
    let variants = out.get(r.entry);
    if (variants === undefined) out.set(r.entry, (variants = new Map<string, SgRule[]>()));
    const key = variantKey(r);
    const list = variants.get(key);
    if (list === undefined) variants.set(key, [r]);
    else list.push(r);
  }
  return out;
}

/**
 * True when both rules can exist at the same time: they are not alternative variants of one written entry
 * (different Fn::If branches or AllowedValues) and some deployment satisfies the conditions of both
 * (`canHoldTogether`: `IsDev: !Not [!Condition IsProd]` never holds with `IsProd`, a parameter has one value).
 */
export function canCoexist(a: SgRule, b: SgRule): boolean {
  if (a.entry === b.entry && variantKey(a) !== variantKey(b)) return false;
  return canHoldTogether(a.conditions, b.conditions);
}

/** True when any of the rules holds only under a condition. */
export function anyConditional(rules: readonly SgRule[]): boolean {
  return rules.some((r) => isConditional(r.conditions));
}

/**
 * True when `b` exists in every case `a` exists: each conditional condition of `b` is one of `a`'s, or is a condition
 * outcome whose opposite cannot hold together with `a`'s conditions (`a` under `IsProd` implies `b` under
 * `IsProdOrStaging: !Or [!Condition IsProd, ...]`).
 */
export function existsWhenever(b: SgRule, a: SgRule): boolean {
  const own = new Set(a.conditions.map(conditionKey));
  return b.conditions.every((c) => {
    if (!isConditionalCondition(c) || own.has(conditionKey(c))) return true;
    return c.kind === 'condition' && !canHoldTogether(a.conditions, [{ ...c, value: !c.value }]);
  });
}

/**
 * One list per written entry (in input order): the rules of its preferred variant, an unconditional one when there
 * is one, else the first. Rules report once per entry this way, however many Fn::If branches qualify.
 */
export function preferredVariants(rules: readonly SgRule[]): SgRule[][] {
  return [...byEntry(rules).values()].map((variants) => {
    const list = [...variants.values()];
    return list.find((v) => !isConditional(v[0]?.conditions ?? [])) ?? list[0] ?? [];
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
  // Most groups have no candidate at all: no map for them.
  if (items.length === 0) return [];
  const perEntry = new Map<string, T[]>();
  for (const item of items) {
    const list = perEntry.get(item.rule.entry);
    if (list) list.push(item);
    else perEntry.set(item.rule.entry, [item]);
  }
  return [...perEntry.values()].map(
    (list) =>
      [...list].sort((a, b) => a.rank - b.rank || Number(isConditional(a.rule.conditions)) - Number(isConditional(b.rule.conditions)))[0] as T,
  );
}
