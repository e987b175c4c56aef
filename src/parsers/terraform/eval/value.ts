/**
 * Terraform values for the evaluator: constructors, type names, equality, and the conversions Terraform applies
 * implicitly (number and bool to string and back). Values are the TfVal tree the model builder reads; collection
 * types ride along in `type` (tuple/list/set, object/map).
 */
import { mergeConditionSets } from '../../../model/conditions';
import type { Condition, SourceLocation, ValueOrigin } from '../../../model/types';
import type { TfList, TfObject, TfRef, TfScalar, TfUnknown, TfVal } from '../values';
import { pushAll } from '../../../model/arrays';

export type { TfVal } from '../values';

export const str = (value: string): TfScalar => ({ kind: 'scalar', value });
export const num = (value: number): TfScalar => ({ kind: 'scalar', value });
export const bool = (value: boolean): TfScalar => ({ kind: 'scalar', value });
export const nil = (): TfScalar => ({ kind: 'scalar', value: null });

export function tuple(items: TfVal[]): TfList {
  return { kind: 'list', items };
}

export function list(items: TfVal[]): TfList {
  return { kind: 'list', items, type: 'list' };
}

export function object(fields: Map<string, TfVal>): TfObject {
  return { kind: 'object', fields };
}

export function map(fields: Map<string, TfVal>): TfObject {
  return { kind: 'object', fields, type: 'map' };
}

/** A set: elements deduplicated and in Terraform's order (see sortSet). */
export function set(items: TfVal[]): TfList {
  const seen = new Map<string, TfVal>();
  for (const i of items) {
    const k = identity(i);
    if (!seen.has(k)) seen.set(k, i);
  }
  return { kind: 'list', items: sortSet([...seen.values()]), type: 'set' };
}

/** An error Terraform reports for the expression; sg-lint carries it as an unknown value with the message. */
export function error(message: string, loc?: SourceLocation): TfUnknown {
  return loc ? { kind: 'unknown', reason: message, error: true, loc } : { kind: 'unknown', reason: message, error: true };
}

/** True for a scalar string. */
export function isString(v: TfVal): v is TfScalar & { value: string } {
  return v.kind === 'scalar' && typeof v.value === 'string';
}

export function isNull(v: TfVal): boolean {
  return v.kind === 'scalar' && v.value === null;
}

/** True when no part of the value is unknown or a reference (a value known only after apply). */
export function isWhollyKnown(v: TfVal): boolean {
  return firstUnknown(v) === undefined;
}

/** The first unknown part (an error first), or a reference turned into an unknown; undefined when all is known. */
export function firstUnknown(v: TfVal): TfUnknown | undefined {
  let found: TfUnknown | undefined;
  const pending: TfVal[] = [v];
  for (let x = pending.pop(); x; x = pending.pop()) {
    if (x.kind === 'unknown') {
      if (x.error) return x;
      found ??= x;
    } else if (x.kind === 'ref') found ??= refUnknown(x);
    else if (x.kind === 'list') for (let i = x.items.length - 1; i >= 0; i--) pending.push(x.items[i] as TfVal);
    else if (x.kind === 'object') pushAll(pending, [...x.fields.values()].reverse());
  }
  return found;
}

/** A reference as an unknown value (its value is known only after apply). */
export function refUnknown(r: TfVal & { kind: 'ref' }): TfUnknown {
  const u: TfUnknown = { kind: 'unknown', reason: `${r.address}.${r.attribute}` };
  if (r.loc) u.loc = r.loc;
  if (r.via) u.via = r.via;
  return u;
}

/** Terraform's name for a value's type, as `type()` prints it. */
export function typeName(v: TfVal): string {
  switch (v.kind) {
    case 'scalar':
      return v.value === null ? 'dynamic' : typeof v.value === 'string' ? 'string' : typeof v.value === 'number' ? 'number' : 'bool';
    case 'unknown':
    case 'ref':
      return 'dynamic';
    case 'list': {
      if (v.type === 'list' || v.type === 'set') return `${v.type}(${v.items[0] ? typeName(v.items[0]) : 'dynamic'})`;
      return `tuple([${v.items.map(typeName).join(', ')}])`;
    }
    case 'object': {
      if (v.type === 'map') {
        const first = v.fields.values().next().value;
        return `map(${first ? typeName(first) : 'dynamic'})`;
      }
      return `object({${[...v.fields].sort(([a], [b]) => cmp(a, b)).map(([k, f]) => `${k}: ${typeName(f)}`).join(', ')}})`;
    }
  }
}

/** A short name of the kind of value, for messages ("a number is required", "string"). */
export function kindName(v: TfVal): string {
  if (v.kind === 'scalar') return v.value === null ? 'null' : typeof v.value === 'boolean' ? 'bool' : typeof v.value;
  if (v.kind === 'list') return v.type ?? 'tuple';
  if (v.kind === 'object') return v.type ?? 'object';
  return 'unknown';
}

/** Code-unit order of UTF-8 bytes would differ only outside the BMP; Terraform compares bytes. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A key that is equal for equal values (type included), for sets, distinct and equality. */
export function identity(v: TfVal): string {
  switch (v.kind) {
    case 'scalar':
      return typeof v.value === 'string' ? `s${v.value}` : typeof v.value === 'number' ? `n${normalizeNumber(v.value)}` : `x${String(v.value)}`;
    case 'list':
      return `${v.type ?? 'tuple'}[${v.items.map(identity).join(',')}]`;
    case 'object':
      return `${v.type ?? 'object'}{${[...v.fields].sort(([a], [b]) => cmp(a, b)).map(([k, f]) => `${JSON.stringify(k)}:${identity(f)}`).join(',')}}`;
    case 'ref':
      return `r${v.address}.${v.attribute}`;
    case 'unknown':
      // A string of known pieces and references is the same value exactly when its pieces are the same.
      if (v.parts) return `p${v.parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : `r${p.address}.${p.attribute}`)).join('+')}`;
      return `u${v.reason}`;
  }
}

/** Terraform's order of set elements: strings by bytes, numbers ascending, false before true; others by identity. */
export function sortSet(items: TfVal[]): TfVal[] {
  return [...items].sort((a, b) => {
    if (a.kind === 'scalar' && b.kind === 'scalar') {
      if (typeof a.value === 'number' && typeof b.value === 'number') return a.value - b.value;
      if (typeof a.value === 'string' && typeof b.value === 'string') return cmp(a.value, b.value);
      if (typeof a.value === 'boolean' && typeof b.value === 'boolean') return Number(a.value) - Number(b.value);
    }
    return cmp(identity(a), identity(b));
  });
}

/**
 * Terraform computes with 512-bit decimals; sg-lint with doubles. Comparisons and text use 15 significant digits,
 * so `0.1 + 0.2 == 0.3` as in Terraform.
 */
export function normalizeNumber(n: number): number {
  if (!Number.isFinite(n) || Number.isInteger(n)) return n;
  return Number(n.toPrecision(15));
}

/** A number as Terraform writes it: plain decimal digits, never an exponent. */
export function numberText(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (Number.isNaN(n)) return 'NaN';
  if (Object.is(n, -0)) return '-0';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  const v = normalizeNumber(n);
  const s = String(v);
  if (!/e/i.test(s)) return s;
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (!m) return s;
  const [, sign, d, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = `${d}${frac}`;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.padEnd(exp + 1, '0')}`;
}

/** Converts a known primitive to a string as Terraform does (undefined for null and non-primitives). */
export function toStringValue(v: TfVal): string | undefined {
  if (v.kind !== 'scalar' || v.value === null) return undefined;
  if (typeof v.value === 'number') return numberText(v.value);
  return String(v.value);
}

/** Parses a number the way Terraform converts strings (decimal, optional sign and exponent); undefined if not one. */
export function parseNumber(s: string): number | undefined {
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Copies `via`, `origins` (where the value came from), `sensitive` and `loc` from the inputs onto a result. */
export function carry<T extends TfVal>(result: T, from: readonly TfVal[], loc?: SourceLocation): T {
  const via: Condition[][] = [];
  const origins: ValueOrigin[] = [];
  let sensitive = result.sensitive === true;
  for (const f of from) {
    if (f.via && f.via.length > 0) via.push(f.via);
    for (const o of f.origins ?? []) if (!origins.includes(o)) origins.push(o);
    if (f.sensitive) sensitive = true;
  }
  const out: T = { ...result };
  if (via.length > 0) out.via = mergeConditionSets([result.via ?? [], ...via]);
  if (origins.length > 0) out.origins = [...new Set([...(result.origins ?? []), ...origins])];
  if (sensitive) out.sensitive = true;
  if (loc && !out.loc) out.loc = loc;
  return out;
}

/**
 * A string made of known text and references: the text when there is no reference, the reference itself when it is
 * all there is, else an unknown string that keeps its pieces (its reason is the first reference, as for any
 * expression that depends on it).
 */
export function pieces(parts: readonly (string | TfRef)[]): TfVal {
  const merged: (string | TfRef)[] = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
    else if (p !== '') merged.push(p);
  }
  const refs = merged.filter((p): p is TfRef => typeof p !== 'string');
  if (refs.length === 0) return str(merged.join(''));
  if (merged.length === 1) return refs[0] as TfRef;
  const first = refs[0] as TfRef;
  return { kind: 'unknown', reason: `${first.address}.${first.attribute}`, parts: merged };
}
