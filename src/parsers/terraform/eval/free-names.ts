/**
 * The names an expression reads from its context: the roots of its references (`var`, `each`, `aws_vpc`, a dynamic
 * block's iterator, ...) that no `for` expression or template `for` directive inside it binds. An expression that
 * reads none of the names that differ between two evaluations has the same value in both, so callers may
 * evaluate it once (issue #18: one attribute over 1,000 elements in a resource with 1,000 instances).
 */
import type { Expr, TemplatePart } from './ast';

const cache = new WeakMap<Expr, ReadonlySet<string>>();

/** The free names of `e` (cached per node; the tree is not changed after parsing). */
export function freeNames(e: Expr): ReadonlySet<string> {
  let names = cache.get(e);
  if (!names) {
    const found = new Set<string>();
    collect(e, new Set(), found);
    cache.set(e, (names = found));
  }
  return names;
}

/** True when `e` reads any of `names`. */
export function readsAny(e: Expr, names: ReadonlySet<string>): boolean {
  for (const n of freeNames(e)) if (names.has(n)) return true;
  return false;
}

/** Walks with an explicit stack of work so that a deeply nested expression cannot overflow the call stack. */
function collect(root: Expr, rootBound: ReadonlySet<string>, out: Set<string>): void {
  const work: [Expr | TemplatePart[], ReadonlySet<string>][] = [[root, rootBound]];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    const [item, bound] = next;
    if (Array.isArray(item)) {
      for (const p of item) {
        if (p.p === 'interp') work.push([p.expr, bound]);
        else if (p.p === 'if') work.push([p.cond, bound], [p.then, bound], [p.else, bound]);
        else if (p.p === 'for') work.push([p.collection, bound], [p.body, binding(bound, p.valueVar, p.keyVar)]);
      }
      continue;
    }
    const e = item;
    switch (e.t) {
      case 'literal':
      case 'splat-item':
        break;
      case 'variable':
        if (!bound.has(e.name)) out.add(e.name);
        break;
      case 'template':
        work.push([e.parts, bound]);
        break;
      case 'attr':
        work.push([e.object, bound]);
        break;
      case 'index':
        work.push([e.object, bound], [e.key, bound]);
        break;
      case 'splat':
        work.push([e.source, bound], [e.each, bound]);
        break;
      case 'call':
        for (const a of e.args) work.push([a, bound]);
        break;
      case 'tuple':
        for (const a of e.items) work.push([a, bound]);
        break;
      case 'object':
        for (const i of e.items) work.push([i.key, bound], [i.value, bound]);
        break;
      case 'for': {
        work.push([e.collection, bound]);
        const inner = binding(bound, e.valueVar, e.keyVar);
        work.push([e.value, inner]);
        if (e.key) work.push([e.key, inner]);
        if (e.cond) work.push([e.cond, inner]);
        break;
      }
      case 'unary':
        work.push([e.operand, bound]);
        break;
      case 'binary':
        work.push([e.left, bound], [e.right, bound]);
        break;
      case 'conditional':
        work.push([e.cond, bound], [e.then, bound], [e.else, bound]);
        break;
      case 'parens':
        work.push([e.inner, bound]);
        break;
    }
  }
}

function binding(bound: ReadonlySet<string>, valueVar: string, keyVar: string | undefined): ReadonlySet<string> {
  const inner = new Set(bound);
  inner.add(valueVar);
  if (keyVar !== undefined) inner.add(keyVar);
  return inner;
}
