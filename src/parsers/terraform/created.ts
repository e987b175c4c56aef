/**
 * When a resource whose `count` (or `for_each`) is not known exists: `count = C ? 1 : 0` exists only when C holds,
 * `count = C ? 0 : 1` only when it does not. The definition of C is a typed ConditionExpr (src/model/conditions.ts) so
 * that `canHoldTogether` knows that `count = var.a ? 1 : 0` and `count = var.a ? 0 : 1` never both exist, and that two
 * resources gated by the same `var.create` exist together.
 *
 * What C becomes:
 * - a part the configuration determines (a default, a literal, `false && x`) is that literal;
 * - `!`, `&&`, `||`, `==`, `!=` and parentheses keep their meaning;
 * - `var.x` (attributes allowed: `var.settings.create`) is a parameter named `<module prefix>var.x`, as variables are
 *   named everywhere in conditions; as a condition it holds when its value is `true` or `"true"` (Terraform converts
 *   the string), and `==` compares typed values (`true == "true"` is false in Terraform), so operand values are
 *   written as HCL literals: `true`, `"true"`, `1`, `null`;
 * - anything else (`length(var.subnets) > 0`, `local.enabled`, a data source's attribute) is opaque, keyed by the
 *   module instance and the expression's structure: the same expression in one module instance has one value.
 *   An expression calling an impure function (uuid, timestamp, bcrypt) is a value of its own.
 *
 * Only the implication is used (the resource exists ⇒ C), which holds whatever the other branch is: `C ? var.n : 0`
 * exists only when C holds even though var.n may be 0 as well.
 */
import type { ConditionExpr, ConditionOperand } from '../../model/conditions';
import type { Expr as Ast } from './eval/ast';
import { convert } from './eval/types';
import type { TfVal } from './values';

/** Evaluates a part of the expression in the resource's context. */
type Evaluate = (e: Ast) => TfVal;

/** Whether a branch's value creates nothing (true), something (false), or is not known (undefined). */
export type Emptiness = (v: TfVal) => boolean | undefined;

/** A `count` creates nothing when it is 0. */
export const countIsZero: Emptiness = (v) => {
  const n = convert(v, { t: 'number' });
  return n.kind === 'scalar' && typeof n.value === 'number' ? n.value === 0 : undefined;
};

/** A `for_each` creates nothing when it is an empty map, object, set or list. */
export const forEachIsEmpty: Emptiness = (v) => {
  if (v.kind === 'list') return v.items.length === 0;
  if (v.kind === 'object') return v.fields.size === 0;
  return undefined;
};

/**
 * The condition under which a resource whose instance count is not known exists, when its `count`/`for_each` is a
 * conditional with one branch that creates nothing; undefined otherwise (and inside a module instance that itself
 * stands for instances not known, `module.x[*]`, where one expression is not one value).
 */
export function createdDefinition(ast: Ast | undefined, evaluate: Evaluate, scope: string, address: string, empty: Emptiness): ConditionExpr | undefined {
  if (ast === undefined || scope.includes('[*]')) return undefined;
  const e = unwrap(ast);
  if (e.t !== 'conditional') return undefined;
  const thenEmpty = empty(evaluate(e.then));
  const elseEmpty = empty(evaluate(e.else));
  if (thenEmpty === elseEmpty) return undefined;
  const builder = new Builder(evaluate, scope, address);
  const cond = builder.bool(e.cond);
  if (elseEmpty === true) return cond;
  return thenEmpty === true ? negate(cond) : undefined;
}

function negate(e: ConditionExpr): ConditionExpr {
  if (e.kind === 'literal') return { kind: 'literal', value: !e.value };
  return e.kind === 'not' ? e.expr : { kind: 'not', expr: e };
}

/** Parentheses, and a `.tf.json` template that is one interpolation (`"${var.a ? 1 : 0}"`), are their content. */
function unwrap(e: Ast): Ast {
  let x = e;
  for (;;) {
    if (x.t === 'parens') x = x.inner;
    else if (x.t === 'template' && x.parts.length === 1 && x.parts[0]?.p === 'interp') x = x.parts[0].expr;
    else return x;
  }
}

const IMPURE = new Set(['uuid', 'timestamp', 'bcrypt']);

class Builder {
  constructor(
    private readonly evaluate: Evaluate,
    private readonly scope: string,
    private readonly address: string,
  ) {}

  bool(node: Ast): ConditionExpr {
    const e = unwrap(node);
    const known = knownBool(this.evaluate(e));
    if (known !== undefined) return { kind: 'literal', value: known };
    if (e.t === 'unary' && e.op === '!') return negate(this.bool(e.operand));
    if (e.t === 'binary') {
      if (e.op === '&&' || e.op === '||') return { kind: e.op === '&&' ? 'and' : 'or', exprs: [this.bool(e.left), this.bool(e.right)] };
      if (e.op === '==' || e.op === '!=') {
        const eq: ConditionExpr = { kind: 'equals', left: this.operand(e.left), right: this.operand(e.right) };
        return e.op === '==' ? eq : { kind: 'not', expr: eq };
      }
    }
    const name = this.variable(e);
    if (name !== undefined) {
      // Terraform converts the string "true" to true in a condition, and refuses anything but a bool or such string.
      const p: ConditionOperand = { kind: 'parameter', name };
      return { kind: 'or', exprs: [{ kind: 'equals', left: p, right: { kind: 'literal', value: 'true' } }, { kind: 'equals', left: p, right: { kind: 'literal', value: '"true"' } }] };
    }
    return { kind: 'opaque', key: this.key(e) };
  }

  private operand(node: Ast): ConditionOperand {
    const e = unwrap(node);
    const v = this.evaluate(e);
    if (v.kind === 'scalar') return { kind: 'literal', value: hclLiteral(v.value) };
    const name = this.variable(e);
    if (name !== undefined) return { kind: 'parameter', name };
    return { kind: 'opaque', key: this.key(e) };
  }

  /** `var.x` or `var.x.y`: the parameter name with the module prefix. */
  private variable(e: Ast): string | undefined {
    const path: string[] = [];
    let x = e;
    while (x.t === 'attr') {
      path.unshift(x.name);
      x = x.object;
    }
    return x.t === 'variable' && x.name === 'var' && path.length > 0 ? `${this.scope}var.${path.join('.')}` : undefined;
  }

  /** The module instance and the expression's structure (offsets left out); a value of its own when impure. */
  private key(e: Ast): string {
    const text = JSON.stringify(e, (k, v: unknown) => (k === 'start' || k === 'end' ? undefined : v));
    return `${this.scope}${text}${impure(e) ? `@${this.address}` : ''}`;
  }
}

/** A known bool, or a string Terraform converts to one in a condition. */
function knownBool(v: TfVal): boolean | undefined {
  if (v.kind !== 'scalar') return undefined;
  if (typeof v.value === 'boolean') return v.value;
  return v.value === 'true' ? true : v.value === 'false' ? false : undefined;
}

/** A value as an HCL literal: types stay apart (`true`, `"true"`), numbers in one form (`1.0` is `1`). */
function hclLiteral(v: string | number | boolean | null): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function impure(e: Ast): boolean {
  let found = false;
  JSON.stringify(e, (k, v: unknown) => {
    if (k === 'name' && typeof v === 'string' && IMPURE.has(v)) found = true;
    return v;
  });
  return found;
}
