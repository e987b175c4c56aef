/**
 * The evaluator of Terraform's expression language over the tree parse.ts builds. Partial evaluation: an unknown
 * operand makes only what depends on it unknown (a tuple with one unknown element keeps the others and its length;
 * an object with an unknown value keeps its keys). Errors Terraform would report are unknown values marked
 * `error`, with Terraform's reason.
 */
import type { SourceLocation } from '../../../model/types';
import type { Expr, TemplatePart } from './ast';
import type { EvalContext, Step } from './context';
import { callFunction } from './functions';
import { MAX_COLLECTION_LENGTH, MAX_STRING_LENGTH } from './budget';
import type { TfVal } from './value';
import { bool, carry, error, firstUnknown, identity, isNull, kindName, normalizeNumber, num, object, parseNumber, pieces, refUnknown, sortSet, str, toStringValue, tuple, typeName } from './value';
import type { TfRef } from '../values';
import { convert, unify } from './types';
import { pushAll } from '../../../model/arrays';
import { quoteInput } from '../../../model/quote';

/** Where an expression was written: offsets become locations. */
export interface Source {
  readonly file: string;
  locate(start: number, end: number): SourceLocation;
  /** Source text between two offsets. */
  slice(start: number, end: number): string;
}

/** Evaluates an expression tree in a context. Never throws for any input. */
export function evaluate(e: Expr, ctx: EvalContext, src: Source, bindings?: ReadonlyMap<string, TfVal>): TfVal {
  return new Evaluator(ctx, src).evalNode(e, bindings ?? EMPTY);
}

const EMPTY: Scope = { get: () => undefined };

/**
 * Locations of nodes, computed once per node and source: a node is evaluated once per instance, and files with the
 * same text share their trees (exprs.ts), so the same node has a location in each of them.
 */
const LOCATIONS = new WeakMap<Source, WeakMap<Expr, SourceLocation>>();

function locationsOf(src: Source): WeakMap<Expr, SourceLocation> {
  let locs = LOCATIONS.get(src);
  if (!locs) LOCATIONS.set(src, (locs = new WeakMap()));
  return locs;
}

/** The names a for expression, splat or template directive binds, innermost first (a chain, never copied). */
interface Scope {
  get(name: string): TfVal | undefined;
}

class Bound implements Scope {
  constructor(
    private readonly parent: Scope,
    private readonly name: string,
    private readonly value: TfVal,
  ) {}

  get(name: string): TfVal | undefined {
    return name === this.name ? this.value : this.parent.get(name);
  }
}

function bind(scope: Scope, name: string, value: TfVal): Scope {
  return new Bound(scope, name, value);
}

/** A message of an expression too long for a reason. */
function shortText(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

export class Evaluator {
  private readonly locations: WeakMap<Expr, SourceLocation>;

  constructor(
    readonly ctx: EvalContext,
    readonly src: Source,
  ) {
    this.locations = locationsOf(src);
  }

  private locOf(e: Expr): SourceLocation {
    let loc = this.locations.get(e);
    if (!loc) this.locations.set(e, (loc = this.src.locate(e.start, e.end)));
    return loc;
  }

  evalNode(e: Expr, scope: Scope): TfVal {
    const loc = this.locOf(e);
    const refused = this.ctx.nesting.enter(loc);
    if (refused) return refused;
    try {
      // Past the step bound only what repeats work is refused: for expressions, splats and function calls (and
      // template for directives, in parts()). Literals, references, operators and constructors cost no more than
      // the source text, so a rule written plainly beside a runaway expression is still linted.
      const over = this.ctx.budget?.step(loc);
      if (over !== undefined && (e.t === 'for' || e.t === 'splat' || e.t === 'call')) return { kind: 'unknown', reason: over, loc };
      const v = this.evalAt(e, scope, loc);
      return v.loc ? v : { ...v, loc };
    } finally {
      this.ctx.nesting.leave();
    }
  }

  private text(e: Expr): string {
    return shortText(this.src.slice(e.start, e.end));
  }

  private evalAt(e: Expr, scope: Scope, loc: SourceLocation): TfVal {
    switch (e.t) {
      case 'literal':
        return { kind: 'scalar', value: e.value, loc };
      case 'parens':
        return this.evalNode(e.inner, scope);
      case 'template':
        return this.template(e.parts, scope, loc, e.heredoc === true);
      case 'tuple': {
        const items: TfVal[] = [];
        for (const i of e.items) items.push(this.evalNode(i, scope));
        return { kind: 'list', items, loc };
      }
      case 'object':
        return this.object(e, scope, loc);
      case 'variable':
      case 'attr':
      case 'index':
      case 'splat':
        return this.traversal(e, scope, loc);
      case 'splat-item':
        return scope.get('\0splat') ?? error('splat placeholder outside a splat', loc);
      case 'call':
        return this.call(e, scope, loc);
      case 'for':
        return this.forExpr(e, scope, loc);
      case 'unary':
        return this.unary(e.op, this.evalNode(e.operand, scope), loc);
      case 'binary':
        return binaryOp(e.op, this.evalNode(e.left, scope), this.evalNode(e.right, scope), loc);
      case 'conditional':
        return this.conditional(e, scope, loc);
    }
  }

  private object(e: Expr & { t: 'object' }, scope: Scope, loc: SourceLocation): TfVal {
    const fields = new Map<string, TfVal>();
    const via: TfVal[] = [];
    for (const item of e.items) {
      let key: string;
      if (item.bare !== undefined) key = item.bare;
      else {
        const k = this.evalNode(item.key, scope);
        if (k.kind === 'unknown') return k.error ? k : { ...k, loc };
        if (k.kind === 'ref') return refUnknown(k);
        const s = toStringValue(k);
        if (s === undefined) return error(`Invalid object key: ${isNull(k) ? 'key must not be null' : 'a string is required'}`, this.src.locate(item.key.start, item.key.end));
        key = s;
        via.push(k);
      }
      fields.set(key, this.evalNode(item.value, scope));
    }
    return carry({ kind: 'object', fields, loc }, via.map((v) => ({ kind: 'scalar', value: null, via: v.via ?? [] }) as TfVal));
  }

  /** `a.b[c][*].d`: references go to the context in one piece; values get the steps applied here. */
  private traversal(e: Expr, scope: Scope, loc: SourceLocation): TfVal {
    const flat = this.flatten(e, scope);
    if (flat && !('value' in flat)) {
      const bound = scope.get(flat.root);
      if (bound) return flat.steps.length === 0 ? bound : applySteps(bound, flat.steps, '', loc);
      return this.ctx.traverse(flat.root, flat.steps, this.src.slice(e.start, e.end).trim(), loc);
    }
    if (flat && 'value' in flat) return flat.value;
    switch (e.t) {
      case 'attr':
        return applySteps(this.evalNode(e.object, scope), [{ kind: 'attr', name: e.name }], this.text(e), loc);
      case 'index': {
        const key = this.evalNode(e.key, scope);
        return applySteps(this.evalNode(e.object, scope), [{ kind: 'index', key }], this.text(e), loc);
      }
      case 'splat': {
        const source = this.evalNode(e.source, scope);
        return splat(source, (item) => this.evalNode(e.each, bind(scope, '\0splat', item)), loc);
      }
      default:
        return error(`Unsupported expression ${this.text(e)}`, loc);
    }
  }

  /**
   * Flattens a chain of attribute, index and simple splat steps down to a name. Undefined when the chain starts at
   * something else; `{ value }` when an index key is itself an error.
   */
  private flatten(e: Expr, scope: Scope): { root: string; steps: Step[] } | { value: TfVal } | undefined {
    const steps: Step[] = [];
    let cur: Expr = e;
    for (;;) {
      if (cur.t === 'variable') return { root: cur.name, steps: steps.reverse() };
      if (cur.t === 'attr') {
        steps.push({ kind: 'attr', name: cur.name });
        cur = cur.object;
      } else if (cur.t === 'index') {
        const key = this.evalNode(cur.key, scope);
        if (key.kind === 'unknown' && key.error) return { value: key };
        steps.push({ kind: 'index', key });
        cur = cur.key === cur.key ? cur.object : cur.object;
      } else if (cur.t === 'splat') {
        const each = simpleSteps(cur.each);
        if (!each) return undefined;
        const inner: Step[] = [];
        for (const s of each) {
          if (s.t === 'attr') inner.push({ kind: 'attr', name: s.name });
          else {
            const key = this.evalNode(s.key, scope);
            if (key.kind === 'unknown' && key.error) return { value: key };
            inner.push({ kind: 'index', key });
          }
        }
        for (let i = inner.length - 1; i >= 0; i--) steps.push(inner[i] as Step);
        steps.push({ kind: 'splat' });
        cur = cur.source;
      } else return undefined;
    }
  }

  private call(e: Expr & { t: 'call' }, scope: Scope, loc: SourceLocation): TfVal {
    const name = e.name;
    if (name === 'try' || name === 'can') return this.tryCan(e, scope, loc);
    let args: TfVal[] = [];
    for (const a of e.args) args.push(this.evalNode(a, scope));
    if (e.expand) {
      const last = args[args.length - 1];
      if (last?.kind === 'unknown') return last;
      if (last?.kind !== 'list') return error(`Invalid expanding argument value: the expanding argument (indicated by ...) must be of a tuple, list, or set type`, loc);
      args = [...args.slice(0, -1), ...last.items];
    }
    const extra = this.ctx.extraFunctions?.get(name);
    if (extra) return extra(args, loc);
    const v = callFunction(name, args, { loc, ctx: this.ctx, evaluator: this });
    return v.loc ? v : { ...v, loc };
  }

  /** `try` returns the first argument that evaluates without error; `can` says whether its argument does. */
  private tryCan(e: Expr & { t: 'call' }, scope: Scope, loc: SourceLocation): TfVal {
    if (e.name === 'can') {
      if (e.args.length !== 1) return error('Function "can" takes exactly one argument', loc);
      const v = this.evalNode(e.args[0] as Expr, scope);
      const u = firstUnknown(v);
      if (u?.error) return bool(false);
      if (u) return { kind: 'unknown', reason: u.reason, loc };
      return bool(true);
    }
    if (e.args.length === 0) return error('Call to function "try" failed: at least one argument is required', loc);
    let last: { reason: string } | undefined;
    for (const a of e.args) {
      const v = this.evalNode(a, scope);
      const u = firstUnknown(v);
      if (u?.error) {
        last = u;
        continue;
      }
      // An unknown argument is the result (unknown): whether it would fail is not known yet.
      return v;
    }
    return error(`Call to function "try" failed: no expression succeeded${last ? ` (${last.reason})` : ''}`, loc);
  }

  private forExpr(e: Expr & { t: 'for' }, scope: Scope, loc: SourceLocation): TfVal {
    const coll = this.evalNode(e.collection, scope);
    if (coll.kind === 'unknown') return coll.error ? coll : { ...coll, loc };
    if (coll.kind === 'ref') return refUnknown(coll);
    const entries = iterationEntries(coll);
    if (!entries) return error(`Iteration over non-iterable value: a value of type ${kindName(coll)} cannot be used as the collection in a 'for' expression`, loc);
    const items: TfVal[] = [];
    const groups = new Map<string, TfVal[]>();
    const fields = new Map<string, TfVal>();
    let unknownResult: TfVal | undefined;
    for (const [k, v] of entries) {
      let inner = bind(scope, e.valueVar, v);
      if (e.keyVar !== undefined) inner = bind(inner, e.keyVar, k);
      if (e.cond) {
        const c = toBool(this.evalNode(e.cond, inner));
        if (c.kind === 'unknown') {
          if (c.error) return c;
          unknownResult ??= { ...c, loc };
          continue;
        }
        if (c.kind !== 'scalar' || typeof c.value !== 'boolean') return error(`Invalid 'for' condition: the condition value must be a boolean`, loc);
        if (!c.value) continue;
      }
      if (e.key) {
        const kv = this.evalNode(e.key, inner);
        if (kv.kind === 'unknown') {
          if (kv.error) return kv;
          unknownResult ??= { ...kv, loc };
          continue;
        }
        if (kv.kind === 'ref') {
          unknownResult ??= refUnknown(kv);
          continue;
        }
        const key = toStringValue(kv);
        if (key === undefined) return error(`Invalid object key: the key expression produced ${isNull(kv) ? 'null' : `a ${kindName(kv)}`}, but a string is required`, loc);
        const val = this.evalNode(e.value, inner);
        if (val.kind === 'unknown' && val.error) return val;
        if (e.group) groups.set(key, [...(groups.get(key) ?? []), val]);
        else {
          if (fields.has(key)) return error(`Duplicate object key: two different items produced the key ${quoteInput(key)} in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.`, loc);
          fields.set(key, val);
        }
      } else {
        const val = this.evalNode(e.value, inner);
        if (val.kind === 'unknown' && val.error) return val;
        items.push(val);
      }
      if (items.length + fields.size + groups.size > MAX_COLLECTION_LENGTH) {
        const why = this.ctx.budget?.hit(`for expression produces more than ${MAX_COLLECTION_LENGTH} elements; not evaluated`, loc) ?? 'for expression too large';
        return { kind: 'unknown', reason: why, loc };
      }
    }
    if (unknownResult) return carry(unknownResult, [coll]);
    if (e.key) {
      if (e.group) for (const [k, vs] of groups) fields.set(k, tuple(vs));
      return carry(object(sortFields(fields)), [coll], loc);
    }
    return carry(tuple(items), [coll], loc);
  }

  private unary(op: '!' | '-', v: TfVal, loc: SourceLocation): TfVal {
    if (op === '-') {
      const n = toNumber(v, 'operand');
      if (n.kind !== 'scalar') return n;
      return carry(num(-(n.value as number)), [v], loc);
    }
    const b = toBool(v);
    if (b.kind !== 'scalar') return b;
    if (typeof b.value !== 'boolean') return error('Invalid operand: Unsuitable value for unary operand: bool required.', loc);
    return carry(bool(!b.value), [v], loc);
  }

  private conditional(e: Expr & { t: 'conditional' }, scope: Scope, loc: SourceLocation): TfVal {
    const c = toBool(this.evalNode(e.cond, scope));
    if (c.kind === 'unknown') {
      if (c.error) return c;
      return { ...c, loc };
    }
    if (c.kind === 'ref') return refUnknown(c);
    if (c.kind !== 'scalar' || typeof c.value !== 'boolean') {
      return error(isNull(c) ? 'Invalid conditional: the condition value is null. Conditions must either be true or false.' : 'Incorrect condition type: the condition expression must be of type bool.', loc);
    }
    const chosen = c.value ? e.then : e.else;
    const other = c.value ? e.else : e.then;
    const v = this.evalNode(chosen, scope);
    // The result takes the type both branches unify to (`true ? 1 : "a"` is "1"); the other branch is only
    // evaluated when it is cheap, so nested conditionals stay linear.
    if (v.kind !== 'unknown' && v.kind !== 'ref' && !isNull(v) && cheap(other)) {
      const o = this.evalNode(other, scope);
      if (o.kind === 'scalar' && o.value !== null && v.kind === 'scalar' && typeof o.value !== typeof v.value) {
        if (typeof o.value === 'string' || typeof v.value === 'string') return carry(convert(v, { t: 'string' }), [c]);
        return error(`Inconsistent conditional result types: the true and false result expressions must have consistent types.`, loc);
      }
      // Two tuples (objects) of different types unify to a list (map) of one element type.
      if (v.kind === 'list' && o.kind === 'list' && !v.type && !o.type && typeName(v) !== typeName(o)) {
        const u = unify([...v.items, ...o.items]);
        if (u) return carry({ ...v, items: u.slice(0, v.items.length), type: 'list' }, [c]);
      }
      if (v.kind === 'object' && o.kind === 'object' && !v.type && !o.type && typeName(v) !== typeName(o)) {
        const keys = [...v.fields.keys()];
        const u = unify([...v.fields.values(), ...o.fields.values()]);
        if (u) return carry({ ...v, fields: new Map(keys.map((k, i) => [k, u[i] as TfVal])), type: 'map' }, [c]);
      }
    }
    return carry(v, [c]);
  }

  private template(parts: TemplatePart[], scope: Scope, loc: SourceLocation, heredoc: boolean): TfVal {
    const only = parts.length === 1 ? parts[0] : undefined;
    if (!heredoc && only?.p === 'interp') return this.evalNode(only.expr, scope);
    const acc: TemplateAcc = { text: '', from: [], pieces: [] };
    const bad = this.parts(parts, scope, acc, loc);
    if (bad) return bad;
    // References interpolated into the text: a string of known pieces and references (split() can read it).
    if (acc.pieces.length > 0) return carry({ ...pieces([...acc.pieces, acc.text]), loc }, acc.from, loc);
    return carry(str(acc.text), acc.from, loc);
  }

  /** Appends the text of template parts; returns an unknown or error value when the text cannot be known. */
  private parts(parts: TemplatePart[], scope: Scope, acc: TemplateAcc, loc: SourceLocation): TfVal | undefined {
    for (const p of parts) {
      if (p.p === 'text') acc.text += p.text;
      else if (p.p === 'interp') {
        const v = this.evalNode(p.expr, scope);
        if (v.kind === 'ref' || (v.kind === 'unknown' && v.parts && !v.error)) {
          acc.pieces.push(acc.text);
          pushAll(acc.pieces, v.kind === 'ref' ? [v] : (v.parts ?? []));
          acc.text = '';
          acc.from.push(v);
          continue;
        }
        if (v.kind === 'unknown') return v.error ? v : { ...v, loc };
        if (isNull(v)) return error('Invalid template interpolation value: The expression result is null. Cannot include a null value in a string template.', v.loc ?? loc);
        const s = toStringValue(v);
        if (s === undefined) return error(`Invalid template interpolation value: Cannot include the given value in a string template: string required, but have ${kindName(v)}.`, v.loc ?? loc);
        acc.text += s;
        acc.from.push(v);
      } else if (p.p === 'if') {
        const c = toBool(this.evalNode(p.cond, scope));
        if (c.kind === 'unknown') return c.error ? c : { ...c, loc };
        if (c.kind !== 'scalar' || typeof c.value !== 'boolean') return error('Invalid template directive: the condition must be a boolean', loc);
        acc.from.push(c);
        const bad = this.parts(c.value ? p.then : p.else, scope, acc, loc);
        if (bad) return bad;
      } else {
        const spent = this.ctx.budget?.spent();
        if (spent !== undefined) return { kind: 'unknown', reason: spent, loc };
        const coll = this.evalNode(p.collection, scope);
        if (coll.kind === 'unknown') return coll.error ? coll : { ...coll, loc };
        if (coll.kind === 'ref') return refUnknown(coll);
        const entries = iterationEntries(coll);
        if (!entries) return error(`Iteration over non-iterable value: a ${kindName(coll)} cannot be used in a template for directive`, loc);
        acc.from.push(coll);
        for (const [k, v] of entries) {
          let inner = bind(scope, p.valueVar, v);
          if (p.keyVar !== undefined) inner = bind(inner, p.keyVar, k);
          const bad = this.parts(p.body, inner, acc, loc);
          if (bad) return bad;
        }
      }
      if (acc.text.length > MAX_STRING_LENGTH) {
        const why = this.ctx.budget?.hit(`template produces a string longer than ${MAX_STRING_LENGTH} characters; not evaluated`, loc) ?? 'string too long';
        return { kind: 'unknown', reason: why, loc };
      }
    }
    return undefined;
  }
}

/** What a template has produced so far: the current text, pieces before it (text and references), the values used. */
interface TemplateAcc {
  text: string;
  from: TfVal[];
  pieces: (string | TfRef)[];
}

/** A splat's `each` when it is only attribute and index steps on the element. */
function simpleSteps(e: Expr): ({ t: 'attr'; name: string } | { t: 'index'; key: Expr })[] | undefined {
  const out: ({ t: 'attr'; name: string } | { t: 'index'; key: Expr })[] = [];
  let cur = e;
  for (;;) {
    if (cur.t === 'splat-item') return out.reverse();
    if (cur.t === 'attr') {
      out.push({ t: 'attr', name: cur.name });
      cur = cur.object;
    } else if (cur.t === 'index') {
      out.push({ t: 'index', key: cur.key });
      cur = cur.object;
    } else return undefined;
  }
}

/** Literals, names and constructors of those: evaluating them costs nothing worth bounding. */
function cheap(e: Expr): boolean {
  if (e.t === 'literal' || e.t === 'variable') return true;
  if (e.t === 'attr') return cheap(e.object);
  if (e.t === 'parens') return cheap(e.inner);
  if (e.t === 'unary') return cheap(e.operand);
  if (e.t === 'template') return e.parts.every((p) => p.p === 'text' || (p.p === 'interp' && (p.expr.t === 'variable' || p.expr.t === 'attr')));
  if (e.t === 'tuple') return e.items.length <= 32 && e.items.every(cheap);
  if (e.t === 'object') return e.items.length <= 32 && e.items.every((i) => cheap(i.value));
  return false;
}

/** Keys and values a for expression (or directive) iterates: index/value, key/value in key order, value/value for sets. */
export function iterationEntries(v: TfVal): [TfVal, TfVal][] | undefined {
  if (v.kind === 'list') {
    if (v.type === 'set') return sortSet(v.items).map((i) => [i, i]);
    return v.items.map((item, i) => [num(i), item]);
  }
  if (v.kind === 'object') return [...sortFields(v.fields)].map(([k, f]) => [str(k), f]);
  return undefined;
}

/** Object fields in Terraform's order (keys sorted). */
export function sortFields(fields: ReadonlyMap<string, TfVal>): Map<string, TfVal> {
  return new Map([...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Converts to bool for conditions and logic (`"true"` is true); unknown and errors pass through. */
export function toBool(v: TfVal): TfVal {
  if (v.kind === 'scalar' && (v.value === 'true' || v.value === 'false')) return carry(bool(v.value === 'true'), [v]);
  return v;
}

function toNumber(v: TfVal, side: string): TfVal {
  if (v.kind === 'unknown') return v;
  if (v.kind === 'ref') return refUnknown(v);
  if (v.kind === 'scalar' && typeof v.value === 'number') return v;
  if (v.kind === 'scalar' && typeof v.value === 'string') {
    const n = parseNumber(v.value);
    if (n !== undefined) return carry(num(n), [v]);
  }
  if (isNull(v)) return error(`Invalid operand: Unsuitable value for ${side}: argument must not be null.`);
  return error(`Invalid operand: Unsuitable value for ${side}: a number is required.`);
}

/** Deep equality with types, as `==`: unknown when either side has unknown parts. */
export function equals(a: TfVal, b: TfVal): boolean | TfVal {
  const ua = firstUnknown(a) ?? firstUnknown(b);
  if (ua) return ua;
  return identity(a) === identity(b);
}

/** A binary operator on two evaluated operands. */
export function binaryOp(op: string, a: TfVal, b: TfVal, loc: SourceLocation): TfVal {
  for (const x of [a, b]) if (x.kind === 'unknown' && x.error) return x;
  if (op === '==' || op === '!=') {
    const e = equals(a, b);
    if (typeof e !== 'boolean') return { kind: 'unknown', reason: e.kind === 'unknown' ? e.reason : 'unknown', loc };
    return carry(bool(e === (op === '==')), [a, b], loc);
  }
  if (op === '&&' || op === '||') {
    const x = toBool(a);
    const y = toBool(b);
    for (const [v, side] of [
      [x, 'left operand'],
      [y, 'right operand'],
    ] as const) {
      if (v.kind === 'scalar' && typeof v.value !== 'boolean') {
        return error(isNull(v) ? `Invalid operand: Unsuitable value for ${side}: argument must not be null.` : `Invalid operand: Unsuitable value for ${side}: a bool is required.`, loc);
      }
      if (v.kind === 'list' || v.kind === 'object') return error(`Invalid operand: Unsuitable value for ${side}: a bool is required.`, loc);
    }
    const xv = x.kind === 'scalar' ? x.value : undefined;
    const yv = y.kind === 'scalar' ? y.value : undefined;
    if (op === '&&' && (xv === false || yv === false)) return carry(bool(false), [a, b], loc);
    if (op === '||' && (xv === true || yv === true)) return carry(bool(true), [a, b], loc);
    if (typeof xv !== 'boolean') return x.kind === 'ref' ? refUnknown(x) : { ...x, loc };
    if (typeof yv !== 'boolean') return y.kind === 'ref' ? refUnknown(y) : { ...y, loc };
    return carry(bool(op === '&&' ? xv && yv : xv || yv), [a, b], loc);
  }
  const x = toNumber(a, 'left operand');
  if (x.kind === 'unknown' && x.error) return { ...x, loc };
  const y = toNumber(b, 'right operand');
  if (y.kind === 'unknown' && y.error) return { ...y, loc };
  if (x.kind !== 'scalar') return { ...x, loc };
  if (y.kind !== 'scalar') return { ...y, loc };
  const p = x.value as number;
  const q = y.value as number;
  let r: number | boolean;
  switch (op) {
    case '+':
      r = p + q;
      break;
    case '-':
      r = p - q;
      break;
    case '*':
      r = p * q;
      break;
    case '/':
      if (q === 0 && p === 0) return error('Error in function call: division of zero by zero', loc);
      r = p / q;
      break;
    case '%':
      // Terraform's modulo by zero gives the dividend.
      r = q === 0 ? p : p % q;
      break;
    case '<':
      r = normalizeNumber(p) < normalizeNumber(q);
      break;
    case '>':
      r = normalizeNumber(p) > normalizeNumber(q);
      break;
    case '<=':
      r = normalizeNumber(p) <= normalizeNumber(q);
      break;
    case '>=':
      r = normalizeNumber(p) >= normalizeNumber(q);
      break;
    default:
      return error(`unknown operator ${op}`, loc);
  }
  return carry({ kind: 'scalar', value: r }, [a, b], loc);
}

/** Applies `.attr`, `[key]` and splat steps to a value with Terraform's rules and errors. */
export function applySteps(v: TfVal, steps: readonly Step[], text: string, loc: SourceLocation): TfVal {
  let cur = v;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    if (cur.kind === 'unknown') return cur;
    if (step.kind === 'splat') {
      const rest = steps.slice(i + 1);
      return splat(cur, (item) => applySteps(item, rest, text, loc), loc);
    }
    if (cur.kind === 'ref') {
      const what = step.kind === 'attr' ? `.${step.name}` : '[...]';
      return { kind: 'unknown', reason: `${cur.address}.${cur.attribute}${what} (known after apply)`, loc, ...(cur.via ? { via: cur.via } : {}) };
    }
    const next = step1(cur, step, loc);
    if (next.kind === 'unknown' && next.error) return next;
    cur = carry(next, [{ kind: 'scalar', value: null, via: cur.via ?? [], ...(cur.sensitive ? { sensitive: true } : {}) } as TfVal]);
  }
  return cur;
}

function step1(cur: TfVal, step: Step & { kind: 'attr' | 'index' }, loc: SourceLocation): TfVal {
  if (isNull(cur)) return error(step.kind === 'attr' ? 'Attempt to get attribute from null value: This value is null, so it does not have any attributes.' : 'Attempt to index null value: This value is null, so it does not have any indices.', loc);
  if (step.kind === 'attr') {
    if (cur.kind === 'object') {
      const f = cur.fields.get(step.name);
      if (f === undefined) return error(cur.type === 'map' ? `Missing map element: This map does not have an element with the key ${quoteInput(step.name)}.` : `Unsupported attribute: This object does not have an attribute named ${quoteInput(step.name)}.`, loc);
      return f;
    }
    return error(`Unsupported attribute: Can't access attributes on a ${kindName(cur)}.`, loc);
  }
  const key = step.key;
  if (key.kind === 'unknown') return { ...key, loc };
  if (key.kind === 'ref') return refUnknown(key);
  if (cur.kind === 'list') {
    if (cur.type === 'set') return error('Invalid index: Elements of a set are identified only by their value and don\'t have any separate index or key to select with, so it\'s only possible to perform operations across all elements of the set.', loc);
    const n = key.kind === 'scalar' ? (typeof key.value === 'number' ? key.value : typeof key.value === 'string' ? parseNumber(key.value) : undefined) : undefined;
    if (n === undefined) return error('Invalid index: The given key does not identify an element in this collection value: a number is required.', loc);
    if (!Number.isInteger(n)) return error('Invalid index: The given key does not identify an element in this collection value: the given index is not an integer.', loc);
    const item = cur.items[n];
    if (item === undefined) return error('Invalid index: The given key does not identify an element in this collection value.', loc);
    return item;
  }
  if (cur.kind === 'object') {
    const k = toStringValue(key);
    if (k === undefined) return error('Invalid index: The given key does not identify an element in this collection value: string required.', loc);
    const f = cur.fields.get(k);
    if (f === undefined) return error(cur.type === 'map' ? `Invalid index: The given key does not identify an element in this collection value.` : `Invalid index: The given key does not identify an element in this collection value.`, loc);
    return f;
  }
  return error(`Invalid index: This value does not have any indices.`, loc);
}

/** `source[*]...`: each element through `each`; a non-list is one element; null is none. */
export function splat(source: TfVal, each: (item: TfVal) => TfVal, loc: SourceLocation): TfVal {
  if (source.kind === 'unknown') return source;
  if (source.kind === 'ref') return refUnknown(source);
  if (isNull(source)) return carry(tuple([]), [source], loc);
  if (source.kind === 'list') {
    const items: TfVal[] = [];
    for (const i of source.type === 'set' ? sortSet(source.items) : source.items) {
      const r = each(i);
      if (r.kind === 'unknown' && r.error) return r;
      items.push(r);
    }
    if (source.type === 'list' || source.type === 'set') {
      const u = unify(items);
      return carry({ kind: 'list', items: u ?? items, type: 'list', loc }, [source]);
    }
    return carry(tuple(items), [source], loc);
  }
  const r = each(source);
  if (r.kind === 'unknown' && r.error) return r;
  return carry(tuple([r]), [source], loc);
}

/** Parses text as a number for `tonumber` and friends (exported for functions). */
export { parseNumber };
