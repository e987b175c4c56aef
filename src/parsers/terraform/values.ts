/**
 * The intermediate value tree every Terraform front-end (plan JSON, `.tf.json`, `.tf` HCL) produces and the model
 * builder reads: literal values with their source positions and the assumptions used to obtain them, unknown values
 * with a reason, and references to other resources' attributes.
 */
import { mergeConditions } from '../../model/conditions';
import type { Condition, SourceLocation, Suppression, ValueOrigin } from '../../model/types';

interface Base {
  /** Where the value is written. */
  loc?: SourceLocation;
  /** How the value was obtained (a variable's default, a module argument); absent when it is literal. */
  via?: Condition[];
  /** Where the value came from (the variable default, the module call argument): related locations of findings. */
  origins?: ValueOrigin[];
  /** Marked sensitive (a `sensitive = true` variable or `sensitive()`); the mark follows the value through functions. */
  sensitive?: boolean;
}

/** A string, number, boolean or null. */
export interface TfScalar extends Base {
  kind: 'scalar';
  value: string | number | boolean | null;
}

/** A list, set or tuple. */
export interface TfList extends Base {
  kind: 'list';
  items: TfVal[];
  /** Terraform's collection type: a tuple (`[...]`, the default), a list, or a set (unordered, deduplicated). */
  type?: 'tuple' | 'list' | 'set';
}

/** An object, map, or the body of a nested block (`ingress { ... }`). */
export interface TfObject extends Base {
  kind: 'object';
  fields: Map<string, TfVal>;
  /** Terraform's type: an object (`{...}`, the default) or a map. */
  type?: 'object' | 'map';
  /** Suppression comments written at a nested block. */
  suppressions?: Suppression[];
}

/** A value the configuration does not determine. */
export interface TfUnknown extends Base {
  kind: 'unknown';
  reason: string;
  /** Terraform itself rejects the expression (`reason` says why); sg-lint treats it as unknown. */
  error?: boolean;
  /**
   * The value is a string made of these pieces in order: known text and references known only after apply (what
   * `join()` and string templates build from references). `split()` can take it apart again when the references'
   * formats cannot contain the separator (see provider-attributes.ts).
   */
  parts?: (string | TfRef)[];
}

/** A reference to an attribute of a resource instance in the input (`aws_security_group.web.id`). */
export interface TfRef extends Base {
  kind: 'ref';
  /** Instance address, module prefix included: `module.db.aws_security_group.pg[0]`. */
  address: string;
  /** Referenced attribute: `id`, `name`, `arn`, ... */
  attribute: string;
}

export type TfVal = TfScalar | TfList | TfObject | TfUnknown | TfRef;

/** A literal scalar. */
export function scalar(value: string | number | boolean | null, loc?: SourceLocation): TfScalar {
  return loc ? { kind: 'scalar', value, loc } : { kind: 'scalar', value };
}

/** An unknown value with its reason. */
export function unknown(reason: string, loc?: SourceLocation): TfUnknown {
  return loc ? { kind: 'unknown', reason, loc } : { kind: 'unknown', reason };
}

/** Returns `v` with `via` appended (a shallow copy, so shared values are not modified). */
export function withVia(v: TfVal, via: readonly Condition[], origins: readonly ValueOrigin[] = []): TfVal {
  if (origins.length > 0) v = { ...v, origins: [...(v.origins ?? []), ...origins] };
  if (via.length === 0) return v;
  return { ...v, via: mergeConditions(v.via ?? [], via) };
}

/** Returns `v` located at `loc` when it has no location of its own. */
export function withLoc(v: TfVal, loc: SourceLocation | undefined): TfVal {
  return loc && !v.loc ? { ...v, loc } : v;
}

/** True for values Terraform treats as "not set": null, empty string, empty list. */
export function isUnset(v: TfVal | undefined): boolean {
  if (v === undefined) return true;
  if (v.kind === 'scalar') return v.value === null || v.value === '';
  if (v.kind === 'list') return v.items.length === 0;
  return false;
}

/** The field of an object value, or undefined. */
export function field(v: TfVal | undefined, name: string): TfVal | undefined {
  return v?.kind === 'object' ? v.fields.get(name) : undefined;
}

/** The items of a list value (a single non-list value counts as one item; unset counts as none). */
export function itemsOf(v: TfVal | undefined): TfVal[] {
  if (v === undefined || isUnset(v)) return [];
  return v.kind === 'list' ? v.items : [v];
}

/** Converts a plain JSON value into a TfVal (no positions). */
export function fromJson(value: unknown): TfVal {
  if (Array.isArray(value)) return { kind: 'list', items: value.map(fromJson) };
  if (value !== null && typeof value === 'object') {
    const fields = new Map<string, TfVal>();
    for (const [k, v] of Object.entries(value)) fields.set(k, fromJson(v));
    return { kind: 'object', fields };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return scalar(value);
  return unknown(`unsupported value ${String(value)}`);
}

/** Converts a TfVal into plain JSON when it is fully known (for `for_each` keys, templates, ...); undefined otherwise. */
export function toPlain(v: TfVal): unknown {
  switch (v.kind) {
    case 'scalar':
      return v.value;
    case 'list': {
      const out: unknown[] = [];
      for (const item of v.items) {
        const p = toPlain(item);
        if (p === undefined) return undefined;
        out.push(p);
      }
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, f] of v.fields) {
        const p = toPlain(f);
        if (p === undefined) return undefined;
        out[k] = p;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** The first unknown reason inside a value, if any part of it is unknown. */
export function unknownReason(v: TfVal): string | undefined {
  switch (v.kind) {
    case 'unknown':
      return v.reason;
    case 'list':
      for (const i of v.items) {
        const r = unknownReason(i);
        if (r !== undefined) return r;
      }
      return undefined;
    case 'object':
      for (const f of v.fields.values()) {
        const r = unknownReason(f);
        if (r !== undefined) return r;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Renders a scalar as Terraform string conversion does (numbers and bools as text); undefined for anything else. */
export function scalarText(v: TfVal): string | undefined {
  if (v.kind !== 'scalar' || v.value === null) return undefined;
  return String(v.value);
}

/**
 * Whether a value is too big to pass on: `deep` when lists and objects nest more than `maxDepth` levels, `large`
 * when it holds more than `maxNodes` values (shared parts counted each time they occur, as copies would hold them).
 * An iterative walk that stops at the first limit, so it is safe and cheap for any value.
 */
export function oversized(v: TfVal, maxDepth: number, maxNodes: number): 'deep' | 'large' | undefined {
  const pending: { v: TfVal; depth: number }[] = [{ v, depth: 0 }];
  let nodes = 0;
  for (let top = pending.pop(); top; top = pending.pop()) {
    if (++nodes > maxNodes) return 'large';
    const children = top.v.kind === 'list' ? top.v.items : top.v.kind === 'object' ? [...top.v.fields.values()] : [];
    if (children.length === 0) continue;
    if (top.depth + 1 > maxDepth) return 'deep';
    for (const c of children) pending.push({ v: c, depth: top.depth + 1 });
  }
  return undefined;
}
