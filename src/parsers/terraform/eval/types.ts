/**
 * Terraform type constraints (`string`, `list(object({ port = number, cidr = optional(string, "10.0.0.0/8") }))`,
 * `any`) and conversion of values to them, as variables, `tolist`/`toset`/`tomap` and conditional results apply.
 */
import type { Expr } from './ast';
import type { TfVal } from './value';
import { carry, error, isNull, kindName, list, map, numberText, object, parseNumber, set, tuple } from './value';
import { quoteInput } from '../../../model/quote';

export type Type =
  | { t: 'string' }
  | { t: 'number' }
  | { t: 'bool' }
  | { t: 'any' }
  | { t: 'list' | 'set' | 'map'; elem: Type }
  | { t: 'tuple'; elems: Type[] }
  | { t: 'object'; attrs: Map<string, Attr> };

export interface Attr {
  type: Type;
  optional: boolean;
  /** The `optional(type, default)` default, converted when it is used. */
  default?: TfVal;
}

export const ANY: Type = { t: 'any' };

/**
 * Reads a type constraint from its expression; `evalDefault` evaluates `optional()` defaults. Returns a message for
 * an invalid constraint.
 */
export function readType(e: Expr, evalDefault: (e: Expr) => TfVal): Type | string {
  if (e.t === 'variable') {
    if (e.name === 'string' || e.name === 'number' || e.name === 'bool' || e.name === 'any') return { t: e.name };
    return `unknown type ${e.name}`;
  }
  if (e.t === 'literal' && typeof e.value === 'string') {
    // Terraform 0.11 quoted types.
    if (e.value === 'string') return { t: 'string' };
    if (e.value === 'list') return { t: 'list', elem: ANY };
    if (e.value === 'map') return { t: 'map', elem: ANY };
    return `unknown type ${quoteInput(String(e.value))}`;
  }
  if (e.t !== 'call') return 'not a type';
  const [a] = e.args;
  switch (e.name) {
    case 'list':
    case 'set':
    case 'map': {
      if (!a || e.args.length !== 1) return `${e.name}() takes one element type`;
      const elem = readType(a, evalDefault);
      return typeof elem === 'string' ? elem : { t: e.name, elem };
    }
    case 'tuple': {
      if (a?.t !== 'tuple') return 'tuple() takes a list of types';
      const elems: Type[] = [];
      for (const x of a.items) {
        const t = readType(x, evalDefault);
        if (typeof t === 'string') return t;
        elems.push(t);
      }
      return { t: 'tuple', elems };
    }
    case 'object': {
      if (a?.t !== 'object') return 'object() takes an object of attribute types';
      const attrs = new Map<string, Attr>();
      for (const item of a.items) {
        const name = item.bare ?? (item.key.t === 'literal' ? String(item.key.value) : undefined);
        if (name === undefined) return 'object attribute names must be literal';
        const v = item.value;
        if (v.t === 'call' && v.name === 'optional') {
          const [ty, def] = v.args;
          if (!ty) return 'optional() takes a type';
          const inner = readType(ty, evalDefault);
          if (typeof inner === 'string') return inner;
          const attr: Attr = { type: inner, optional: true };
          if (def) attr.default = evalDefault(def);
          attrs.set(name, attr);
        } else {
          const inner = readType(v, evalDefault);
          if (typeof inner === 'string') return inner;
          attrs.set(name, { type: inner, optional: false });
        }
      }
      return { t: 'object', attrs };
    }
    default:
      return `unknown type ${e.name}()`;
  }
}

/** Terraform's text of a type constraint. */
export function typeText(t: Type): string {
  switch (t.t) {
    case 'list':
    case 'set':
    case 'map':
      return `${t.t}(${typeText(t.elem)})`;
    case 'tuple':
      return `tuple([${t.elems.map(typeText).join(', ')}])`;
    case 'object':
      return `object({${[...t.attrs].map(([k, a]) => `${k}: ${typeText(a.type)}`).join(', ')}})`;
    case 'any':
      return 'dynamic';
    default:
      return t.t;
  }
}

/**
 * Converts a value to a type as Terraform does; an error value (with the attribute path) when it cannot. Unknown
 * parts stay unknown; a null converts to any type (optional attributes then take their defaults).
 */
export function convert(v: TfVal, t: Type, path = ''): TfVal {
  if (v.kind === 'unknown' || v.kind === 'ref') return v;
  if (isNull(v)) return v;
  const at = path ? ` at ${path}` : '';
  switch (t.t) {
    case 'any':
      return v;
    case 'string':
      if (v.kind === 'scalar') return carry({ kind: 'scalar', value: typeof v.value === 'number' ? numberText(v.value) : String(v.value) }, [v], v.loc);
      return error(`string required${at}, but have ${kindName(v)}`);
    case 'number': {
      if (v.kind === 'scalar' && typeof v.value === 'number') return v;
      if (v.kind === 'scalar' && typeof v.value === 'string') {
        const n = parseNumber(v.value);
        if (n !== undefined) return carry({ kind: 'scalar', value: n }, [v], v.loc);
        return error(`a number is required${at}`);
      }
      return error(`number required${at}, but have ${kindName(v)}`);
    }
    case 'bool': {
      if (v.kind === 'scalar' && typeof v.value === 'boolean') return v;
      if (v.kind === 'scalar' && (v.value === 'true' || v.value === 'false' || v.value === '1' || v.value === '0')) return carry({ kind: 'scalar', value: v.value === 'true' || v.value === '1' }, [v], v.loc);
      return error(`bool required${at}, but have ${kindName(v)}`);
    }
    case 'list':
    case 'set': {
      if (v.kind !== 'list') return error(`${t.t} of ${typeText(t.elem)} required${at}, but have ${kindName(v)}`);
      const items: TfVal[] = [];
      for (let i = 0; i < v.items.length; i++) {
        const c = convert(v.items[i] as TfVal, t.elem, `${path}[${i}]`);
        if (c.kind === 'unknown' && c.error) return c;
        items.push(c);
      }
      const unified = t.elem.t === 'any' ? unify(items) : items;
      if (!Array.isArray(unified)) return error(`cannot convert ${kindName(v)} to ${t.t} of any single type${at}`);
      return carry(t.t === 'set' ? set(unified) : list(unified), [v], v.loc);
    }
    case 'map': {
      if (v.kind !== 'object') return error(`map of ${typeText(t.elem)} required${at}, but have ${kindName(v)}`);
      const keys = [...v.fields.keys()];
      const items: TfVal[] = [];
      for (const k of keys) {
        const c = convert(v.fields.get(k) as TfVal, t.elem, `${path}[${JSON.stringify(k)}]`);
        if (c.kind === 'unknown' && c.error) return c;
        items.push(c);
      }
      const unified = t.elem.t === 'any' ? unify(items) : items;
      if (!Array.isArray(unified)) return error(`cannot convert ${kindName(v)} to map of any single type${at}`);
      return carry(map(new Map(keys.map((k, i) => [k, unified[i] as TfVal]))), [v], v.loc);
    }
    case 'tuple': {
      if (v.kind !== 'list') return error(`tuple required${at}, but have ${kindName(v)}`);
      if (v.items.length !== t.elems.length) return error(`tuple required${at}: ${t.elems.length} elements are required, but have ${v.items.length}`);
      const items: TfVal[] = [];
      for (let i = 0; i < v.items.length; i++) {
        const c = convert(v.items[i] as TfVal, t.elems[i] ?? ANY, `${path}[${i}]`);
        if (c.kind === 'unknown' && c.error) return c;
        items.push(c);
      }
      return carry(tuple(items), [v], v.loc);
    }
    case 'object': {
      if (v.kind !== 'object') return error(`object required${at}, but have ${kindName(v)}`);
      const fields = new Map<string, TfVal>();
      for (const [name, attr] of t.attrs) {
        const given = v.fields.get(name);
        const sub = path ? `${path}.${name}` : name;
        if (given === undefined || isNull(given)) {
          if (given === undefined && !attr.optional) return error(`attribute "${name}" is required${path ? ` at ${path}` : ''}`);
          if (attr.default !== undefined) {
            const d = convert(attr.default, attr.type, sub);
            if (d.kind === 'unknown' && d.error) return d;
            fields.set(name, d);
          } else fields.set(name, given ?? { kind: 'scalar', value: null });
          continue;
        }
        const c = convert(given, attr.type, sub);
        if (c.kind === 'unknown' && c.error) return c;
        fields.set(name, c);
      }
      return carry(object(fields), [v], v.loc);
    }
  }
}

/**
 * Converts elements to one type, as `tolist`/`toset`/`tomap` of mixed elements do: strings win over numbers and
 * bools; numbers and bools do not mix; structures must share their shape. Returns undefined when they cannot.
 */
export function unify(items: TfVal[]): TfVal[] | undefined {
  const known = items.filter((i) => i.kind !== 'unknown' && i.kind !== 'ref' && !isNull(i));
  if (known.length === 0) return items;
  const kinds = new Set(known.map((i) => (i.kind === 'scalar' ? typeof i.value : i.kind === 'list' ? (i.type ?? 'tuple') : i.kind === 'object' ? (i.type ?? 'object') : i.kind)));
  if (kinds.size === 1) {
    const [kind] = kinds;
    if (kind === 'object') {
      const shape = (i: TfVal): string => (i.kind === 'object' ? [...i.fields.keys()].sort().join('\0') : '');
      const first = shape(known[0] as TfVal);
      if (known.some((i) => shape(i) !== first)) {
        // Objects of different attributes unify to maps of one element type.
        const all = unify(known.flatMap((i) => (i.kind === 'object' ? [...i.fields.values()] : [])));
        if (!all) return undefined;
        let at = 0;
        return items.map((i) => {
          if (i.kind !== 'object') return i;
          const keys = [...i.fields.keys()];
          const fields = new Map(keys.map((k, n) => [k, all[at + n] as TfVal]));
          at += keys.length;
          return { ...i, fields, type: 'map' as const };
        });
      }
      return columns(items, (i) => (i.kind === 'object' ? [...i.fields.values()] : []), (i, vals) => (i.kind === 'object' ? { ...i, fields: new Map([...i.fields.keys()].map((k, n) => [k, vals[n] as TfVal])) } : i));
    }
    if (kind === 'tuple') {
      const len = (known[0] as { items: TfVal[] }).items.length;
      if (known.some((i) => i.kind === 'list' && i.items.length !== len)) return undefined;
      return columns(items, (i) => (i.kind === 'list' ? i.items : []), (i, vals) => (i.kind === 'list' ? { ...i, items: vals } : i));
    }
    return items;
  }
  const scalars = [...kinds].every((k) => k === 'string' || k === 'number' || k === 'boolean');
  if (scalars && kinds.has('string')) return items.map((i) => convert(i, { t: 'string' }));
  if ([...kinds].every((k) => k === 'list' || k === 'tuple')) return items.map((i) => (i.kind === 'list' ? { ...i, type: 'list' as const } : i));
  if ([...kinds].every((k) => k === 'map' || k === 'object')) return items.map((i) => (i.kind === 'object' ? { ...i, type: 'map' as const } : i));
  return undefined;
}

/** Unifies structures position by position (tuple elements, object attributes); undefined when a position cannot. */
function columns(items: TfVal[], parts: (v: TfVal) => TfVal[], rebuild: (v: TfVal, parts: TfVal[]) => TfVal): TfVal[] | undefined {
  const withParts = items.filter((i) => parts(i).length > 0);
  const width = withParts[0] ? parts(withParts[0]).length : 0;
  const cols: TfVal[][] = Array.from({ length: width }, () => []);
  for (const i of withParts) parts(i).forEach((p, n) => cols[n]?.push(p));
  const unified: TfVal[][] = [];
  for (const c of cols) {
    const u = unify(c);
    if (!u) return undefined;
    unified.push(u);
  }
  let row = 0;
  return items.map((i) => {
    if (parts(i).length === 0) return i;
    const r = row++;
    return rebuild(i, unified.map((c) => c[r] as TfVal));
  });
}
