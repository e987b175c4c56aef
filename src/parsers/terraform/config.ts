/**
 * Terraform configuration (`.tf` and `.tf.json`) as declarations, and their evaluation: variables (defaults or
 * module arguments), locals, count/for_each instances, dynamic blocks, references between resources and local
 * modules. Both front-ends produce these declarations; evaluation is shared so both give the same model.
 */
import type { InputNotice, SourceLocation, Suppression } from '../../model/types';
import type { TfResource } from './model';
import type { TfList, TfObject, TfVal } from './values';
import { oversized, scalar, scalarText, toPlain, unknown, unknownReason, withLoc, withVia } from './values';

/** One step of a traversal after its root: `.name`, `[key]`, `[*]`. */
export type Step = { kind: 'attr'; name: string } | { kind: 'index'; key: TfVal } | { kind: 'splat' };

/** An expression as written, evaluated on demand in a context. */
export interface Expr {
  evaluate(ctx: EvalContext): TfVal;
  /** Source text, used as the Unknown reason when the value cannot be computed. */
  readonly text: string;
  readonly loc: SourceLocation;
  /** For bare identifiers (`iterator = rule`): the name. */
  readonly identifier?: string;
}

/** A block: `resource "t" "n" { ... }`, `ingress { ... }`, `dynamic "ingress" { ... }`. */
export interface BlockDecl {
  type: string;
  labels: string[];
  body: BodyDecl;
  loc: SourceLocation;
  suppressions: Suppression[];
  /** `"//"` comments of a `.tf.json` block body. */
  comments: string[];
}

/** The attributes and nested blocks of a block body, in source order. */
export interface BodyDecl {
  attributes: Map<string, Expr>;
  blocks: BlockDecl[];
}

/** One module: the declarations of every configuration file of a directory. */
export interface ModuleDecl {
  dir: string;
  variables: Map<string, { default?: Expr; loc: SourceLocation }>;
  locals: Map<string, Expr>;
  outputs: Map<string, Expr>;
  resources: BlockDecl[];
  modules: BlockDecl[];
}

/** An empty module declaration for a directory. */
export function emptyModule(dir: string): ModuleDecl {
  return { dir, variables: new Map(), locals: new Map(), outputs: new Map(), resources: [], modules: [] };
}

/** Reads a local module directory; undefined (with a notice) when it cannot be read. */
export type ModuleLoader = (dir: string, notices: InputNotice[], at: SourceLocation) => ModuleDecl | undefined;

/** What evaluation of a root module produces. */
export interface Evaluated {
  resources: TfResource[];
  notices: InputNotice[];
}

/** What expressions evaluate against: references, functions, iterators. */
export interface EvalContext {
  traverse(root: string, steps: Step[], text: string, loc: SourceLocation): TfVal;
  call(name: string, args: TfVal[], text: string, loc: SourceLocation): TfVal;
  /** Counts how deeply expressions are evaluated inside each other; shared by every context of one evaluation. */
  readonly nesting: Nesting;
}

/**
 * Front-ends call `enter` before evaluating each syntax node and `leave` after it (in a `finally`). `enter` returns
 * an Unknown value, and counts nothing, when evaluation is already MAX_EVAL_DEPTH levels deep, counting the
 * expressions reached through references; the node must then not be evaluated.
 */
export interface Nesting {
  enter(loc: SourceLocation): TfVal | undefined;
  leave(): void;
}

/** Longest chain of references (locals, module outputs, count/for_each of resources) followed one inside another. */
export const MAX_REFERENCE_DEPTH = 100;
/**
 * Deepest nesting of expression evaluation, counting the expressions reached through references (a `[` or `{`
 * level of a `.tf` expression is two steps). It bounds chains of deep expressions, which would otherwise exhaust
 * the call stack; the default Node.js stack holds about twice as many.
 */
export const MAX_EVAL_DEPTH = 800;
/** Deepest list/object nesting a local, variable, module argument or module output may hold; deeper is Unknown. */
export const MAX_VALUE_DEPTH = 100;
/**
 * Most values (list items, object fields and scalars, shared parts counted each time) a local, variable, module
 * argument or module output may hold; larger is Unknown. References copy the value they name, so this keeps locals
 * that double at every step (`a = [local.b, local.b]`, ...) from growing exponentially.
 */
export const MAX_VALUE_SIZE = 100_000;

/**
 * State shared by every context of one evaluation (the root module and the modules it calls): the references being
 * resolved, innermost last, and how deeply evaluation is nested. It makes reference cycles and over-long chains
 * end as Unknown values with a reason instead of exhausting the call stack.
 */
export class Resolution implements Nesting {
  private readonly active = new Set<string>();
  private depth = 0;

  /**
   * Runs `compute` for the reference `name` (e.g. `local.a`), or gives `refuse(reason)` when `name` is already being
   * resolved (a cycle) or MAX_REFERENCE_DEPTH references are already open.
   */
  follow<T>(name: string, compute: () => T, refuse: (reason: string) => T): T {
    if (this.active.has(name)) return refuse(`${name} refers to itself`);
    if (this.active.size >= MAX_REFERENCE_DEPTH) return refuse(`reference chain deeper than ${MAX_REFERENCE_DEPTH} (${name} not followed)`);
    this.active.add(name);
    try {
      return compute();
    } finally {
      this.active.delete(name);
    }
  }

  /** True while `name` is being resolved. */
  isOpen(name: string): boolean {
    return this.active.has(name);
  }

  enter(loc: SourceLocation): TfVal | undefined {
    if (this.depth >= MAX_EVAL_DEPTH) return unknown(`expression nested deeper than ${MAX_EVAL_DEPTH} levels (counting the references it follows); not evaluated`, loc);
    this.depth++;
    return undefined;
  }

  leave(): void {
    this.depth--;
  }
}

/** `v`, or Unknown when it is deeper than MAX_VALUE_DEPTH or larger than MAX_VALUE_SIZE (`what` names it). */
function bounded(v: TfVal, what: string, loc: SourceLocation): TfVal {
  const too = oversized(v, MAX_VALUE_DEPTH, MAX_VALUE_SIZE);
  if (too === undefined) return v;
  const why = too === 'deep' ? `is nested deeper than ${MAX_VALUE_DEPTH} levels` : `holds more than ${MAX_VALUE_SIZE} values`;
  return unknown(`${what} ${why}; not evaluated`, v.loc ?? loc);
}

const MAX_MODULE_DEPTH = 16;
const MAX_INSTANCES = 1000;
const META_ATTRIBUTES = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle']);
const META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection']);

/** Evaluates a root module (and the local modules it calls) into resource instances. */
export function evaluateModule(decl: ModuleDecl, loader: ModuleLoader): Evaluated {
  const notices: InputNotice[] = [];
  const scope = new ModuleScope(decl, '', new Map(), loader, notices, [decl.dir], new Resolution());
  return { resources: scope.instances(), notices };
}

interface Iteration {
  count?: TfVal;
  eachKey?: TfVal;
  eachValue?: TfVal;
  iterators?: Map<string, { key: TfVal; value: TfVal }>;
}

class ModuleScope {
  private readonly localCache = new Map<string, TfVal>();
  private readonly variableCache = new Map<string, TfVal>();
  private readonly outputCache = new Map<string, TfVal>();
  private readonly keysCache = new Map<string, InstanceKeys>();
  private readonly resourcesById = new Map<string, BlockDecl>();
  private readonly children = new Map<string, { call: BlockDecl; scopes: Map<string, ModuleScope> | undefined }>();

  constructor(
    readonly decl: ModuleDecl,
    /** `module.db.` (with the trailing dot) or '' for the root. */
    readonly prefix: string,
    private readonly args: Map<string, TfVal>,
    private readonly loader: ModuleLoader,
    private readonly notices: InputNotice[],
    private readonly stack: string[],
    private readonly resolution: Resolution,
  ) {
    for (const r of decl.resources) {
      const id = `${r.labels[0] ?? ''}.${r.labels[1] ?? ''}`;
      if (!this.resourcesById.has(id)) this.resourcesById.set(id, r);
    }
    for (const call of decl.modules) {
      const name = call.labels[0];
      if (name !== undefined) this.children.set(name, { call, scopes: undefined });
    }
  }

  /** Every resource instance of this module and its children. */
  instances(): TfResource[] {
    const out: TfResource[] = [];
    for (const block of this.decl.resources) out.push(...this.resourceInstances(block));
    for (const name of this.children.keys()) for (const child of this.childScopes(name).values()) out.push(...child.instances());
    return out;
  }

  context(it: Iteration): EvalContext {
    return {
      traverse: (root, steps, text, loc) => this.traverse(root, steps, text, loc, it),
      call: (name, args, text, loc) => callFunction(name, args, text, loc),
      nesting: this.resolution,
    };
  }

  /** A context for variable defaults, which Terraform requires to be literal: references are not followed. */
  private literalContext(): EvalContext {
    return {
      traverse: (_root, _steps, text, loc) => unknown(`${text} (a variable default cannot refer to other values)`, loc),
      call: (name, args, text, loc) => callFunction(name, args, text, loc),
      nesting: this.resolution,
    };
  }

  private resourceInstances(block: BlockDecl): TfResource[] {
    const [type, name] = block.labels;
    if (type === undefined || name === undefined) return [];
    const base = `${this.prefix}${type}.${name}`;
    const keys = this.instanceKeys(`${type}.${name}`, block);
    const out: TfResource[] = [];
    for (const inst of keys.instances) {
      const ctx = this.context(inst.iteration);
      const body = evaluateBody(block.body, ctx, block.loc, this);
      const r: TfResource = { address: `${base}${inst.suffix}`, type, body, location: block.loc };
      if (block.suppressions.length > 0) r.suppressions = block.suppressions;
      if (block.comments.length > 0) r.comments = block.comments;
      if (keys.assumption) r.assumptions = [keys.assumption];
      out.push(r);
    }
    return out;
  }

  /** Instances of a counted/for_each resource or module call. */
  instanceKeys(id: string, block: BlockDecl): InstanceKeys {
    const hit = this.keysCache.get(id);
    if (hit) return hit;
    const keys = this.resolution.follow(
      `${this.prefix}${id}`,
      () => this.computeKeys(id, block),
      (reason) => anyInstance(`${this.prefix}${id}`, `its instances are not known: ${reason}`),
    );
    this.keysCache.set(id, keys);
    return keys;
  }

  private computeKeys(id: string, block: BlockDecl): InstanceKeys {
    const count = block.body.attributes.get('count');
    const forEach = block.body.attributes.get('for_each');
    const ctx = this.context({});
    if (count) {
      const v = count.evaluate(ctx);
      const n = v.kind === 'scalar' ? Number(v.value) : Number.NaN;
      if (Number.isInteger(n) && n >= 0) {
        const instances = Array.from({ length: Math.min(n, MAX_INSTANCES) }, (_, i) => ({ suffix: `[${i}]`, iteration: { count: scalar(i) } }));
        return { instances };
      }
      const why = v.kind === 'unknown' ? v.reason : count.text;
      return { instances: [{ suffix: '[*]', iteration: { count: unknown(`count.index of ${this.prefix}${id}`) } }], assumption: `any instance of ${this.prefix}${id} (count is not known: ${why})` };
    }
    if (forEach) {
      const v = forEach.evaluate(ctx);
      const entries = collectionEntries(v);
      if (entries) {
        return {
          instances: entries.slice(0, MAX_INSTANCES).map(([key, value]) => ({
            suffix: `[${JSON.stringify(key)}]`,
            iteration: { eachKey: scalar(key), eachValue: value },
          })),
        };
      }
      const why = unknownReason(v) ?? forEach.text;
      return anyInstance(`${this.prefix}${id}`, `for_each is not known: ${why}`);
    }
    return { instances: [{ suffix: '', iteration: {} }] };
  }

  /** Resolves a reference; the value is located where the reference is written (its origin shows in `via`). */
  private traverse(root: string, steps: Step[], text: string, loc: SourceLocation, it: Iteration): TfVal {
    return relocate(this.resolve(root, steps, text, loc, it), loc);
  }

  private resolve(root: string, steps: Step[], text: string, loc: SourceLocation, it: Iteration): TfVal {
    const [first, ...rest] = steps;
    const firstName = first?.kind === 'attr' ? first.name : undefined;
    switch (root) {
      case 'var':
        return firstName === undefined ? unknown(text, loc) : applySteps(this.variable(firstName, loc), rest, text, loc);
      case 'local':
        return firstName === undefined ? unknown(text, loc) : applySteps(this.local(firstName, loc), rest, text, loc);
      case 'count':
        return firstName === 'index' && it.count ? withLoc(it.count, loc) : unknown(text, loc);
      case 'each':
        if (firstName === 'key' && it.eachKey) return applySteps(withLoc(it.eachKey, loc), rest, text, loc);
        if (firstName === 'value' && it.eachValue) return applySteps(withLoc(it.eachValue, loc), rest, text, loc);
        return unknown(text, loc);
      case 'module':
        return firstName === undefined ? unknown(text, loc) : this.moduleOutput(firstName, rest, text, loc);
      case 'data':
        return unknown(`${text} (read during plan)`, loc);
      case 'path':
      case 'terraform':
      case 'self':
        return unknown(text, loc);
    }
    const iter = it.iterators?.get(root);
    if (iter) {
      if (firstName === 'key') return applySteps(withLoc(iter.key, loc), rest, text, loc);
      if (firstName === 'value') return applySteps(withLoc(iter.value, loc), rest, text, loc);
      return unknown(text, loc);
    }
    if (firstName === undefined) return unknown(text, loc);
    return this.resourceRef(root, firstName, rest, text, loc);
  }

  private resourceRef(type: string, name: string, steps: Step[], text: string, loc: SourceLocation): TfVal {
    const block = this.resourcesById.get(`${type}.${name}`);
    if (!block) return unknown(`${text} (not declared in this module)`, loc);
    const base = `${this.prefix}${type}.${name}`;
    const [next, ...rest] = steps;
    if (next?.kind === 'splat') {
      if (this.resolution.isOpen(base)) return unknown(`${base} refers to itself`, loc);
      const keys = this.instanceKeys(`${type}.${name}`, block);
      const items = keys.instances.map((i) => refTo(`${base}${i.suffix}`, rest, loc));
      return { kind: 'list', items, loc };
    }
    if (next?.kind === 'index') {
      const key = next.key;
      if (key.kind !== 'scalar' || key.value === null) return unknown(`${text} (instance key is not known)`, loc);
      const suffix = typeof key.value === 'number' ? `[${key.value}]` : `[${JSON.stringify(String(key.value))}]`;
      return withVia(refTo(`${base}${suffix}`, rest, loc), key.via ?? []);
    }
    return refTo(base, steps, loc);
  }

  private variable(name: string, loc: SourceLocation): TfVal {
    const bound = this.args.get(name);
    if (bound) return withLoc(bound, loc);
    const decl = this.decl.variables.get(name);
    if (!decl) return unknown(`variable ${name} is not declared`, loc);
    if (!decl.default) return unknown(`variable ${name} has no default`, loc);
    let v = this.variableCache.get(name);
    if (!v) {
      v = bounded(decl.default.evaluate(this.literalContext()), `${this.prefix}var.${name}`, decl.default.loc);
      this.variableCache.set(name, v);
    }
    return withVia(v.loc ? v : withLoc(v, loc), [`via variable ${name} default`]);
  }

  private local(name: string, loc: SourceLocation): TfVal {
    const hit = this.localCache.get(name);
    if (hit) return hit;
    const expr = this.decl.locals.get(name);
    if (!expr) return unknown(`local ${name} is not declared`, loc);
    const ref = `${this.prefix}local.${name}`;
    const v = this.resolution.follow(
      ref,
      () => bounded(expr.evaluate(this.context({})), ref, expr.loc),
      (reason) => unknown(reason, loc),
    );
    this.localCache.set(name, v);
    return v;
  }

  private moduleOutput(name: string, steps: Step[], text: string, loc: SourceLocation): TfVal {
    const scopes = this.childScopes(name);
    if (scopes.size === 0) return unknown(text, loc);
    let rest = steps;
    let scope: ModuleScope | undefined;
    if (scopes.size === 1 && scopes.has('')) scope = scopes.get('');
    else {
      const [first, ...after] = steps;
      if (first?.kind !== 'index' || first.key.kind !== 'scalar') return unknown(text, loc);
      scope = scopes.get(typeof first.key.value === 'number' ? `[${first.key.value}]` : `[${JSON.stringify(String(first.key.value))}]`);
      rest = after;
    }
    const [out, ...after] = rest;
    if (!scope || out?.kind !== 'attr') return unknown(text, loc);
    return applySteps(scope.output(out.name, text, loc), after, text, loc);
  }

  /** The value of one of this module's outputs (evaluated once). */
  private output(name: string, text: string, loc: SourceLocation): TfVal {
    const hit = this.outputCache.get(name);
    if (hit) return hit;
    const expr = this.decl.outputs.get(name);
    if (!expr) return unknown(`${text} (no such output)`, loc);
    const ref = `${this.prefix}output.${name}`;
    const v = this.resolution.follow(
      ref,
      () => bounded(expr.evaluate(this.context({})), ref, expr.loc),
      (reason) => unknown(reason, loc),
    );
    this.outputCache.set(name, v);
    return v;
  }

  /** The instances of a module call, keyed by instance suffix ('' for a single instance). */
  private childScopes(name: string): Map<string, ModuleScope> {
    const entry = this.children.get(name);
    if (!entry) return new Map();
    if (entry.scopes) return entry.scopes;
    entry.scopes = new Map();
    const call = entry.call;
    const sourceExpr = call.body.attributes.get('source');
    const source = sourceExpr ? scalarText(sourceExpr.evaluate(this.context({}))) : undefined;
    if (source === undefined || !/^\.\.?(\/|\\|$)/.test(source)) {
      this.notice(call.loc, `module ${this.prefix}module.${name}: source ${source ?? '(unknown)'} is not a local path; its resources are not linted`);
      return entry.scopes;
    }
    const dir = joinPath(this.decl.dir, source);
    if (this.stack.includes(dir) || this.stack.length > MAX_MODULE_DEPTH) {
      this.notice(call.loc, `module ${this.prefix}module.${name}: ${source} is already being read (module cycle); not followed`);
      return entry.scopes;
    }
    const decl = this.loader(dir, this.notices, call.loc);
    if (!decl) return entry.scopes;
    const keys = this.instanceKeys(`module.${name}`, call);
    for (const inst of keys.instances) {
      const ctx = this.context(inst.iteration);
      const args = new Map<string, TfVal>();
      for (const [k, expr] of call.body.attributes) {
        if (k === 'source' || k === 'version' || k === 'providers' || META_ATTRIBUTES.has(k)) continue;
        args.set(k, bounded(expr.evaluate(ctx), `argument ${k} of ${this.prefix}module.${name}`, expr.loc));
      }
      const prefix = `${this.prefix}module.${name}${inst.suffix}.`;
      entry.scopes.set(inst.suffix, new ModuleScope(decl, prefix, args, this.loader, this.notices, [...this.stack, dir], this.resolution));
    }
    return entry.scopes;
  }

  notice(loc: SourceLocation, message: string): void {
    this.notices.push({ file: loc.file, message, line: loc.line, column: loc.column });
  }
}

interface InstanceKeys {
  instances: { suffix: string; iteration: Iteration }[];
  assumption?: string;
}

/** One instance standing for any instance of a for_each resource or module whose keys are not known. */
function anyInstance(address: string, why: string): InstanceKeys {
  const eachValue = unknown(`each.value of ${address}`);
  return { instances: [{ suffix: '[*]', iteration: { eachKey: unknown(`each.key of ${address}`), eachValue } }], assumption: `any instance of ${address} (${why})` };
}

/** Evaluates a block body: attributes, and nested blocks grouped by type into lists of objects. */
export function evaluateBody(body: BodyDecl, ctx: EvalContext, loc: SourceLocation, scope?: { notice(loc: SourceLocation, m: string): void }): TfObject {
  const fields = new Map<string, TfVal>();
  for (const [name, expr] of body.attributes) {
    if (META_ATTRIBUTES.has(name)) continue;
    fields.set(name, expr.evaluate(ctx));
  }
  const lists = new Map<string, TfVal[]>();
  const add = (type: string, v: TfVal): void => {
    const existing = fields.get(type);
    if (existing && !lists.has(type)) return; // an attribute of the same name wins
    lists.set(type, [...(lists.get(type) ?? []), v]);
  };
  for (const block of body.blocks) {
    if (META_BLOCKS.has(block.type)) continue;
    if (block.type === 'dynamic') {
      const label = block.labels[0];
      if (label !== undefined) for (const v of expandDynamic(block, label, ctx, scope)) add(label, v);
      continue;
    }
    const obj = evaluateBody(block.body, ctx, block.loc, scope);
    if (block.suppressions.length > 0) obj.suppressions = block.suppressions;
    add(block.type, obj);
  }
  for (const [type, items] of lists) fields.set(type, { kind: 'list', items, loc: items[0]?.loc ?? loc });
  return { kind: 'object', fields, loc };
}

/** Expands `dynamic "x" { for_each = ...; content { ... } }` over a known collection; unknown otherwise. */
function expandDynamic(block: BlockDecl, label: string, ctx: EvalContext, scope?: { notice(loc: SourceLocation, m: string): void }): TfVal[] {
  const forEach = block.body.attributes.get('for_each');
  const content = block.body.blocks.find((b) => b.type === 'content');
  if (!forEach || !content) return [];
  const iterator = block.body.attributes.get('iterator')?.identifier ?? label;
  const coll = forEach.evaluate(ctx);
  const entries = collectionEntries(coll);
  if (!entries) {
    const why = unknownReason(coll) ?? forEach.text;
    const u: TfVal = { ...unknown(`dynamic "${label}" over ${why}`, block.loc), via: coll.via ?? [] };
    return [u];
  }
  if (entries.length > MAX_INSTANCES) scope?.notice(block.loc, `dynamic "${label}": only the first ${MAX_INSTANCES} elements are read`);
  return entries.slice(0, MAX_INSTANCES).map(([key, value]) => {
    const iterators = new Map([[iterator, { key: scalar(key), value }]]);
    const inner = withIterator(ctx, iterators);
    const obj = evaluateBody(content.body, inner, block.loc, scope);
    obj.loc = block.loc;
    if (block.suppressions.length > 0) obj.suppressions = block.suppressions;
    return withVia(obj, coll.via ?? []);
  });
}

function withIterator(ctx: EvalContext, iterators: Map<string, { key: TfVal; value: TfVal }>): EvalContext {
  return {
    traverse: (root, steps, text, loc) => {
      const it = iterators.get(root);
      if (!it) return ctx.traverse(root, steps, text, loc);
      const [first, ...rest] = steps;
      if (first?.kind === 'attr' && first.name === 'key') return relocate(applySteps(it.key, rest, text, loc), loc);
      if (first?.kind === 'attr' && first.name === 'value') return relocate(applySteps(it.value, rest, text, loc), loc);
      return unknown(text, loc);
    },
    call: ctx.call,
    nesting: ctx.nesting,
  };
}

/** (key, value) pairs of a known list (index keys... as Terraform: set elements are their own keys) or object. */
function collectionEntries(v: TfVal): [string | number, TfVal][] | undefined {
  if (v.kind === 'list') {
    if (v.items.some((i) => i.kind === 'unknown')) return undefined;
    return v.items.map((item, i) => {
      const text = scalarText(item);
      return [text ?? i, withVia(item, v.via ?? [])] as [string | number, TfVal];
    });
  }
  if (v.kind === 'object') return [...v.fields].map(([k, f]) => [k, withVia(f, v.via ?? [])] as [string, TfVal]);
  return undefined;
}

/** The value, its list items and object fields all located at `loc`. */
function relocate(v: TfVal, loc: SourceLocation): TfVal {
  if (v.kind === 'list') return { ...v, loc, items: v.items.map((i) => relocate(i, loc)) };
  if (v.kind === 'object') {
    const fields = new Map<string, TfVal>();
    for (const [k, f] of v.fields) fields.set(k, relocate(f, loc));
    return { ...v, loc, fields };
  }
  return { ...v, loc };
}

function refTo(address: string, steps: Step[], loc: SourceLocation): TfVal {
  const [first, ...rest] = steps;
  const attribute = first?.kind === 'attr' ? first.name : 'id';
  if (rest.length > 0) return unknown(`${address}.${attribute}${rest.map(stepText).join('')}`, loc);
  return { kind: 'ref', address, attribute, loc };
}

/** Applies `.attr` / `[key]` / `[*]` steps to a value. */
export function applySteps(v: TfVal, steps: Step[], text: string, loc: SourceLocation): TfVal {
  let cur = v;
  for (const step of steps) {
    if (cur.kind === 'unknown') return cur;
    if (cur.kind === 'ref') return unknown(`${cur.address}.${cur.attribute}${stepText(step)}`, loc);
    const via = cur.via ?? [];
    if (step.kind === 'attr') {
      if (cur.kind !== 'object') return unknown(text, loc);
      const f = cur.fields.get(step.name);
      if (!f) return unknown(`${text} (no attribute ${step.name})`, loc);
      cur = withVia(f, via);
    } else if (step.kind === 'index') {
      const key = step.key;
      if (key.kind !== 'scalar') return unknown(text, loc);
      if (cur.kind === 'list' && typeof key.value === 'number') {
        const item = cur.items[key.value];
        if (!item) return unknown(`${text} (index out of range)`, loc);
        cur = withVia(item, via);
      } else if (cur.kind === 'object') {
        const f = cur.fields.get(String(key.value));
        if (!f) return unknown(`${text} (no key ${String(key.value)})`, loc);
        cur = withVia(f, via);
      } else return unknown(text, loc);
    } else return unknown(text, loc);
  }
  return cur;
}

function stepText(s: Step): string {
  if (s.kind === 'attr') return `.${s.name}`;
  if (s.kind === 'splat') return '[*]';
  return `[${JSON.stringify(toPlain(s.key) ?? '?')}]`;
}

/** The few built-in functions whose result matters for security groups; others are Unknown with their text. */
function callFunction(name: string, args: TfVal[], text: string, loc: SourceLocation): TfVal {
  const via = args.flatMap((a) => a.via ?? []);
  const bad = args.find((a) => a.kind === 'unknown');
  const [a] = args;
  const wrap = (v: TfVal): TfVal => withVia(withLoc(v, loc), via);
  switch (name) {
    case 'toset':
    case 'tolist':
      if (a?.kind === 'list') return wrap(name === 'toset' ? dedupeList(a) : a);
      break;
    case 'tomap':
      if (a?.kind === 'object') return wrap(a);
      break;
    case 'tostring':
    case 'tonumber':
      if (a?.kind === 'scalar') return wrap(scalar(name === 'tonumber' ? Number(a.value) : String(a.value)));
      break;
    case 'concat':
      if (args.every((x) => x.kind === 'list')) return wrap({ kind: 'list', items: args.flatMap((x) => (x as TfList).items) });
      break;
    case 'merge':
      if (args.every((x) => x.kind === 'object')) {
        const fields = new Map<string, TfVal>();
        for (const x of args) for (const [k, f] of (x as TfObject).fields) fields.set(k, f);
        return wrap({ kind: 'object', fields });
      }
      break;
    case 'lower':
    case 'upper':
      if (a?.kind === 'scalar' && typeof a.value === 'string') return wrap(scalar(name === 'lower' ? a.value.toLowerCase() : a.value.toUpperCase()));
      break;
  }
  if (bad) return withLoc(bad, loc);
  return unknown(shorten(text), loc);
}

function dedupeList(list: TfList): TfList {
  const seen = new Set<string>();
  const items = list.items.filter((i) => {
    const key = JSON.stringify(toPlain(i) ?? Math.random());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...list, items };
}

/** An expression text short enough for a message. */
export function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

/** Joins a module source path to the caller's directory (POSIX and Windows separators). */
function joinPath(dir: string, rel: string): string {
  const parts = `${dir}/${rel}`.split(/[\\/]+/);
  const out: string[] = [];
  for (const p of parts) {
    if (p === '.' || p === '') {
      if (out.length === 0 && p === '') out.push('');
      continue;
    }
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(p);
  }
  return out.join('/') || '.';
}
