/**
 * Terraform configuration (`.tf` and `.tf.json`) as declarations, and their evaluation: variables (defaults or
 * module arguments), locals, count/for_each instances, dynamic blocks, references between resources and local
 * modules. Both front-ends produce these declarations; evaluation is shared so both give the same model.
 */
import { realpathSync, statSync } from 'node:fs';
import { readTextSync } from '../read';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { describeCondition } from '../../model/conditions';
import type { ConditionExpr } from '../../model/conditions';
import type { Condition, InputNotice, SourceLocation, Suppression, ValueOrigin } from '../../model/types';
import { ExpansionBudget } from '../shared/budget';
import type { Emptiness } from './created';
import { fixingArgument } from './data-sources';
import { countIsZero, createdDefinition, forEachIsEmpty } from './created';
import { Budget } from './eval/budget';
import type { EvalContext, FileAccess, Nesting, Step } from './eval/context';
import { applySteps as applyEvalSteps, iterationEntries } from './eval/evaluate';
import type { Expr as Ast } from './eval/ast';
import { readsAny } from './eval/free-names';
import { convert, readType, typeText } from './eval/types';
import type { Type } from './eval/types';
import { firstUnknown, toStringValue } from './eval/value';
import type { TfResource } from './model';
import type { TfObject, TfVal } from './values';
import { oversized, scalar, scalarText, unknown, unknownReason, withLoc, withVia } from './values';
import { pushAll } from '../../model/arrays';

export type { EvalContext, Nesting, Step } from './eval/context';

/** An expression as written, evaluated on demand in a context. */
export interface Expr {
  evaluate(ctx: EvalContext): TfVal;
  /** Source text, used as the Unknown reason when the value cannot be computed. */
  readonly text: string;
  readonly loc: SourceLocation;
  /** For bare identifiers (`iterator = rule`): the name. */
  readonly identifier?: string;
  /** The parsed expression (absent when it could not be parsed), for type constraints. */
  readonly ast?: Ast;
  /** Evaluates a part of `ast` (an `optional()` default inside a type constraint). */
  evaluateAst?(e: Ast, ctx: EvalContext): TfVal;
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
  variables: Map<string, VariableDecl>;
  locals: Map<string, Expr>;
  outputs: Map<string, Expr>;
  resources: BlockDecl[];
  modules: BlockDecl[];
  /** `data` blocks (see data-sources.ts for what their arguments tell). */
  data: BlockDecl[];
}

/** A `variable` block: its default, type constraint and flags. */
export interface VariableDecl {
  default?: Expr;
  type?: Expr;
  nullable?: Expr;
  sensitive?: Expr;
  loc: SourceLocation;
}

/** What a variable declaration says whatever the module instance (see ModuleScope.variableFacts). */
interface VariableFacts {
  type?: Type;
  /** Why the type constraint is not one. */
  typeProblem?: string;
  nullable: boolean;
  sensitive: boolean;
  /** The default's value, once evaluated. */
  defaultValue?: TfVal;
  /** The default converted to the type, once converted. */
  typedDefault?: TfVal;
}

const VARIABLE_FACTS = new WeakMap<VariableDecl, VariableFacts>();

/** A block with `count` or `for_each`: its instances have keys. */
function isCounted(block: BlockDecl): boolean {
  return block.body.attributes.has('count') || block.body.attributes.has('for_each');
}

/** An empty module declaration for a directory. */
export function emptyModule(dir: string): ModuleDecl {
  return { dir, variables: new Map(), locals: new Map(), outputs: new Map(), resources: [], modules: [], data: [] };
}

/** A module call to resolve: where it is written and what it names. */
export interface ModuleRequest {
  /** Directory of the calling module (as the caller's `ModuleDecl.dir`). */
  callerDir: string;
  /** The `source` argument as written. */
  source: string;
  /** The call's key as `terraform init` records it in modules.json: call names joined by dots (`web_sg`, `app.sg`). */
  key: string;
  /** Address of the call: `module.app[0].module.sg` (instance keys of the callers included). */
  address: string;
}

/**
 * Reads the module a call names (a local path, or a registry/git source that `terraform init` installed); undefined,
 * with a notice, when it cannot be read.
 */
export type ModuleLoader = (request: ModuleRequest, notices: InputNotice[], at: SourceLocation) => ModuleDecl | undefined;

/** What evaluation of a root module produces. */
export interface Evaluated {
  resources: TfResource[];
  notices: InputNotice[];
  /** The file where the expansion budget first refused an expansion (for its notice), if it did. */
  budgetFile?: string;
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
/** Most instances one resource, module call or dynamic block expands into; past it the rest is not read (noticed). */
export const MAX_INSTANCES = 10_000;
const META_ATTRIBUTES = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle']);
const META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection']);

/** Where the evaluation may read files: the scanned tree (cwd) and the root module's directory, nothing outside. */
export interface EvaluateOptions {
  /** Folder relative paths are resolved against (the scan's cwd). */
  cwd?: string;
  /**
   * Values of the root module's variables (tfvars files, the command line, the environment, Terragrunt inputs);
   * the others take their defaults.
   */
  variables?: ReadonlyMap<string, TfVal>;
  /**
   * The input's expansion budget (shared/budget.ts): every resource instance and dynamic block takes one unit; past
   * the limit no more are expanded. The caller builds the model with the same budget and adds its notice.
   */
  budget?: ExpansionBudget;
}

/** Evaluates a root module (and the local modules it calls) into resource instances. */
export function evaluateModule(decl: ModuleDecl, loader: ModuleLoader, options: EvaluateOptions = {}): Evaluated {
  const notices: InputNotice[] = [];
  const shared = new Shared(options.cwd ?? process.cwd(), decl.dir, options.budget);
  const scope = new ModuleScope(decl, '', new Map(options.variables ?? []), loader, notices, [decl.dir], shared);
  const resources = scope.instances();
  const hit = shared.budget.exceeded;
  if (hit) {
    const at = hit.loc ?? { file: decl.dir, line: 1, column: 1 };
    notices.push({ file: at.file, message: `evaluation bounded: ${hit.message}; values past the bound are unknown`, line: at.line, column: at.column, visible: true });
  }
  return shared.expansionFile ? { resources, notices, budgetFile: shared.expansionFile } : { resources, notices };
}

/**
 * Evaluates one expression in the root module of `decl` (its variables and locals), as `terraform console` does in
 * that directory. Used by the differential test against Terraform.
 */
export function evaluateInModule(decl: ModuleDecl, expr: Expr, options: EvaluateOptions = {}): TfVal {
  const shared = new Shared(options.cwd ?? process.cwd(), decl.dir);
  const scope = new ModuleScope(decl, '', new Map(), () => undefined, [], [decl.dir], shared);
  return expr.evaluate(scope.context({}));
}

/** State of one evaluation shared by every module scope. */
class Shared {
  readonly resolution = new Resolution();
  readonly budget = new Budget();
  private readonly roots: string[];
  /** File of the first expansion the budget refused. */
  expansionFile: string | undefined;

  constructor(
    readonly cwd: string,
    rootDir: string,
    private readonly expansion: ExpansionBudget = new ExpansionBudget(),
  ) {
    this.roots = [cwd, resolvePath(cwd, rootDir)].map((r) => realOr(r));
  }

  /** Takes `n` expansion units for `what` written at `loc`; how many were granted. */
  take(n: number, what: string, loc: SourceLocation): number {
    const granted = this.expansion.take(n, what, { line: loc.line, column: loc.column });
    if (granted < n) this.expansionFile ??= loc.file;
    return granted;
  }

  /** File access for a module directory, confined to the scanned tree. */
  files(moduleDir: string): FileAccess {
    const absDir = resolvePath(this.cwd, moduleDir);
    const check = (path: string): string | { error: string } => {
      const abs = resolvePath(absDir, path);
      const real = realOr(abs);
      if (!this.roots.some((r) => real === r || (!relative(r, real).startsWith('..') && !isAbsolute(relative(r, real))))) {
        return { error: `Invalid value for "path" parameter: ${path} is outside the scanned tree; sg-lint does not read it.` };
      }
      return real;
    };
    return {
      moduleDir,
      read: (path) => {
        const at = check(path);
        if (typeof at !== 'string') return at;
        // Only regular files, at most 16 MB (a FIFO or a link to a device would block the read or never end).
        const read = readTextSync(at, 16 * 1024 * 1024, 'the 16 MB that file() reads');
        return read.ok ? { text: read.text } : { error: `Invalid value for "path" parameter: ${path}: ${read.message}.` };
      },
      exists: (path) => {
        const at = check(path);
        if (typeof at !== 'string') return at;
        try {
          return statSync(at).isFile();
        } catch {
          return false;
        }
      },
    };
  }
}

function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

interface Iteration {
  count?: TfVal;
  eachKey?: TfVal;
  eachValue?: TfVal;
}

class ModuleScope {
  private readonly localCache = new Map<string, TfVal>();
  private readonly variableCache = new Map<string, TfVal>();
  private readonly outputCache = new Map<string, TfVal>();
  private readonly keysCache = new Map<string, InstanceKeys>();
  private readonly resourcesById = new Map<string, BlockDecl>();
  /** Module calls by name: their instances once read, and why the module could not be read (its notice). */
  private readonly children = new Map<string, { call: BlockDecl; scopes: Map<string, ModuleScope> | undefined; unread?: string }>();
  private readonly fileAccess: FileAccess;

  constructor(
    readonly decl: ModuleDecl,
    /** `module.db.` (with the trailing dot) or '' for the root. */
    readonly prefix: string,
    private readonly args: Map<string, TfVal>,
    private readonly loader: ModuleLoader,
    private readonly notices: InputNotice[],
    private readonly stack: string[],
    private readonly shared: Shared,
  ) {
    for (const r of decl.resources) {
      const id = `${r.labels[0] ?? ''}.${r.labels[1] ?? ''}`;
      if (!this.resourcesById.has(id)) this.resourcesById.set(id, r);
    }
    for (const call of decl.modules) {
      const name = call.labels[0];
      if (name !== undefined) this.children.set(name, { call, scopes: undefined });
    }
    this.fileAccess = shared.files(decl.dir);
  }

  private get resolution(): Resolution {
    return this.shared.resolution;
  }

  /** Every resource instance of this module and its children. */
  instances(): TfResource[] {
    const out: TfResource[] = [];
    for (const block of this.decl.resources) pushAll(out, this.resourceInstances(block));
    for (const name of this.children.keys()) for (const child of this.childScopes(name).values()) pushAll(out, child.instances());
    return out;
  }

  context(it: Iteration): EvalContext {
    return {
      traverse: (root, steps, text, loc) => this.traverse(root, steps, text, loc, it),
      nesting: this.resolution,
      files: this.fileAccess,
      budget: this.shared.budget,
    };
  }

  /** A context for variable defaults and type constraints, which Terraform requires to be literal. */
  private literalContext(): EvalContext {
    return {
      traverse: (_root, _steps, text, loc) => unknown(`${text} (a variable default cannot refer to other values)`, loc),
      nesting: this.resolution,
      budget: this.shared.budget,
    };
  }

  private resourceInstances(block: BlockDecl): TfResource[] {
    const [type, name] = block.labels;
    if (type === undefined || name === undefined) return [];
    const base = `${this.prefix}${type}.${name}`;
    const keys = this.instanceKeys(`${type}.${name}`, block);
    const out: TfResource[] = [];
    const memo = keys.instances.length > 1 ? instanceMemo() : undefined;
    for (const inst of keys.instances) {
      const ctx = this.context(inst.iteration);
      const body = evaluateBody(block.body, ctx, block.loc, this, memo);
      const r: TfResource = { address: `${base}${inst.suffix}`, type, body, location: block.loc };
      if (block.suppressions.length > 0) r.suppressions = block.suppressions;
      if (block.comments.length > 0) r.comments = block.comments;
      if (keys.assumption) r.conditions = [keys.assumption];
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
      (reason) => anyInstance(`${this.prefix}${id}`, `its instances are not known: ${reason}`, 'each'),
    );
    this.keysCache.set(id, keys);
    return keys;
  }

  private computeKeys(id: string, block: BlockDecl): InstanceKeys {
    const count = block.body.attributes.get('count');
    const forEach = block.body.attributes.get('for_each');
    const ctx = this.context({});
    const address = `${this.prefix}${id}`;
    if (count) {
      const v = count.evaluate(ctx);
      const c = convert(v, { t: 'number' });
      const n = c.kind === 'scalar' && typeof c.value === 'number' ? c.value : Number.NaN;
      if (Number.isInteger(n) && n >= 0) {
        const limit = this.limit(n, block.loc, `count of ${address}`);
        return { instances: Array.from({ length: limit }, (_, i) => ({ suffix: `[${i}]`, iteration: { count: withVia(scalar(i), v.via ?? []) } })) };
      }
      if (c.kind === 'scalar' || (c.kind === 'unknown' && c.error)) {
        const why = c.kind === 'unknown' ? c.reason : c.value === null ? 'count is null' : `count = ${String(c.value)} is not a whole number >= 0`;
        this.notice(count.loc, `${address}: Terraform rejects its count (${why}); linted as one instance`);
      }
      const why = unknownReason(c) ?? count.text;
      return anyInstance(address, `count is not known: ${why}`, 'count', this.created(count, ctx, address, countIsZero));
    }
    if (forEach) {
      const v = forEach.evaluate(ctx);
      const bad = firstUnknown(v);
      if (bad?.error) this.notice(bad.loc ?? forEach.loc, `${address}: Terraform rejects its for_each (${bad.reason}); linted as one instance that may be created`);
      const entries = forEachEntries(v);
      if (entries === 'unknown') return anyInstance(address, `for_each is not known: ${unknownReason(v) ?? forEach.text}`, 'each', this.created(forEach, ctx, address, forEachIsEmpty));
      if (typeof entries === 'string') {
        this.notice(forEach.loc, `${address}: ${entries}`);
        if (v.kind !== 'list') return anyInstance(address, `for_each is not a map or set: ${entries}`, 'each');
      }
      const list = typeof entries === 'string' ? (forEachEntries({ kind: 'list', type: 'set', items: (v as { items: TfVal[] }).items }) as ForEachEntry[] | string) : entries;
      if (typeof list === 'string' || list === undefined) return anyInstance(address, `for_each is not known: ${forEach.text}`, 'each');
      const limit = this.limit(list.length, block.loc, `for_each of ${address}`);
      return {
        instances: list.slice(0, limit).map(([key, value]) => ({
          suffix: `[${instanceKeyText(key)}]`,
          iteration: { eachKey: withVia(scalar(key), v.via ?? []), eachValue: withVia(value, v.via ?? []) },
        })),
      };
    }
    return { instances: [{ suffix: '', iteration: {} }] };
  }

  /** What the existence of an instance whose count or for_each is not known implies (see created.ts). */
  private created(e: Expr, ctx: EvalContext, address: string, empty: Emptiness): ConditionExpr | undefined {
    const evaluateAst = e.evaluateAst;
    if (!evaluateAst) return undefined;
    return createdDefinition(e.ast, (part) => evaluateAst(part, ctx), this.prefix, address, empty);
  }

  /** As many instances as the input's expansion budget grants (at most MAX_INSTANCES per resource, noticed). */
  private limit(n: number, loc: SourceLocation, what: string): number {
    let want = n;
    if (want > MAX_INSTANCES) {
      this.shared.budget.hit(`${what}; only the first ${MAX_INSTANCES} instances are linted`, loc);
      want = MAX_INSTANCES;
    }
    return this.take(want, what, loc);
  }

  take(n: number, what: string, loc: SourceLocation): number {
    return this.shared.take(n, what, loc);
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
        if (firstName === 'index' && it.count) return applySteps(withLoc(it.count, loc), rest, text, loc);
        return errorValue(`Reference to "count" in non-counted context: ${text}`, loc);
      case 'each':
        if (firstName === 'key' && it.eachKey) return applySteps(withLoc(it.eachKey, loc), rest, text, loc);
        if (firstName === 'value' && it.eachValue) return applySteps(withLoc(it.eachValue, loc), rest, text, loc);
        return errorValue(`Reference to "each" in context without for_each: ${text}`, loc);
      case 'module':
        return firstName === undefined ? unknown(text, loc) : this.moduleOutput(firstName, rest, text, loc);
      case 'data':
        return this.dataSource(steps, text, loc) ?? dataRef(steps, text, loc);
      case 'path':
        if (firstName === 'module' || firstName === 'root' || firstName === 'cwd') return scalar(firstName === 'module' ? this.decl.dir : firstName === 'root' ? this.shared.cwd : '.', loc);
        return unknown(text, loc);
      case 'terraform':
        return firstName === 'workspace' ? unknown(`${text} (the workspace is chosen when Terraform runs)`, loc) : unknown(text, loc);
      case 'self':
        return unknown(text, loc);
    }
    if (firstName === undefined) return errorValue(`Invalid reference: ${text}`, loc);
    return this.resourceRef(root, firstName, rest, text, loc);
  }

  private resourceRef(type: string, name: string, steps: Step[], text: string, loc: SourceLocation): TfVal {
    const block = this.resourcesById.get(`${type}.${name}`);
    if (!block) return unknown(`${text} (not declared in this module)`, loc);
    const base = `${this.prefix}${type}.${name}`;
    const [next, ...rest] = steps;
    const counted = isCounted(block);
    if (next?.kind === 'splat' || (counted && next?.kind !== 'index')) {
      if (this.resolution.isOpen(base)) return unknown(`${base} refers to itself`, loc);
      const keys = this.instanceKeys(`${type}.${name}`, block);
      const after = next?.kind === 'splat' ? rest : steps;
      if (keys.assumption) return unknown(`${text} (${describeCondition(keys.assumption)})`, loc);
      if (!counted) return { kind: 'list', items: [refTo(base, after, loc)], loc };
      const items = keys.instances.map((i) => refTo(`${base}${i.suffix}`, after, loc));
      if (next?.kind === 'splat') return { kind: 'list', items, loc };
      // `aws_x.y` of a for_each resource is a map of instances; of a counted one, a tuple.
      if (block.body.attributes.has('for_each')) {
        const fields = new Map<string, TfVal>();
        keys.instances.forEach((i, n) => fields.set(String(i.iteration.eachKey?.kind === 'scalar' ? i.iteration.eachKey.value : n), items[n] as TfVal));
        return { kind: 'object', fields, loc };
      }
      return { kind: 'list', items, loc };
    }
    if (next?.kind === 'index') {
      const key = next.key;
      if (key.kind !== 'scalar' || key.value === null) return unknown(`${text} (instance key is not known)`, loc);
      const suffix = `[${instanceKeyText(typeof key.value === 'number' ? key.value : String(key.value))}]`;
      return withVia(refTo(`${base}${suffix}`, rest, loc), key.via ?? []);
    }
    return refTo(base, steps, loc);
  }

  private variable(name: string, loc: SourceLocation): TfVal {
    const cached = this.variableCache.get(name);
    if (cached) return withLoc(cached, loc);
    const v = this.computeVariable(name, loc);
    this.variableCache.set(name, v);
    return withLoc(v, loc);
  }

  private computeVariable(name: string, loc: SourceLocation): TfVal {
    const decl = this.decl.variables.get(name);
    if (!decl) {
      const bound = this.args.get(name);
      return bound ?? errorValue(`Reference to undeclared input variable: An input variable with the name "${name}" has not been declared.`, loc);
    }
    const facts = this.variableFacts(decl);
    if (facts.typeProblem !== undefined && decl.type) this.notice(decl.type.loc, `variable ${name}: invalid type constraint (${facts.typeProblem}); the value is used as given`);
    const { type, nullable, sensitive } = facts;
    const lit = this.literalContext();
    const bound = this.args.get(name);
    let v: TfVal;
    let via: Condition | undefined;
    let origin: ValueOrigin | undefined;
    if (bound !== undefined) {
      v = bound;
      // In a called module, the argument of the call; in a root module, the value's own origin (a tfvars line or a
      // Terragrunt input, recorded where it was read) is already on it.
      if (bound.loc && this.prefix) {
        origin = { field: 'peer', kind: 'module-call', label: `module ${this.prefix.replace(/\.$/, '')} argument ${name}`, location: bound.loc };
      }
    } else if (decl.default) {
      v = bounded(this.defaultOf(decl, decl.default), `${this.prefix}var.${name}`, decl.default.loc);
      const value = v.kind === 'scalar' && v.value !== null ? String(v.value) : undefined;
      via = { kind: 'variable', name, ...(this.prefix ? { scope: this.prefix } : {}), ...(value !== undefined ? { value } : {}) };
      origin = { field: 'peer', kind: 'variable-default', label: `variable ${name} default`, location: decl.default.loc };
    } else {
      return unknown(`variable ${name} has no default${this.prefix ? ' and no argument' : ''}`, loc);
    }
    if (v.kind === 'scalar' && v.value === null && !nullable) {
      if (bound !== undefined && decl.default) v = decl.default.evaluate(lit);
      else return errorValue(`Invalid value for variable ${name}: the given value is null, and the variable is not nullable`, loc);
    }
    if (type) {
      const c = bound === undefined && v === facts.defaultValue ? this.typedDefault(facts, type) : convert(v, type);
      if (c.kind === 'unknown' && c.error) {
        this.notice(v.loc ?? decl.loc, `variable ${name}: the value does not match its type ${typeText(type)}: ${c.reason}`);
        v = { ...c, loc: v.loc ?? decl.loc };
      } else v = c;
    }
    if (sensitive) v = { ...v, sensitive: true };
    return withVia(v, via ? [via] : [], origin ? [origin] : []);
  }

  /**
   * What a variable declaration says regardless of the module instance: its type, nullable, sensitive, and its
   * default (literal in Terraform). Shared by every instance of the module, as 1,000 instances of a module with a
   * large default (a map of named rules) would otherwise evaluate and convert it 1,000 times.
   */
  private variableFacts(decl: VariableDecl): VariableFacts {
    let facts = VARIABLE_FACTS.get(decl);
    if (facts) return facts;
    const lit = this.literalContext();
    const flag = (e: Expr | undefined, dflt: boolean): boolean => {
      const v = e?.evaluate(lit);
      return v?.kind === 'scalar' && typeof v.value === 'boolean' ? v.value : dflt;
    };
    facts = { nullable: flag(decl.nullable, true), sensitive: flag(decl.sensitive, false) };
    if (decl.type?.ast) {
      const t = readType(decl.type.ast, (e) => (decl.type as Expr).evaluateAst?.(e, lit) ?? unknown('optional() default', decl.loc));
      if (typeof t === 'string') facts.typeProblem = t;
      else facts.type = t;
    }
    VARIABLE_FACTS.set(decl, facts);
    return facts;
  }

  private defaultOf(decl: VariableDecl, expr: Expr): TfVal {
    const facts = this.variableFacts(decl);
    return (facts.defaultValue ??= expr.evaluate(this.literalContext()));
  }

  /** The default converted to the variable's type, once per declaration. */
  private typedDefault(facts: VariableFacts, type: Type): TfVal {
    return (facts.typedDefault ??= convert(facts.defaultValue as TfVal, type));
  }

  private local(name: string, loc: SourceLocation): TfVal {
    const hit = this.localCache.get(name);
    if (hit) return hit;
    const expr = this.decl.locals.get(name);
    if (!expr) return errorValue(`Reference to undeclared local value: A local value with the name "${name}" has not been declared.`, loc);
    const ref = `${this.prefix}local.${name}`;
    const v = this.resolution.follow(
      ref,
      () => bounded(expr.evaluate(this.context({})), ref, expr.loc),
      (reason) => unknown(reason, loc),
    );
    this.localCache.set(name, v);
    return v;
  }

  /**
   * An attribute of a data source that its own arguments fix (`data "aws_vpc" "x" { cidr_block = "10.0.0.0/16" }`:
   * data.aws_vpc.x.cidr_block is that block), when the argument's value is known; undefined otherwise (the reference
   * stays a reference to a value read during plan).
   */
  private dataSource(steps: Step[], text: string, loc: SourceLocation): TfVal | undefined {
    const [type, name, attr, ...rest] = steps;
    if (type?.kind !== 'attr' || name?.kind !== 'attr' || attr?.kind !== 'attr') return undefined;
    const argument = fixingArgument(type.name, attr.name);
    if (argument === undefined) return undefined;
    this.dataBlocks ??= new Map(this.decl.data.map((b) => [`${b.labels[0] ?? ''}.${b.labels[1] ?? ''}`, b]));
    const block = this.dataBlocks.get(`${type.name}.${name.name}`);
    // With count or for_each the address names instances, each read with its own arguments.
    if (!block || isCounted(block)) return undefined;
    const expr = block.body.attributes.get(argument.name);
    if (!expr) return undefined;
    const ref = `${this.prefix}data.${type.name}.${name.name}.${argument.name}`;
    const v = this.resolution.follow(
      ref,
      () => expr.evaluate(this.context({})),
      (reason) => unknown(reason, loc),
    );
    if (v.kind !== 'scalar' || typeof v.value !== 'string' || !argument.fixes(v.value)) return undefined;
    return applySteps(relocate(v, loc), rest, text, loc);
  }

  private dataBlocks: Map<string, BlockDecl> | undefined;

  private moduleOutput(name: string, steps: Step[], text: string, loc: SourceLocation): TfVal {
    const scopes = this.childScopes(name);
    if (scopes.size === 0) {
      const unread = this.children.get(name)?.unread;
      return unknown(unread !== undefined ? `${text} (${unread})` : text, loc);
    }
    let rest = steps;
    let scope: ModuleScope | undefined;
    if (scopes.size === 1 && scopes.has('')) scope = scopes.get('');
    else {
      const [first, ...after] = steps;
      if (first?.kind !== 'index' || first.key.kind !== 'scalar') return unknown(text, loc);
      scope = scopes.get(`[${instanceKeyText(typeof first.key.value === 'number' ? first.key.value : String(first.key.value))}]`);
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
    if (source === undefined) {
      this.notice(call.loc, `module ${this.prefix}module.${name}: its source is not a literal string; its resources are not linted`);
      return entry.scopes;
    }
    const key = [...moduleNames(this.prefix), name].join('.');
    if (this.stack.length > MAX_MODULE_DEPTH) {
      // Part of the input is not linted: shown by every report. The words name no instance, so the instances of one
      // module block give one notice (project.ts keeps one of identical notices).
      this.notices.push({ file: call.loc.file, message: `module ${name} (${source}): modules nested deeper than ${MAX_MODULE_DEPTH} levels are not followed; the resources below this call are not linted`, line: call.loc.line, column: call.loc.column, visible: true });
      return entry.scopes;
    }
    const noticed = this.notices.length;
    const decl = this.loader({ callerDir: this.decl.dir, source, key, address: `${this.prefix}module.${name}` }, this.notices, call.loc);
    if (!decl) {
      // The loader said why in a notice ("module vpc (…) is not installed: run terraform init"); its outputs say it too.
      const why = this.notices.slice(noticed).find((n) => n.visible)?.message;
      if (why !== undefined) entry.unread = why;
      return entry.scopes;
    }
    const dir = decl.dir;
    if (this.stack.includes(dir)) {
      this.notice(call.loc, `module ${this.prefix}module.${name}: ${source} is already being read (module cycle); not followed`);
      return entry.scopes;
    }
    const keys = this.instanceKeys(`module.${name}`, call);
    // A counted call took a unit of the expansion budget per instance; a plain call takes one here, so calls that
    // fan out (each module calling the next twice, 16 deep: 65,536 instances) stop at the budget with its notice.
    if (!isCounted(call) && this.take(1, `module ${this.prefix}module.${name}`, call.loc) < 1) return entry.scopes;
    const memo = keys.instances.length > 1 ? instanceMemo() : undefined;
    for (const inst of keys.instances) {
      const ctx = this.context(inst.iteration);
      const args = new Map<string, TfVal>();
      for (const [k, expr] of call.body.attributes) {
        if (k === 'source' || k === 'version' || k === 'providers' || META_ATTRIBUTES.has(k)) continue;
        // The size check walks the value: once for an argument all instances share, like its evaluation.
        const v = evaluateOnce(expr, ctx, memo, (x) => bounded(x, `argument ${k} of ${this.prefix}module.${name}`, expr.loc));
        args.set(k, withVia(v, [{ kind: 'module-argument', module: `${this.prefix}module.${name}${inst.suffix}`, argument: k }]));
      }
      const prefix = `${this.prefix}module.${name}${inst.suffix}.`;
      entry.scopes.set(inst.suffix, new ModuleScope(decl, prefix, args, this.loader, this.notices, [...this.stack, dir], this.shared));
    }
    return entry.scopes;
  }

  notice(loc: SourceLocation, message: string): void {
    this.notices.push({ file: loc.file, message, line: loc.line, column: loc.column });
  }
}

interface InstanceKeys {
  instances: { suffix: string; iteration: Iteration }[];
  /** Set when the instances are not known: the one instance stands for any instance that may be created. */
  assumption?: Condition;
}

/** The module call names in an address prefix: `module.a["x"].module.b.` gives a, b. */
export function moduleNames(prefix: string): string[] {
  const names: string[] = [];
  const re = /module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[0-9]+|\*)\])?\./gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(prefix)) !== null) names.push(m[1] ?? '');
  return names;
}

/** An instance key as Terraform prints it: `0`, `"ssh"` (HCL string quoting). */
export function instanceKeyText(key: string | number): string {
  if (typeof key === 'number') return String(key);
  return `"${key.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}"`;
}

/** One instance standing for any instance of a resource or module whose count or for_each keys are not known. */
function anyInstance(address: string, why: string, kind: 'count' | 'each', created?: ConditionExpr): InstanceKeys {
  const iteration: Iteration =
    kind === 'count' ? { count: unknown(`count.index of ${address} (${why})`) } : { eachKey: unknown(`each.key of ${address} (${why})`), eachValue: unknown(`each.value of ${address} (${why})`) };
  const assumption: Condition = created ? { kind: 'instance', resource: address, reason: why, created } : { kind: 'instance', resource: address, reason: why };
  return { instances: [{ suffix: '[*]', iteration }], assumption };
}

type ForEachEntry = [string, TfVal];

/**
 * The instances of a for_each value: a map or object gives its keys (sorted), a set of strings its elements.
 * 'unknown' when the keys are not known; a message when Terraform rejects the value.
 */
function forEachEntries(v: TfVal): ForEachEntry[] | 'unknown' | string {
  if (v.kind === 'unknown' || v.kind === 'ref') return 'unknown';
  if (v.kind === 'scalar') return v.value === null ? 'for_each is null; Terraform rejects it' : `for_each must be a map or a set of strings, not a ${typeof v.value}`;
  if (v.kind === 'object') return [...v.fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, f]) => [k, withVia(f, v.via ?? [])]);
  const out: ForEachEntry[] = [];
  const seen = new Set<string>();
  for (const item of v.items) {
    if (item.kind === 'unknown' || item.kind === 'ref') return 'unknown';
    const s = toStringValue(item);
    if (s === undefined) return 'for_each set elements must be strings';
    if (seen.has(s)) continue;
    seen.add(s);
    out.push([s, withVia(scalar(s, item.loc), [...(v.via ?? []), ...(item.via ?? [])])]);
  }
  out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (v.type !== 'set') return `for_each must be a map or a set of strings, and you have provided a ${v.type ?? 'tuple'} (Terraform rejects it; wrap it in toset())`;
  return out;
}

/**
 * `data.TYPE.NAME[.KEY].ATTR`: a reference to a data source's attribute, read during plan. It stays a reference (the
 * model knows `data.aws_security_group.x.id` names a security group, `data.aws_prefix_list.x.id` a prefix list); its
 * value is unknown to sg-lint.
 */
function dataRef(steps: Step[], text: string, loc: SourceLocation): TfVal {
  const [type, name, ...rest] = steps;
  if (type?.kind !== 'attr' || name?.kind !== 'attr') return unknown(`${text} (data source, read during plan)`, loc);
  let address = `data.${type.name}.${name.name}`;
  let after = rest;
  const [key] = rest;
  if (key?.kind === 'index' && key.key.kind === 'scalar' && key.key.value !== null) {
    address += `[${instanceKeyText(typeof key.key.value === 'number' ? key.key.value : String(key.key.value))}]`;
    after = rest.slice(1);
  }
  const [attr, ...more] = after;
  if (attr?.kind !== 'attr' || more.length > 0) return unknown(`${text} (data source, read during plan)`, loc);
  return { kind: 'ref', address, attribute: attr.name, loc };
}

/** A Terraform error as a value: unknown to sg-lint, marked as an error with Terraform's reason. */
function errorValue(reason: string, loc: SourceLocation): TfVal {
  return { kind: 'unknown', reason, error: true, loc };
}

/** Evaluates a block body: attributes, and nested blocks grouped by type into lists of objects. */
/** What a block body's evaluation reports to: notices, and the expansion budget for dynamic blocks. */
export interface BodyScope {
  notice(loc: SourceLocation, m: string): void;
  take(n: number, what: string, loc: SourceLocation): number;
}

/**
 * Values shared by the instances of one resource or module call (issue #18): an expression that reads none of the
 * names that differ between instances (`each`, `count`, `self`, the iterators of enclosing dynamic blocks) has one
 * value for all of them, so it is evaluated once. Values are never changed after they are made, so sharing is safe.
 */
export interface InstanceMemo {
  readonly values: Map<Expr, TfVal>;
  /** The names whose value differs between evaluations of the same expression. */
  readonly varying: ReadonlySet<string>;
}

/** A memo for the instances of one resource or module call. */
export function instanceMemo(): InstanceMemo {
  return { values: new Map(), varying: new Set(['each', 'count', 'self']) };
}

/**
 * Evaluates `expr` and applies `then` (a check of the value), once for all instances when it reads nothing that
 * differs between them.
 */
export function evaluateOnce(expr: Expr, ctx: EvalContext, memo: InstanceMemo | undefined, then?: (v: TfVal) => TfVal): TfVal {
  const fresh = (): TfVal => (then ? then(expr.evaluate(ctx)) : expr.evaluate(ctx));
  if (!memo || (expr.ast && readsAny(expr.ast, memo.varying))) return fresh();
  let v = memo.values.get(expr);
  if (v === undefined) memo.values.set(expr, (v = fresh()));
  return v;
}

export function evaluateBody(body: BodyDecl, ctx: EvalContext, loc: SourceLocation, scope?: BodyScope, memo?: InstanceMemo): TfObject {
  const fields = new Map<string, TfVal>();
  for (const [name, expr] of body.attributes) {
    if (META_ATTRIBUTES.has(name)) continue;
    fields.set(name, evaluateOnce(expr, ctx, memo));
  }
  const lists = new Map<string, TfVal[]>();
  const add = (type: string, v: TfVal): void => {
    const existing = fields.get(type);
    if (existing && !lists.has(type)) return; // an attribute of the same name wins
    let l = lists.get(type);
    if (!l) lists.set(type, (l = []));
    l.push(v);
  };
  for (const block of body.blocks) {
    if (META_BLOCKS.has(block.type)) continue;
    if (block.type === 'dynamic') {
      const label = block.labels[0];
      if (label !== undefined) for (const v of expandDynamic(block, label, ctx, scope, memo)) add(label, v);
      continue;
    }
    const obj = evaluateBody(block.body, ctx, block.loc, scope, memo);
    if (block.suppressions.length > 0) obj.suppressions = block.suppressions;
    add(block.type, obj);
  }
  for (const [type, items] of lists) fields.set(type, { kind: 'list', items, loc: items[0]?.loc ?? loc });
  return { kind: 'object', fields, loc };
}

/**
 * Expands `dynamic "x" { for_each = ...; iterator = it; content { ... } }` over any collection Terraform accepts
 * (list, set, map, object); nested dynamic blocks expand inside. An unknown collection gives one unknown block.
 */
function expandDynamic(block: BlockDecl, label: string, ctx: EvalContext, scope?: BodyScope, memo?: InstanceMemo): TfVal[] {
  const forEach = block.body.attributes.get('for_each');
  const content = block.body.blocks.find((b) => b.type === 'content');
  if (!forEach || !content) {
    scope?.notice(block.loc, `dynamic "${label}" has no ${forEach ? 'content block' : 'for_each'}; Terraform rejects it`);
    return [unknown(`dynamic "${label}" has no ${forEach ? 'content block' : 'for_each'}`, block.loc)];
  }
  const iterator = block.body.attributes.get('iterator')?.identifier ?? label;
  const coll = evaluateOnce(forEach, ctx, memo);
  const entries = coll.kind === 'list' || coll.kind === 'object' ? iterationEntries(coll) : undefined;
  if (!entries) {
    const why = unknownReason(coll) ?? (coll.kind === 'scalar' && coll.value === null ? 'null' : forEach.text);
    const u: TfVal = { ...unknown(`dynamic "${label}" over ${why}`, block.loc), via: coll.via ?? [] };
    return [u];
  }
  let list = entries;
  if (entries.length > MAX_INSTANCES) {
    ctx.budget?.hit(`dynamic "${label}" has ${entries.length} elements; only the first ${MAX_INSTANCES} are linted`, block.loc);
    list = entries.slice(0, MAX_INSTANCES);
  }
  if (scope) list = list.slice(0, scope.take(list.length, `dynamic "${label}"`, block.loc));
  // Inside the content the iterator differs between elements too; the memo is shared, as an expression has one place.
  const inMemo: InstanceMemo = { values: memo?.values ?? new Map(), varying: new Set([...(memo?.varying ?? instanceMemo().varying), iterator]) };
  return list.map(([key, value]) => {
    const inner = withIterator(ctx, iterator, withVia(key, coll.via ?? []), withVia(value, coll.via ?? []));
    const obj = evaluateBody(content.body, inner, block.loc, scope, inMemo);
    obj.loc = block.loc;
    if (block.suppressions.length > 0) obj.suppressions = block.suppressions;
    return withVia(obj, coll.via ?? []);
  });
}

function withIterator(ctx: EvalContext, name: string, key: TfVal, value: TfVal): EvalContext {
  return {
    ...ctx,
    traverse: (root, steps, text, loc) => {
      if (root !== name) return ctx.traverse(root, steps, text, loc);
      const [first, ...rest] = steps;
      if (first?.kind === 'attr' && first.name === 'key') return relocate(applySteps(key, rest, text, loc), loc);
      if (first?.kind === 'attr' && first.name === 'value') return relocate(applySteps(value, rest, text, loc), loc);
      return errorValue(`Invalid reference: ${text} (an iterator has key and value)`, loc);
    },
  };
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
  if (rest.length > 0) return unknown(`${address}.${attribute}${rest.map(stepText).join('')} (known after apply)`, loc);
  return { kind: 'ref', address, attribute, loc };
}

/** Applies `.attr` / `[key]` / `[*]` steps to a value (Terraform's rules; see eval/evaluate.ts). */
export function applySteps(v: TfVal, steps: Step[], text: string, loc: SourceLocation): TfVal {
  return applyEvalSteps(v, steps, text, loc);
}

function stepText(s: Step): string {
  if (s.kind === 'attr') return `.${s.name}`;
  if (s.kind === 'splat') return '[*]';
  const k = s.key.kind === 'scalar' ? s.key.value : '?';
  return `[${typeof k === 'number' ? k : JSON.stringify(k)}]`;
}

/** An expression text short enough for a message. */
export function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

/** Joins a module source path to the caller's directory (POSIX and Windows separators). */
export function joinPath(dir: string, rel: string): string {
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
