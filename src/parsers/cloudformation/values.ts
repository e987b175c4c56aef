import { canHoldTogether, mergeConditions } from '../../model/conditions';
import type { Condition } from '../../model/conditions';
import type { Unknown } from '../../model/types';
import type { MapNode, TreeNode } from '../shared/tree';

/** A value an intrinsic-function expression evaluates to. */
export type Val =
  | { k: 'lit'; v: string | number | boolean | null }
  | { k: 'list'; items: Val[] }
  /** A literal mapping, left unevaluated: consumers read its fields. */
  | { k: 'map'; node: MapNode }
  /** A reference to a resource of the template (`Ref X`, `Fn::GetAtt X.Attr`). */
  | { k: 'ref'; target: string; attr?: string }
  /**
   * Not determined by the template; `label` is a short name for it ("parameter ExistingSg", "ImportValue SharedSg").
   * `invalid`: the template gives a value CloudFormation rejects, and `reason` says what is wrong.
   */
  | { k: 'unknown'; reason: string; label?: string; invalid?: true }
  /** `AWS::NoValue`: the property or list element is removed. */
  | { k: 'none' };

/** A node left unevaluated by `peel`, or a value. */
export type Shape = { k: 'node'; node: TreeNode } | Val;

/**
 * One alternative of an expression: the value and the conditions under which it holds (parameter values, condition
 * outcomes). Combinations whose conditions cannot hold together are dropped (`canHoldTogether`).
 */
export interface Alt<T> {
  v: T;
  a: readonly Condition[];
}

/** The conditions of an alternative without assumptions: one shared, frozen empty list (`Alt.a` is read-only). */
const NO_CONDITIONS: readonly Condition[] = Object.freeze([]);

/** An alternative without assumptions. */
export function plain<T>(v: T): Alt<T> {
  return { v, a: NO_CONDITIONS };
}

/** The unknown value with a reason. */
export function unknown(reason: string, label?: string): Val {
  return label === undefined ? { k: 'unknown', reason } : { k: 'unknown', reason, label };
}

/** The model value for an unknown `Val`: its reason, and whether it is invalid. */
export function toUnknown(v: { reason: string; invalid?: true }): Unknown {
  return v.invalid ? { known: false, reason: v.reason, invalid: true } : { known: false, reason: v.reason };
}

/** The unknown value for something the template writes wrongly: `reason` says what is wrong. */
export function invalid(reason: string): Val {
  return { k: 'unknown', reason, invalid: true };
}

/** Merges the conditions of two alternatives; undefined when they cannot hold together. */
export function mergeContext<A, B, T>(x: Alt<A>, y: Alt<B>, v: T): Alt<T> | undefined {
  if (y.a.length === 0) return { v, a: x.a };
  if (x.a.length === 0) return { v, a: y.a };
  const a = mergeConditions(x.a, y.a);
  return canHoldTogether(a) ? { v, a } : undefined;
}

/** Adds one condition to an alternative; undefined when it cannot hold together with the alternative's. */
export function assume<T>(alt: Alt<T>, condition: Condition): Alt<T> | undefined {
  return mergeContext(alt, { v: null, a: [condition] }, alt.v);
}

/** Result of combining alternatives: the kept ones and whether some were dropped for exceeding the cap. */
export interface Combined<T> {
  alts: Alt<T>[];
  capped: boolean;
}

/**
 * Every consistent combination of one alternative per list, in order, at most `max` of them: past the cap the last
 * kept alternative is replaced by `overflow`. Work stays proportional to lists x max^2, never exponential.
 */
export function combine<T>(lists: readonly Alt<T>[][], max: number, overflow: (n: number) => T[]): Combined<T[]> {
  const one = single(lists);
  if (one !== undefined) return { alts: one, capped: false };
  // An expression resting on this many distinct choices (conditions, parameters) is a branch explosion: answering
  // "capped" at once keeps the work linear instead of lists x max x choices.
  if (distinctChoices(lists) > MAX_CHOICES) return { alts: [plain(overflow(max))], capped: true };
  let acc: Alt<T[]>[] = [plain<T[]>([])];
  let capped = false;
  // Indexed loops and slice/push rather than for-of and spreads: no iterator objects in code not yet optimised.
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l] as Alt<T>[];
    const next: Alt<T[]>[] = [];
    outer: for (let i = 0; i < acc.length; i++) {
      const x = acc[i] as Alt<T[]>;
      for (let j = 0; j < list.length; j++) {
        const y = list[j] as Alt<T>;
        const values = x.v.slice();
        values.push(y.v);
        const m = mergeContext(x, y, values);
        if (!m) continue;
        next.push(m);
        if (next.length > max) {
          capped = true;
          break outer;
        }
      }
    }
    acc = next;
  }
  if (capped || acc.length > max) {
    capped = true;
    acc = [...acc.slice(0, Math.max(0, max - 1)), plain(overflow(max))];
  }
  return { alts: acc, capped };
}

/** Most distinct choices (`cond:X`, `param:Y`) one combination may rest on before it counts as capped. */
export const MAX_CHOICES = 64;

function distinctChoices<T>(lists: readonly Alt<T>[][]): number {
  const keys = new Set<string>();
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l] as Alt<T>[];
    for (let i = 0; i < list.length; i++) {
      const a = (list[i] as Alt<T>).a;
      for (let k = 0; k < a.length; k++) {
        const c = a[k] as Condition;
        keys.add(c.kind === 'condition' ? `cond:${c.name}` : c.kind === 'parameter' ? `param:${c.name}` : c.kind);
        if (keys.size > MAX_CHOICES) return keys.size;
      }
    }
  }
  return keys.size;
}

/** Most values `toPlain` writes out; the rest of a larger value is shown as "…". */
const MAX_PLAIN_VALUES = 20;

/**
 * Plain JavaScript form of a value, for messages. Bounded: values evaluated from mappings share structure, so a small
 * template can evaluate to a list with 2^40 leaves; past `MAX_PLAIN_VALUES` values the rest is "…".
 */
export function toPlain(v: Val, budget: { left: number } = { left: MAX_PLAIN_VALUES }): unknown {
  if (--budget.left < 0) return '…';
  switch (v.k) {
    case 'lit':
      return v.v;
    case 'list': {
      const out: unknown[] = [];
      for (const item of v.items) {
        if (budget.left <= 0) {
          out.push('…');
          break;
        }
        out.push(toPlain(item, budget));
      }
      return out;
    }
    case 'map':
      return Object.fromEntries([...v.node.entries.keys()].map((k) => [k, '…']));
    case 'ref':
      return v.attr ? `Fn::GetAtt ${v.target}.${v.attr}` : `Ref ${v.target}`;
    case 'unknown':
      return v.reason;
    case 'none':
      return undefined;
  }
}

/** How a value that is not a scalar is named in messages: "a list", "a mapping". */
export function describeShape(v: Val): string {
  if (v.k === 'list') return 'a list';
  if (v.k === 'map') return 'a mapping';
  if (v.k === 'lit') return v.v === null ? 'null' : typeof v.v;
  return v.k;
}

/** The reason an unresolved reference cannot be used as a literal: "Ref MyVpc", "Fn::GetAtt Vpc.CidrBlock". */
export function refReason(v: { target: string; attr?: string }): string {
  return v.attr ? `Fn::GetAtt ${v.target}.${v.attr}` : `Ref ${v.target}`;
}

/**
 * Fast path of `combine` when every list has one alternative (undefined when some list has not): linear, no copying
 * per step. The conditions are those of the one alternative that has any (the same array), else merged as
 * `mergeContext` merges them, and no combination at all when they cannot hold together.
 */
function single<T>(lists: readonly Alt<T>[][]): Alt<T[]>[] | undefined {
  const n = lists.length;
  for (let i = 0; i < n; i++) if ((lists[i] as Alt<T>[]).length !== 1) return undefined;
  const values: T[] = [];
  let a: readonly Condition[] = NO_CONDITIONS;
  let consistent = true;
  for (let i = 0; i < n; i++) {
    const only = (lists[i] as Alt<T>[])[0] as Alt<T>;
    values.push(only.v);
    if (!consistent || only.a.length === 0) continue;
    if (a.length === 0) {
      a = only.a;
      continue;
    }
    a = mergeConditions(a, only.a);
    consistent = canHoldTogether(a);
  }
  return consistent ? [{ v: values, a }] : [];
}
