/**
 * Collection functions: alltrue anytrue chunklist coalesce coalescelist compact concat contains distinct element
 * flatten index keys length lookup matchkeys merge one range reverse setintersection setproduct setsubtract setunion
 * slice sort sum transpose values zipmap. The ones marked `partial` keep what is known around unknown elements.
 */
import type { TfVal } from '../value';
import { bool, firstUnknown, identity, isNull, kindName, list, map, nil, num, object, set, sortSet, str, tuple, typeName } from '../value';
import { MAX_COLLECTION_LENGTH } from '../budget';
import { iterationEntries, sortFields } from '../evaluate';
import { convert, unify } from '../types';
import type { Type } from '../types';
import type { FnDef, FnEnv } from './args';
import { asBool, asInteger, asList, asMap, asNumber, asString, asStrings, fail, graphemes, param } from './args';
import { unknownOf } from './string';
import { attributeFormat } from '../../provider-attributes';
import { pushAll } from '../../../../model/arrays';

/** The whole argument when it is unknown (partial functions still need the collection itself). */
function whole(v: TfVal | undefined): TfVal | undefined {
  if (v?.kind === 'unknown') return v;
  if (v?.kind === 'ref') return { kind: 'unknown', reason: `${v.address}.${v.attribute} (known after apply)` };
  return undefined;
}

/** A list result: a list when the input was a list or set, a tuple when it was a tuple. */
function like(src: TfVal, items: TfVal[]): TfVal {
  return src.kind === 'list' && (src.type === 'list' || src.type === 'set') ? list(items) : tuple(items);
}

function bounded(n: number, env: FnEnv, what: string): void {
  if (n > MAX_COLLECTION_LENGTH) {
    const why = env.ctx.budget?.hit(`${what} would produce ${n} elements, more than ${MAX_COLLECTION_LENGTH}; not evaluated`, env.loc);
    throw new BoundError(why ?? `${what} too large`);
  }
}

/** A bound of issue #18 was hit: the result is Unknown (not a Terraform error). */
export class BoundError extends Error {}

export const COLLECTION: Record<string, FnDef> = {
  length: {
    params: ['value'],
    partial: true,
    impl: ([v]) => {
      const w = whole(v);
      if (w) return w;
      if (v?.kind === 'list') return num(v.items.length);
      if (v?.kind === 'object') return num(v.fields.size);
      if (v?.kind === 'scalar' && typeof v.value === 'string') return num(graphemes(v.value).length);
      if (v && isNull(v)) return param('value', 'argument must not be null');
      return param('value', 'collection or structural type is required');
    },
  },
  concat: {
    params: [],
    variadic: 'seqs',
    partial: true,
    impl: (args) => {
      if (args.length === 0) fail('at least one argument is required');
      const items: TfVal[] = [];
      let allLists = true;
      for (const a of args) {
        const w = whole(a);
        if (w) return w;
        if (a.kind !== 'list' || a.type === 'set') return param('seqs', `all arguments must be lists or tuples; got ${kindName(a)}`);
        if (a.type !== 'list') allLists = false;
        pushAll(items, a.items);
      }
      if (allLists) {
        const u = unify(items);
        if (u) return list(u);
      }
      return tuple(items);
    },
  },
  merge: {
    params: [],
    variadic: 'maps',
    partial: true,
    allowNull: true,
    impl: (args) => {
      const fields = new Map<string, TfVal>();
      let allMaps = true;
      for (const a of args) {
        if (isNull(a)) continue;
        const w = whole(a);
        if (w) return w;
        if (a.kind !== 'object') return param('maps', `arguments must be maps or objects, got ${JSON.stringify(kindName(a))}`);
        if (a.type !== 'map') allMaps = false;
        for (const [k, f] of a.fields) fields.set(k, f);
      }
      if (allMaps && args.some((a) => !isNull(a)) && new Set([...fields.values()].map(typeName)).size <= 1) return map(fields);
      return object(fields);
    },
  },
  keys: {
    params: ['inputMap'],
    partial: true,
    impl: ([m]) => {
      const w = whole(m);
      if (w) return w;
      const keys = [...sortFields(asMap(m, 'inputMap')).keys()].map(str);
      return m?.kind === 'object' && m.type === 'map' ? list(keys) : tuple(keys);
    },
  },
  values: {
    params: ['mapping'],
    partial: true,
    impl: ([m]) => {
      const w = whole(m);
      if (w) return w;
      const vals = [...sortFields(asMap(m, 'mapping')).values()];
      return m?.kind === 'object' && m.type === 'map' ? list(vals) : tuple(vals);
    },
  },
  lookup: {
    params: ['inputMap', 'key', 'default'],
    optional: 1,
    partial: true,
    allowNull: true,
    impl: ([m, k, d]) => {
      const w = whole(m) ?? whole(k);
      if (w) return w;
      if (m && isNull(m)) return param('inputMap', 'argument must not be null');
      const fields = asMap(m, 'inputMap');
      const key = asString(k, 'key');
      const hit = fields.get(key);
      if (d && m?.kind === 'object' && m.type === 'map' && !isNull(d) && !firstUnknown(d)) {
        // The default must convert to the map's element type.
        const first = [...fields.values()].find((f) => !firstUnknown(f) && !isNull(f));
        if (first && typeName(first) !== typeName(d)) {
          const target = first.kind === 'scalar' ? { t: typeof first.value === 'string' ? 'string' : typeof first.value === 'number' ? 'number' : 'bool' } : undefined;
          const c = target ? convert(d, target as Type) : d;
          if ((c.kind === 'unknown' && c.error) || typeName(c) !== typeName(first)) return param('default', 'the default value must have the same type as the map elements');
        }
      }
      if (hit !== undefined) return hit;
      if (d === undefined) return param('inputMap', `the given object has no attribute ${JSON.stringify(key)}`);
      return d;
    },
  },
  element: {
    params: ['list', 'index'],
    partial: true,
    impl: ([l, i]) => {
      const w = whole(l) ?? whole(i);
      if (w) return w;
      if (l?.kind === 'list' && l.type === 'set') return param('list', 'list of any single type required, but have set');
      const items = asList(l, 'list');
      const n = asInteger(i, 'index');
      if (items.length === 0) fail('cannot use element function with an empty list');
      if (n < 0) fail('cannot use element function with a negative index');
      return items[n % items.length] as TfVal;
    },
  },
  flatten: {
    params: ['list'],
    partial: true,
    impl: ([l]) => {
      const w = whole(l);
      if (w) return w;
      const out: TfVal[] = [];
      const walk = (v: TfVal): TfVal | undefined => {
        for (const i of v.kind === 'list' ? (v.type === 'set' ? sortSet(v.items) : v.items) : []) {
          if (i.kind === 'list') {
            const bad = walk(i);
            if (bad) return bad;
          } else if (i.kind === 'unknown') return i;
          else out.push(i);
        }
        return undefined;
      };
      asList(l, 'list');
      const bad = walk(l as TfVal);
      if (bad) return bad;
      return tuple(out);
    },
  },
  slice: {
    params: ['list', 'start_index', 'end_index'],
    partial: true,
    impl: ([l, s, e]) => {
      const w = whole(l) ?? whole(s) ?? whole(e);
      if (w) return w;
      if (l?.kind === 'list' && l.type === 'set') return param('list', 'a list or tuple is required');
      const items = asList(l, 'list');
      const a = asInteger(s, 'start_index');
      const b = asInteger(e, 'end_index');
      if (a < 0) return param('start_index', 'must be greater than or equal to 0');
      if (b > items.length) return param('end_index', 'index out of range');
      if (a > b) return param('start_index', 'must be less than or equal to end_index');
      return like(l as TfVal, items.slice(a, b));
    },
  },
  reverse: {
    params: ['list'],
    partial: true,
    impl: ([l]) => {
      const w = whole(l);
      if (w) return w;
      if (l?.kind === 'list' && l.type === 'set') return list([...sortSet(l.items)].reverse());
      return like(l as TfVal, [...asList(l, 'list')].reverse());
    },
  },
  one: {
    params: ['list'],
    partial: true,
    impl: ([l]) => {
      const w = whole(l);
      if (w) return w;
      const items = asList(l, 'list');
      if (items.length > 1) return param('list', 'must be a list, set, or tuple value with either zero or one elements');
      return items[0] ?? nil();
    },
  },
  coalescelist: {
    params: [],
    variadic: 'vals',
    partial: true,
    impl: (args) => {
      if (args.length === 0) fail('at least one argument is required');
      for (const a of args) {
        const w = whole(a);
        if (w) return w;
        if (a.kind !== 'list') return param('vals', 'all arguments must be lists or tuples');
        if (a.items.length > 0) return a;
      }
      return fail('no non-null arguments');
    },
  },
  coalesce: {
    params: [],
    variadic: 'vals',
    allowNull: true,
    impl: (args) => {
      if (args.length === 0) fail('at least one argument is required');
      const u = unify(args);
      if (!u) fail('all arguments must have the same type');
      for (const a of u) {
        if (isNull(a)) continue;
        if (a.kind === 'scalar' && a.value === '') continue;
        return a;
      }
      return fail('no non-null, non-empty-string arguments');
    },
  },
  compact: {
    params: ['list'],
    // References whose documented format is never empty (AWS ids, CIDR blocks) are kept without knowing their value.
    partial: true,
    impl: (args) => {
      const [l] = args;
      if (l?.kind === 'unknown' || l?.kind === 'ref') return unknownOf(args);
      const out: TfVal[] = [];
      for (const i of asList(l, 'list')) {
        if (isNull(i) || (i.kind === 'scalar' && i.value === '')) continue;
        if (i.kind === 'ref' || (i.kind === 'unknown' && i.parts && !i.error)) {
          if (!neverEmpty(i)) return unknownOf(args);
          out.push(i);
          continue;
        }
        if (firstUnknown(i)) return unknownOf(args);
        out.push(convert(i, { t: 'string' }));
      }
      return list(out);
    },
  },
  contains: {
    params: ['list', 'value'],
    impl: ([l, v]) => {
      const items = l?.kind === 'object' ? [...l.fields.values()] : asList(l, 'list');
      const id = identity(v as TfVal);
      const u = items.find((i) => i.kind === 'unknown');
      if (u) return u;
      if (items.some((i) => identity(i) === id)) return bool(true);
      const conv = unify([...items, v as TfVal]);
      if (conv) {
        const target = identity(conv[conv.length - 1] as TfVal);
        return bool(conv.slice(0, -1).some((i) => identity(i) === target));
      }
      return bool(false);
    },
  },
  index: {
    params: ['list', 'value'],
    impl: ([l, v]) => {
      if (l?.kind === 'list' && l.type === 'set') return param('list', 'argument must be a list or tuple');
      const items = asList(l, 'list');
      const id = identity(v as TfVal);
      const n = items.findIndex((i) => identity(i) === id);
      if (n < 0) fail('item not found');
      return num(n);
    },
  },
  distinct: {
    params: ['list'],
    impl: ([l]) => {
      const seen = new Set<string>();
      const out: TfVal[] = [];
      const items = unify(asList(l, 'list'));
      if (!items) return param('list', 'all list elements must have the same type');
      for (const i of items) {
        const id = identity(i);
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(i);
      }
      return list(out);
    },
  },
  chunklist: {
    params: ['list', 'size'],
    impl: ([l, s], env) => {
      const items = unify(asList(l, 'list'));
      if (!items) return param('list', 'all list elements must have the same type');
      const size = asInteger(s, 'size');
      if (size < 0) return param('size', 'the size argument must be positive');
      if (size === 0) return list([list(items)]);
      bounded(Math.ceil(items.length / size), env, 'chunklist');
      const out: TfVal[] = [];
      for (let i = 0; i < items.length; i += size) out.push(list(items.slice(i, i + size)));
      return list(out);
    },
  },
  alltrue: { params: ['list'], impl: ([l]) => bool(asList(l, 'list').every((i) => asBool(i, 'list'))) },
  anytrue: { params: ['list'], impl: ([l]) => bool(asList(l, 'list').some((i) => asBool(i, 'list'))) },
  sum: {
    params: ['list'],
    impl: ([l]) => {
      const items = asList(l, 'list');
      if (items.length === 0) fail('cannot sum an empty list');
      let total = 0;
      for (const i of items) total += asNumber(i, 'list');
      return num(total);
    },
  },
  sort: {
    params: ['list'],
    impl: ([l]) => list(asStrings(l, 'list').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(str)),
  },
  range: {
    params: [],
    variadic: 'params',
    impl: (args, env) => {
      const ns = args.map((a) => asNumber(a, 'params'));
      let start = 0;
      let limit: number;
      let step = 1;
      if (ns.length === 1) limit = ns[0] as number;
      else if (ns.length === 2) [start, limit] = ns as [number, number];
      else if (ns.length === 3) [start, limit, step] = ns as [number, number, number];
      else return fail('must have one, two, or three arguments');
      if (step === 0) fail('step must not be zero');
      if (ns.length < 3 && limit < start) step = -1;
      const n = Math.max(0, Math.ceil((limit - start) / step));
      if (n > 1024) fail('more than 1024 values were generated; either decrease the difference between start and end or use a smaller step');
      bounded(n, env, 'range()');
      const out: TfVal[] = [];
      for (let i = 0; i < n; i++) out.push(num(start + i * step));
      return list(out);
    },
  },
  zipmap: {
    params: ['keys', 'values'],
    impl: ([k, v]) => {
      const keys = asStrings(k, 'keys');
      const vals = asList(v, 'values');
      if (keys.length !== vals.length) fail(`number of keys (${keys.length}) does not match number of values (${vals.length})`);
      const fields = new Map(keys.map((key, i) => [key, vals[i] as TfVal]));
      return v?.kind === 'list' && v.type === undefined ? object(fields) : map(fields);
    },
  },
  transpose: {
    params: ['values'],
    impl: ([m]) => {
      const out = new Map<string, string[]>();
      for (const [k, l] of sortFields(asMap(m, 'values'))) for (const s of asStrings(l, 'values')) out.set(s, [...(out.get(s) ?? []), k]);
      return map(new Map([...out].map(([k, ks]) => [k, list(ks.map(str))])));
    },
  },
  matchkeys: {
    params: ['values', 'keys', 'searchset'],
    impl: ([v, k, s]) => {
      const vals = asList(v, 'values');
      const keys = asList(k, 'keys');
      if (vals.length !== keys.length) fail('length of keys and values should be equal');
      const search = new Set(asList(s, 'searchset').map(identity));
      return list(vals.filter((_x, i) => search.has(identity(keys[i] as TfVal))));
    },
  },
  setunion: { params: ['first_set'], variadic: 'other_sets', impl: (args) => set(unifyAll(args.flatMap((a) => asList(a, 'sets')))) },
  setintersection: {
    params: ['first_set'],
    variadic: 'other_sets',
    impl: (args) => {
      const all = unifyAll(args.flatMap((a) => asList(a, 'sets')));
      let at = 0;
      const lists = args.map((a) => {
        const n = asList(a, 'sets').length;
        at += n;
        return all.slice(at - n, at);
      });
      const [first = [], ...rest] = lists;
      const ids = rest.map((l) => new Set(l.map(identity)));
      return set(unifyAll(first.filter((i) => ids.every((s) => s.has(identity(i))))));
    },
  },
  setsubtract: {
    params: ['a', 'b'],
    impl: ([a, b]) => {
      const as = asList(a, 'a');
      const all = unifyAll([...as, ...asList(b, 'b')]);
      const drop = new Set(all.slice(as.length).map(identity));
      return set(all.slice(0, as.length).filter((i) => !drop.has(identity(i))));
    },
  },
  setproduct: {
    params: [],
    variadic: 'sets',
    impl: (args, env) => {
      if (args.length < 2) fail('at least two arguments are required');
      const lists = args.map((a) => (a.kind === 'list' && a.type === 'set' ? sortSet(a.items) : asList(a, 'sets')));
      bounded(lists.reduce((n, l) => n * l.length, 1), env, 'setproduct()');
      let acc: TfVal[][] = [[]];
      for (const l of lists) acc = acc.flatMap((prefix) => l.map((x) => [...prefix, x]));
      const anySet = args.some((a) => a.kind === 'list' && a.type === 'set');
      const rows = acc.map((r) => (args.every((a) => a.kind === 'list' && a.type !== undefined) ? list(r) : tuple(r)));
      return anySet ? set(rows) : list(rows);
    },
  },
};

function unifyAll(items: TfVal[]): TfVal[] {
  return unify(items) ?? items;
}

/** Keys and values in iteration order (used by functions that walk maps). */
export { iterationEntries, firstUnknown };

/** True when a string of references and text is never empty: some text, or a reference with a documented format. */
function neverEmpty(v: TfVal): boolean {
  const parts = v.kind === 'ref' ? [v] : v.kind === 'unknown' ? (v.parts ?? []) : [];
  return parts.some((p) => (typeof p === 'string' ? p !== '' : attributeFormat(p.address, p.attribute) !== undefined));
}
