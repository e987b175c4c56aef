import type { MapNode, TreeNode } from '../shared/tree';
import { childOf, scalarOf, stringOf } from '../shared/tree';
import type { Template } from './template';
import { ATTACHMENTS } from './attachment-table';
import { defaultPortsForEngine } from '../../model/engine-ports';
import type { Alt, Shape, Val } from './values';
import { mergeConditions } from '../../model/conditions';
import type { Condition, ConditionExpr, ConditionOperand } from '../../model/conditions';
import { assume, combine, invalid, mergeContext, plain, refReason, unknown } from './values';
import { minOf } from '../../model/arrays';

/** Deepest expression nesting the evaluator follows before answering Unknown. */
const MAX_EVAL_DEPTH = 1200;

/**
 * Longest string any expression may evaluate to. CloudFormation limits a whole template to 1 MB and no security-group
 * value is longer than a few hundred characters; joins that double a value at every step (`Fn::Join` over mapping
 * values that refer to each other) answer Unknown past this instead of filling the memory.
 */
export const MAX_VALUE_LENGTH = 100_000;
/** Most items any list value may hold (`Fn::Split` of a long string, joined lists). */
export const MAX_LIST_ITEMS = 10_000;

/**
 * The intrinsic the Fn::ForEach expander (foreach.ts) writes where a value rests on a loop identifier whose collection
 * is unknown; it evaluates to Unknown with the reason it carries. Not a CloudFormation function.
 */
export const UNKNOWN_ITERATION = 'Fn::SgLint::UnknownIteration';

/** The single-key form of an intrinsic function call: `{ "Fn::Sub": ... }`, `{ "Ref": ... }`, an unknown `!Tag`. */
export function intrinsicOf(node: TreeNode | undefined): { name: string; arg: TreeNode } | undefined {
  if (node?.kind !== 'map' || node.entries.size !== 1) return undefined;
  const [entry] = node.entries.values();
  if (!entry) return undefined;
  const name = entry.key;
  if (name === 'Ref' || name.startsWith('Fn::') || name.startsWith('!')) return { name, arg: entry.value };
  return undefined;
}

/**
 * Evaluates CloudFormation intrinsic functions over one template into alternatives: each possible value with the
 * assumptions it rests on (parameter defaults and AllowedValues, Fn::If branches). What the template does not
 * determine is Unknown with a reason. Every list of alternatives is capped at `max`; `capped` counts how often.
 */
export class Evaluator {
  capped = 0;
  /** For each cap counted in `capped`, in order: how many real alternatives it kept before the Unknown one. */
  private readonly keptOnCap: number[] = [];
  /** Conditions found to refer to themselves, directly or through other conditions. */
  readonly cycles = new Set<string>();
  private readonly decided = new Map<string, boolean | undefined>();
  private readonly deciding = new Set<string>();
  /** Each mapping value is evaluated once: mappings whose values refer to each other (a DAG) stay linear. */
  private readonly mappingValues = new Map<TreeNode, Alt<Val>[]>();
  /** Each parameter's alternatives are built once. */
  private readonly parameters = new Map<string, Alt<Val>[]>();
  private readonly definitions = new Map<string, ConditionExpr>();
  private readonly defining = new Set<string>();

  constructor(
    readonly template: Template,
    readonly max: number,
  ) {}

  /** Evaluates an expression fully. An absent node is `none`. */
  evaluate(node: TreeNode | undefined, depth = 0): Alt<Val>[] {
    if (!node) return [plain({ k: 'none' })];
    if (depth > MAX_EVAL_DEPTH) return [plain(unknown('expression nested too deeply'))];
    if (node.kind === 'scalar') {
      const variable = this.template.frameworkVariables && typeof node.value === 'string' ? /\$\{[^}]*\}/.exec(node.value) : null;
      if (variable) return [plain(unknown(`Serverless Framework variable ${variable[0]}`, variable[0]))];
      return [plain({ k: 'lit', v: node.value })];
    }
    if (node.kind === 'seq') return this.list(node.items, depth);
    const call = intrinsicOf(node);
    if (!call) return [plain({ k: 'map', node })];
    return this.cap(this.call(call.name, call.arg, depth + 1));
  }

  /**
   * Resolves only the structure of a node: `Fn::If` branches and `AWS::NoValue` are followed, other intrinsic calls are
   * evaluated, and plain maps, lists and scalars come back unevaluated so callers can walk them item by item.
   */
  peel(node: TreeNode | undefined, depth = 0): Alt<Shape>[] {
    if (!node) return [plain({ k: 'none' })];
    const call = intrinsicOf(node);
    if (!call) return [plain({ k: 'node', node })];
    if (depth > MAX_EVAL_DEPTH) return [plain(unknown('expression nested too deeply'))];
    if (call.name === 'Fn::If') return this.cap(this.ifBranches(call.arg, depth, (b, d) => this.peel(b, d)));
    return this.evaluate(node, depth);
  }

  /** Alternatives of a list of expressions as list values (NoValue items removed). */
  list(items: readonly TreeNode[], depth: number): Alt<Val>[] {
    if (items.length > MAX_LIST_ITEMS) return [plain(invalid(`a list of more than ${MAX_LIST_ITEMS} items`))];
    const lists = items.map((i) => this.evaluate(i, depth + 1));
    const out = this.combineVals(lists);
    return out.map((alt) => ({ ...alt, v: { k: 'list', items: alt.v.filter((x) => x.k !== 'none') } }));
  }

  /** Decides a named condition from literals; undefined when it depends on parameters or is unknown. */
  decide(name: string): boolean | undefined {
    if (this.decided.has(name)) return this.decided.get(name);
    if (this.deciding.has(name)) {
      this.cycles.add(name);
      return undefined;
    }
    this.deciding.add(name);
    try {
      const entry = this.template.conditions.get(name);
      const result = entry ? this.decideExpr(entry.value, 0) : undefined;
      this.decided.set(name, result);
      return result;
    } finally {
      this.deciding.delete(name);
    }
  }

  /** The typed outcome of a named condition, with its definition over parameters (shared by every use). */
  outcome(name: string, value: boolean): Condition {
    return { kind: 'condition', name, value, definition: this.definition(name) };
  }

  /**
   * What a named condition means over parameters: `Fn::Equals` of parameters and literals under `Fn::Not`, `Fn::And`,
   * `Fn::Or` and `Condition`. Anything else (an ImportValue, a computed string, a cycle) is an opaque term, equal only
   * to itself.
   */
  definition(name: string): ConditionExpr {
    const hit = this.definitions.get(name);
    if (hit) return hit;
    const decided = this.decide(name);
    if (decided !== undefined) return { kind: 'literal', value: decided };
    const entry = this.template.conditions.get(name);
    if (!entry || this.defining.has(name)) return { kind: 'opaque', key: `condition:${name}` };
    this.defining.add(name);
    try {
      const expr = this.exprOf(entry.value, 0);
      this.definitions.set(name, expr);
      return expr;
    } finally {
      this.defining.delete(name);
    }
  }

  private exprOf(node: TreeNode | undefined, depth: number): ConditionExpr {
    const opaque: ConditionExpr = { kind: 'opaque', key: `expr:${shapeKey(node)}` };
    if (!node || depth > MAX_EVAL_DEPTH) return opaque;
    const literal = this.decideExpr(node, depth);
    if (literal !== undefined) return { kind: 'literal', value: literal };
    if (node.kind !== 'map' || node.entries.size !== 1) return opaque;
    const [entry] = node.entries.values();
    if (!entry) return opaque;
    const args = entry.value.kind === 'seq' ? entry.value.items : [];
    switch (entry.key) {
      case 'Condition': {
        const name = stringOf(entry.value);
        return name === undefined ? opaque : this.definition(name);
      }
      case 'Fn::Equals': {
        const [l, r] = args;
        return args.length === 2 ? { kind: 'equals', left: this.operandOf(l, depth + 1), right: this.operandOf(r, depth + 1) } : opaque;
      }
      case 'Fn::Not':
        return args.length === 1 ? { kind: 'not', expr: this.exprOf(args[0], depth + 1) } : opaque;
      case 'Fn::And':
      case 'Fn::Or':
        return { kind: entry.key === 'Fn::And' ? 'and' : 'or', exprs: args.map((a) => this.exprOf(a, depth + 1)) };
      default:
        return opaque;
    }
  }

  /** An `Fn::Equals` operand: a literal, a parameter (with its AllowedValues) or pseudo parameter, or opaque. */
  private operandOf(node: TreeNode | undefined, depth: number): ConditionOperand {
    const call = intrinsicOf(node);
    const ref = call?.name === 'Ref' ? stringOf(call.arg) : undefined;
    if (ref !== undefined) {
      // A value given for the run (--parameter, a parameters file) is the parameter's one value.
      const given = Object.prototype.hasOwnProperty.call(this.template.parameterValues, ref) ? this.template.parameterValues[ref] : undefined;
      if (given && this.template.parameters.has(ref)) return { kind: 'literal', value: given.value };
      const decl = this.template.parameters.get(ref)?.value;
      const type = stringOf(childOf(decl, 'Type')) ?? 'String';
      if (decl !== undefined && type !== 'CommaDelimitedList' && !type.startsWith('List<') && !type.startsWith('AWS::SSM::')) {
        const allowed = childOf(decl, 'AllowedValues');
        const allowedValues = allowed?.kind === 'seq' ? allowedOf(allowed.items) : undefined;
        return allowedValues ? { kind: 'parameter', name: ref, allowedValues } : { kind: 'parameter', name: ref };
      }
      if (decl === undefined && ref.startsWith('AWS::') && ref !== 'AWS::NoValue') return { kind: 'parameter', name: ref };
    }
    const alts = this.evaluate(node, depth);
    const only = alts.length === 1 ? alts[0] : undefined;
    if (only && only.a.length === 0 && only.v.k === 'lit' && only.v.v !== null) return { kind: 'literal', value: String(only.v.v) };
    return { kind: 'opaque', key: shapeKey(node) };
  }

  /** Combines lists of alternatives, counting a cap. */
  combineVals(lists: readonly Alt<Val>[][]): Alt<Val[]>[] {
    const { alts, capped } = combine(lists, this.max, () => lists.map(() => unknown(`more than ${this.max} variants (capped)`)));
    // A capped combination ends with the one Unknown alternative; an explosion of choices keeps nothing else.
    if (capped) this.countCap(alts.length - 1);
    return alts;
  }

  /**
   * What the caps counted since `mark` (an earlier value of `capped`) did, for a notice: "kept 63 and marked the rest
   * unknown", or "kept none and marked them all unknown" when one of them kept no alternative at all (an expression
   * resting on more choices than `combine` expands). Names the fewest any of them kept.
   */
  capOutcome(mark: number): string {
    const kept = minOf(this.keptOnCap.slice(mark));
    return kept > 0 ? `kept ${kept} and marked the rest unknown` : 'kept none and marked them all unknown';
  }

  private countCap(kept: number): void {
    this.capped++;
    this.keptOnCap.push(kept);
  }

  private cap<T extends Shape>(alts: Alt<T>[]): Alt<T>[] {
    if (alts.length <= this.max) return alts;
    const kept = alts.slice(0, Math.max(0, this.max - 1));
    this.countCap(kept.length);
    return [...kept, plain(unknown(`more than ${this.max} variants (capped)`) as T)];
  }

  private call(name: string, arg: TreeNode, depth: number): Alt<Val>[] {
    switch (name) {
      case 'Ref':
        return this.ref(stringOf(arg));
      case 'Fn::GetAtt':
        return this.getAtt(arg, depth);
      case 'Fn::If':
        return this.ifBranches(arg, depth, (b, d) => this.evaluate(b, d));
      case 'Fn::Sub':
        return this.sub(arg, depth);
      case 'Fn::Join':
        return this.join(arg, depth);
      case 'Fn::Select':
        return this.select(arg, depth);
      case 'Fn::Split':
        return this.split(arg, depth);
      case 'Fn::FindInMap':
        return this.findInMap(arg, depth);
      case 'Fn::Base64':
        return this.mapStrings(this.evaluate(arg, depth), (s) => Buffer.from(s, 'utf8').toString('base64'), 'Fn::Base64');
      case 'Fn::Length':
        return this.evaluate(arg, depth).map((alt) =>
          alt.v.k === 'list' ? { ...alt, v: { k: 'lit', v: alt.v.items.length } } : { ...alt, v: unknown('Fn::Length of a value that is not a known list') },
        );
      case 'Fn::ImportValue': {
        const what = this.describe(arg, depth);
        return [plain(unknown(`Fn::ImportValue ${what}`, `ImportValue ${what}`))];
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not': {
        const d = this.decideExpr({ kind: 'map', entries: new Map([[name, { key: name, keyStart: 0, keyEnd: 0, value: arg }]]), start: 0, end: 0 }, depth);
        return [plain(d === undefined ? unknown(`${name} that depends on parameters`) : { k: 'lit', v: d })];
      }
      case UNKNOWN_ITERATION: {
        const reason = stringOf(arg) ?? 'a loop item that is not known';
        return [plain(unknown(reason, reason))];
      }
      case 'Fn::ToJsonString':
        return this.toJsonString(arg, depth);
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
      case 'Fn::Transform':
        return [plain(unknown(name))];
      default:
        return [plain(unknown(name.startsWith('!') ? `unknown YAML tag ${name}` : `unsupported intrinsic function ${name}`))];
    }
  }

  /**
   * `Fn::ToJsonString` (AWS::LanguageExtensions): the object or list as compact JSON, intrinsic functions inside it
   * resolved. Unknown when a value inside it is not one known value.
   */
  private toJsonString(arg: TreeNode, depth: number): Alt<Val>[] {
    if (arg.kind === 'scalar') return [plain(unknown('invalid: Fn::ToJsonString needs an object or a list'))];
    const json = this.jsonOf(arg, depth + 1, { left: MAX_LIST_ITEMS });
    if ('why' in json) return [plain(unknown(`Fn::ToJsonString of ${json.why}`))];
    const text = JSON.stringify(json.ok);
    return [plain(text.length > MAX_VALUE_LENGTH ? unknown(`invalid: a string longer than ${MAX_VALUE_LENGTH} characters`) : { k: 'lit', v: text })];
  }

  private jsonOf(node: TreeNode, depth: number, budget: { left: number }): { ok: unknown } | { why: string } {
    if (--budget.left < 0 || depth > MAX_EVAL_DEPTH) return { why: 'a value too large to follow' };
    if (node.kind === 'scalar') return { ok: node.value };
    if (node.kind === 'seq') {
      const items: unknown[] = [];
      for (const item of node.items) {
        if (intrinsicOf(item) && this.evaluate(item, depth + 1).every((alt) => alt.v.k === 'none')) continue;
        const json = this.jsonOf(item, depth + 1, budget);
        if ('why' in json) return json;
        items.push(json.ok);
      }
      return { ok: items };
    }
    if (intrinsicOf(node)) {
      const alts = this.evaluate(node, depth + 1);
      const only = alts.length === 1 ? alts[0]?.v : undefined;
      if (!only) return { why: 'a value that depends on parameters or conditions' };
      return this.jsonOfVal(only, depth, budget);
    }
    const out: Record<string, unknown> = {};
    for (const entry of node.entries.values()) {
      if (intrinsicOf(entry.value) && this.evaluate(entry.value, depth + 1).every((alt) => alt.v.k === 'none')) continue;
      const json = this.jsonOf(entry.value, depth + 1, budget);
      if ('why' in json) return json;
      Object.defineProperty(out, entry.key, { value: json.ok, enumerable: true, configurable: true, writable: true });
    }
    return { ok: out };
  }

  private jsonOfVal(v: Val, depth: number, budget: { left: number }): { ok: unknown } | { why: string } {
    switch (v.k) {
      case 'lit':
        return { ok: v.v };
      case 'map':
        return this.jsonOf(v.node, depth + 1, budget);
      case 'list': {
        const items: unknown[] = [];
        for (const item of v.items) {
          const json = this.jsonOfVal(item, depth + 1, budget);
          if ('why' in json) return json;
          items.push(json.ok);
        }
        return { ok: items };
      }
      case 'unknown':
        return { why: v.reason };
      case 'ref':
        return { why: refReason(v) };
      case 'none':
        return { ok: null };
    }
  }

  private ref(name: string | undefined): Alt<Val>[] {
    if (name === undefined) return [plain(invalid('Ref needs a name'))];
    if (name === 'AWS::NoValue') return [plain({ k: 'none' })];
    if (this.template.parameters.has(name)) {
      let alts = this.parameters.get(name);
      if (!alts) {
        alts = this.parameter(name);
        this.parameters.set(name, alts);
      }
      return alts;
    }
    if (this.template.resources.has(name)) return [plain({ k: 'ref', target: name })];
    if (name.startsWith('AWS::')) return [plain(unknown(`pseudo parameter ${name}`, name))];
    return [plain(unknown(`Ref to ${name}, which the template does not define`, name))];
  }

  private parameter(name: string): Alt<Val>[] {
    const decl = this.template.parameters.get(name)?.value;
    const type = stringOf(childOf(decl, 'Type')) ?? 'String';
    const label = `parameter ${name}`;
    if (type.startsWith('AWS::SSM::Parameter::Value<')) return [plain(unknown(`${label} is read from SSM at deploy time`, label))];
    const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
    const given = Object.prototype.hasOwnProperty.call(this.template.parameterValues, name) ? this.template.parameterValues[name] : undefined;
    if (given) {
      return [{ v: paramValue(given.value, isList), a: [{ kind: 'parameter', name, value: given.value, source: 'given', from: given.source }] }];
    }
    const def = childOf(decl, 'Default');
    if (def !== undefined && def.kind !== 'scalar') return [plain(invalid(`the Default of ${label} must be a literal value`))];
    const defVal = def?.kind === 'scalar' && def.value !== null ? def.value : undefined;
    const allowed = childOf(decl, 'AllowedValues');
    const allowedValues = !isList && allowed?.kind === 'seq' ? allowedOf(allowed.items) : undefined;
    const choice = (value: string, source: 'default' | 'allowed-value'): Condition =>
      allowedValues ? { kind: 'parameter', name, value, source, allowedValues } : { kind: 'parameter', name, value, source };
    const alts: Alt<Val>[] = [];
    if (defVal !== undefined) alts.push({ v: paramValue(defVal, isList), a: [choice(String(defVal), 'default')] });
    if (!isList && allowed?.kind === 'seq') {
      for (const item of allowed.items) {
        const v = scalarOf(item);
        if (v === undefined || v === null || (defVal !== undefined && String(v) === String(defVal))) continue;
        alts.push({ v: { k: 'lit', v }, a: [choice(String(v), 'allowed-value')] });
        if (alts.length > this.max) break; // the caller caps; more would be dropped anyway
      }
    }
    return alts.length > 0 ? alts : [plain(unknown(`${label} has no Default`, label))];
  }

  private getAtt(arg: TreeNode, depth: number): Alt<Val>[] {
    let target: string | undefined;
    let attr: string | undefined;
    if (arg.kind === 'scalar') {
      const s = String(arg.value ?? '');
      const dot = s.indexOf('.');
      [target, attr] = dot < 0 ? [s, undefined] : [s.slice(0, dot), s.slice(dot + 1)];
    } else if (arg.kind === 'seq') {
      target = stringOf(arg.items[0]);
      const attrNode = arg.items[1];
      const attrAlts = attrNode?.kind === 'scalar' ? undefined : this.evaluate(attrNode, depth);
      const attrAlt = attrAlts?.length === 1 ? attrAlts[0] : undefined;
      attr = attrNode?.kind === 'scalar' ? stringOf(attrNode) : attrAlt?.v.k === 'lit' ? String(attrAlt.v.v) : undefined;
    }
    if (!target || !attr) return [plain(invalid('Fn::GetAtt needs a resource and an attribute'))];
    if (!this.template.resources.has(target)) return [plain(unknown(`Fn::GetAtt ${target}.${attr}: the template does not define ${target}`))];
    if (/(?:^|\.)Port$/.test(attr)) {
      const port = this.endpointPort(target, attr, depth);
      if (port) return port;
    }
    return [plain({ k: 'ref', target, attr })];
  }

  /**
   * The port behind `Fn::GetAtt Db.Endpoint.Port` (the CDK writes it for `connections.allowDefaultPortFrom*`): the
   * resource's own `Port` when written, else its engine's default port (RDS, Aurora, DocumentDB, Neptune, Redshift,
   * ElastiCache), as AWS assigns it. Undefined when neither is known.
   */
  private endpointPort(target: string, attr: string, depth: number): Alt<Val>[] | undefined {
    const res = this.template.resources.get(target);
    const spec = res ? ATTACHMENTS[res.type]?.ports : undefined;
    if (!res || !spec) return undefined;
    const own = spec.property === undefined ? undefined : childOf(res.properties, spec.property);
    const via: Condition = { kind: 'attribute', resource: target, attribute: attr };
    if (own !== undefined) return this.evaluate(own, depth + 1).map((alt) => ({ ...alt, a: mergeConditions(alt.a, [via]) }));
    const engineNode = spec.engineProperty === undefined ? undefined : childOf(res.properties, spec.engineProperty);
    const engine = stringOf(engineNode) ?? spec.defaultEngine;
    const port = (engine !== undefined && spec.engines ? defaultPortsForEngine(engine, spec.engines)?.[0] : undefined) ?? spec.fixed?.[0];
    return port === undefined ? undefined : [{ v: { k: 'lit', v: port }, a: [{ ...via, engineDefault: true }] }];
  }

  private ifBranches<T>(arg: TreeNode, depth: number, branch: (node: TreeNode | undefined, depth: number) => Alt<T>[]): Alt<T>[] {
    const items = arg.kind === 'seq' ? arg.items : [];
    const cond = stringOf(items[0]);
    if (cond === undefined || items.length !== 3) return [plain(invalid('Fn::If needs [condition, value if true, value if false]') as T)];
    const decided = this.decide(cond);
    if (decided !== undefined) return branch(items[decided ? 1 : 2], depth + 1);
    const out: Alt<T>[] = [];
    for (const [value, node] of [
      ['true', items[1]],
      ['false', items[2]],
    ] as const) {
      for (const alt of branch(node, depth + 1)) {
        const a = assume(alt, this.outcome(cond, value === 'true'));
        if (a) out.push(a);
        if (out.length > this.max) return out; // the caller caps; more would be dropped anyway
      }
    }
    return out;
  }

  private sub(arg: TreeNode, depth: number): Alt<Val>[] {
    const tpl = arg.kind === 'seq' ? arg.items[0] : arg;
    const vars = arg.kind === 'seq' ? arg.items[1] : undefined;
    const text = stringOf(tpl);
    if (text === undefined) return [plain(invalid('Fn::Sub needs a string'))];
    const parts: Alt<Val>[][] = [];
    let last = 0;
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      parts.push([plain({ k: 'lit', v: text.slice(last, m.index) })]);
      last = m.index + m[0].length;
      const name = (m[1] ?? '').trim();
      if (name.startsWith('!')) {
        parts.push([plain({ k: 'lit', v: `\${${name.slice(1)}}` })]);
        continue;
      }
      const local = vars?.kind === 'map' ? vars.entries.get(name)?.value : undefined;
      if (local) parts.push(this.evaluate(local, depth + 1));
      else if (name.includes('.') && !this.template.parameters.has(name)) {
        const dot = name.indexOf('.');
        parts.push(this.getAtt({ kind: 'scalar', value: `${name.slice(0, dot)}.${name.slice(dot + 1)}`, start: 0, end: 0 }, depth + 1));
      } else parts.push(this.ref(name));
    }
    parts.push([plain({ k: 'lit', v: text.slice(last) })]);
    return this.concat(parts, '');
  }

  private join(arg: TreeNode, depth: number): Alt<Val>[] {
    if (arg.kind !== 'seq' || arg.items.length !== 2) return [plain(invalid('Fn::Join needs [delimiter, list]'))];
    const delim = stringOf(arg.items[0]) ?? '';
    const out: Alt<Val>[] = [];
    for (const alt of this.evaluate(arg.items[1], depth + 1)) {
      if (alt.v.k !== 'list') {
        out.push({ ...alt, v: alt.v.k === 'unknown' ? alt.v : invalid('Fn::Join needs a list') });
        continue;
      }
      for (const joined of this.concat(alt.v.items.map((v) => [plain(v)]), delim)) {
        const m = mergeContext(alt, joined, joined.v);
        if (m) out.push(m);
      }
    }
    return out;
  }

  /** Concatenates string parts (each with alternatives); any unknown part makes the result unknown. */
  private concat(parts: Alt<Val>[][], delim: string): Alt<Val>[] {
    return this.combineVals(parts).map((alt) => {
      const strings: string[] = [];
      let length = 0;
      for (const v of alt.v) {
        if (v.k === 'lit') {
          const s = v.v === null ? '' : String(v.v);
          length += s.length + delim.length;
          if (length > MAX_VALUE_LENGTH) return { ...alt, v: invalid(`a string longer than ${MAX_VALUE_LENGTH} characters`) };
          strings.push(s);
        }
        else if (v.k === 'none') continue;
        else return { ...alt, v: v.k === 'unknown' ? (v.invalid ? invalid(v.reason) : unknown(v.reason)) : v.k === 'ref' ? unknown(refReason(v)) : invalid(`cannot join ${v.k === 'list' ? 'a list' : 'a mapping'} into a string`) };
      }
      return { ...alt, v: { k: 'lit', v: strings.join(delim) } };
    });
  }

  private select(arg: TreeNode, depth: number): Alt<Val>[] {
    if (arg.kind !== 'seq' || arg.items.length !== 2) return [plain(invalid('Fn::Select needs [index, list]'))];
    const lists = [this.evaluate(arg.items[0], depth + 1), this.evaluate(arg.items[1], depth + 1)];
    return this.combineVals(lists).map((alt) => {
      const [index, list] = alt.v;
      if (index?.k === 'unknown') return { ...alt, v: index };
      if (list?.k === 'unknown') return { ...alt, v: list };
      const i = index?.k === 'lit' ? Number(index.v) : Number.NaN;
      if (list?.k !== 'list' || !Number.isInteger(i)) return { ...alt, v: invalid('Fn::Select needs a whole-number index and a list') };
      const item = list.items[i];
      return { ...alt, v: item ?? invalid(`Fn::Select index ${i} is out of range (list has ${list.items.length} items)`) };
    });
  }

  private split(arg: TreeNode, depth: number): Alt<Val>[] {
    if (arg.kind !== 'seq' || arg.items.length !== 2) return [plain(invalid('Fn::Split needs [delimiter, string]'))];
    const delim = stringOf(arg.items[0]) ?? '';
    return this.mapValues(this.evaluate(arg.items[1], depth + 1), (v) => {
      if (v.k === 'unknown') return v;
      if (v.k === 'ref') return unknown(refReason(v));
      if (v.k !== 'lit' || v.v === null) return invalid('Fn::Split needs a string');
      const parts = String(v.v).split(delim, MAX_LIST_ITEMS + 1);
      if (parts.length > MAX_LIST_ITEMS) return invalid(`Fn::Split gives more than ${MAX_LIST_ITEMS} items`);
      return { k: 'list', items: parts.map((s) => ({ k: 'lit', v: s })) };
    });
  }

  private findInMap(arg: TreeNode, depth: number): Alt<Val>[] {
    if (arg.kind !== 'seq' || arg.items.length < 3) return [plain(invalid('Fn::FindInMap needs [map, key, key]'))];
    const [mapNode, topNode, secondNode, options] = arg.items;
    const fallback = childOf(options, 'DefaultValue');
    const keys = [mapNode, topNode, secondNode].map((n) => this.evaluate(n, depth + 1));
    const out: Alt<Val>[] = [];
    for (const alt of this.combineVals(keys)) {
      const bad = alt.v.find((v) => v.k !== 'lit');
      if (bad) {
        const why = bad.k === 'unknown' ? bad.reason : bad.k === 'ref' ? refReason(bad) : 'a key that is not a string';
        out.push({ ...alt, v: unknown(`Fn::FindInMap with ${why}`) });
        continue;
      }
      const path = alt.v.map((v) => (v.k === 'lit' ? String(v.v) : ''));
      const found = path.reduce<TreeNode | undefined>((node, key) => childOf(node, key), this.template.mappings);
      const node = found ?? fallback;
      if (!node) {
        out.push({ ...alt, v: invalid(`Fn::FindInMap ${path.join('/')} is not in Mappings`) });
        continue;
      }
      for (const v of found ? this.mappingValue(found, depth + 1) : this.evaluate(node, depth + 1)) {
        const m = mergeContext(alt, v, v.v);
        if (m) out.push(m);
      }
    }
    return out;
  }

  /** A value of `Mappings`, evaluated once however often (and through however many other mappings) it is found. */
  private mappingValue(node: TreeNode, depth: number): Alt<Val>[] {
    const known = this.mappingValues.get(node);
    if (known) return known;
    // A mapping value that reaches itself again while being evaluated answers Unknown there.
    this.mappingValues.set(node, [plain(invalid('Fn::FindInMap refers back to the mapping value being evaluated'))]);
    const alts = this.cap(this.evaluate(node, depth));
    this.mappingValues.set(node, alts);
    return alts;
  }

  private mapStrings(alts: Alt<Val>[], f: (s: string) => string, fn: string): Alt<Val>[] {
    return this.mapValues(alts, (v) => {
      if (v.k === 'lit' && v.v !== null) {
        const s = String(v.v);
        return s.length > MAX_VALUE_LENGTH / 2 ? invalid(`${fn} of a string longer than ${MAX_VALUE_LENGTH / 2} characters`) : { k: 'lit', v: f(s) };
      }
      if (v.k === 'unknown') return unknown(`${fn} of ${v.reason}`);
      return unknown(`${fn} of ${v.k === 'ref' ? refReason(v) : 'a value that is not a string'}`);
    });
  }

  private mapValues(alts: Alt<Val>[], f: (v: Val) => Val): Alt<Val>[] {
    return alts.map((alt) => ({ ...alt, v: f(alt.v) }));
  }

  /** A short readable form of an expression for reasons: the value when it is one literal, else its shape. */
  describe(node: TreeNode, depth: number): string {
    const alts = this.evaluate(node, depth + 1);
    const only = alts.length === 1 ? alts[0]?.v : undefined;
    if (only?.k === 'lit') return String(only.v);
    const call = intrinsicOf(node);
    if (call?.name === 'Fn::Sub') return stringOf(call.arg.kind === 'seq' ? call.arg.items[0] : call.arg) ?? 'Fn::Sub';
    if (call?.name === 'Ref') return `Ref ${stringOf(call.arg) ?? ''}`;
    return only?.k === 'unknown' ? `(${only.reason})` : '(computed)';
  }

  /** Three-valued evaluation of a condition expression; only literal-decidable expressions get an answer. */
  decideExpr(node: TreeNode | undefined, depth: number): boolean | undefined {
    if (!node || depth > MAX_EVAL_DEPTH) return undefined;
    if (node.kind === 'scalar') return typeof node.value === 'boolean' ? node.value : node.value === 'true' ? true : node.value === 'false' ? false : undefined;
    if (node.kind !== 'map' || node.entries.size !== 1) return undefined;
    const [entry] = node.entries.values();
    if (!entry) return undefined;
    const args = entry.value.kind === 'seq' ? entry.value.items : [];
    switch (entry.key) {
      case 'Condition':
        return this.decide(stringOf(entry.value) ?? '');
      case 'Fn::Equals':
        return this.decideEquals(args, depth);
      case 'Fn::Not': {
        const d = this.decideExpr(args[0], depth + 1);
        return d === undefined ? undefined : !d;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const isAnd = entry.key === 'Fn::And';
        let unsure = false;
        for (const a of args) {
          const d = this.decideExpr(a, depth + 1);
          if (d === undefined) unsure = true;
          else if (d !== isAnd) return d;
        }
        return unsure ? undefined : isAnd;
      }
      default:
        return undefined;
    }
  }

  private decideEquals(args: readonly TreeNode[], depth: number): boolean | undefined {
    if (args.length !== 2) return undefined;
    const sides = args.map((a) => this.evaluate(a, depth + 1));
    const literal = sides.map((alts) => {
      const only = alts.length === 1 ? alts[0] : undefined;
      // A parameter value given for the run decides the comparison as a literal does.
      const fixed = only?.a.every((c) => c.kind === 'parameter' && c.source === 'given');
      return only && fixed && only.v.k === 'lit' ? String(only.v.v) : undefined;
    });
    const [x, y] = literal;
    return x === undefined || y === undefined ? undefined : x === y;
  }
}

/** AllowedValues as strings (CloudFormation compares parameter values as strings); undefined when one is not a scalar. */
function allowedOf(items: readonly TreeNode[]): string[] | undefined {
  const out: string[] = [];
  for (const item of items) {
    const v = scalarOf(item);
    if (v === undefined || v === null) return undefined;
    out.push(String(v));
  }
  return out;
}

/** A key for an expression the conditions do not understand, equal for equal expressions (positions ignored). */
function shapeKey(node: TreeNode | undefined): string {
  if (!node) return '';
  switch (node.kind) {
    case 'scalar':
      return JSON.stringify(node.value);
    case 'seq':
      return `[${node.items.map(shapeKey).join(',')}]`;
    case 'map':
      return `{${[...node.entries.values()].map((e) => `${JSON.stringify(e.key)}:${shapeKey(e.value)}`).join(',')}}`;
  }
}

function paramValue(def: string | number | boolean, isList: boolean): Val {
  if (!isList) return { k: 'lit', v: def };
  return { k: 'list', items: String(def).split(',').map((s) => ({ k: 'lit', v: s.trim() })) };
}

export type { MapNode };
