/**
 * `terraform show -json` output: plans (`planned_values`, `resource_changes`, `configuration`) and state
 * (`values.root_module`). Values unknown at plan time become Unknown "known after apply"; group references that
 * are unknown until apply are recovered from the `configuration` section's `references`, module scoping respected.
 */
import type { Condition, InputError, ParsedInput, SourceLocation, ValueOrigin } from '../../model/types';
import { ExpansionBudget } from '../shared/budget';
import { readJson } from '../shared/json-positions';
import type { LineIndex } from '../shared/line-index';
import type { TreeNode } from '../shared/tree';
import { childOf } from '../shared/tree';
import type { ParseOptions } from '../types';
import { firstTooDeep, TOO_DEEP_MESSAGE } from './limits';
import type { TfResource } from './model';
import { buildModel, CIDR_KEYS, isGroupType, stripIndexes, typeOfAddress } from './model';
import type { TfObject, TfVal } from './values';
import { scalar, unknown } from './values';

const AFTER_APPLY = 'known after apply';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/**
 * Parses `terraform show -json` output of a plan (format `terraform-plan`) or of state (format `terraform-state`).
 * Never throws: invalid JSON and unsupported format versions become `errors`.
 */
export function parseTerraformPlan(text: string, file: string, options: ParseOptions = {}): ParsedInput {
  const tree = readJson(text);
  const isState = tree.root !== undefined && childOf(tree.root, 'values') !== undefined && childOf(tree.root, 'planned_values') === undefined;
  const out: ParsedInput = { file, format: isState ? 'terraform-state' : 'terraform-plan', groups: [], users: [], errors: [], notices: [] };
  for (const e of tree.errors) out.errors.push(errorAt(file, tree.lines, e.offset, e.message));
  if (!tree.root || out.errors.length > 0) return out;
  const deep = firstTooDeep(tree.root);
  if (deep) {
    out.errors.push(errorAt(file, tree.lines, deep.start, TOO_DEEP_MESSAGE));
    return out;
  }
  const root = plain(tree.root);
  if (!isObject(root)) {
    out.errors.push({ file, message: 'not a Terraform plan or state: the JSON value is not an object', line: 1, column: 1 });
    return out;
  }
  const version = typeof root['format_version'] === 'string' ? root['format_version'] : undefined;
  if (version !== undefined && !/^[01]\./.test(version)) {
    out.errors.push({ file, message: `unsupported Terraform JSON format_version ${version} (sg-lint reads 0.x and 1.x)`, line: 1, column: 1 });
    return out;
  }
  const plan = new PlanReader(file, tree.lines, root, tree.root);
  const resources = plan.resources(isState ? 'values' : 'planned_values');
  const budget = new ExpansionBudget(options.expansionBudget);
  const built = buildModel(resources, { state: isState, budget });
  out.groups = built.groups;
  out.users = built.users;
  out.notices = [...built.notices, ...budget.notices(file)];
  if (!isState) out.changedResources = plan.changed();
  return out;
}

class PlanReader {
  private readonly changes = new Map<string, JsonObject>();
  private readonly configs = new Map<string, JsonObject>();
  /** Security group instance addresses of the planned (or state) values, by module instance address. */
  private groupsByModule: Map<string, string[]> | undefined;
  /** Groups a rule was linked to through a local, with the assumption that says so. */
  private readonly inferred = new Map<string, Condition>();

  constructor(
    private readonly file: string,
    private readonly lines: LineIndex,
    private readonly root: JsonObject,
    private readonly node: TreeNode,
  ) {
    for (const rc of asArray(root['resource_changes'])) {
      if (isObject(rc) && typeof rc['address'] === 'string') this.changes.set(rc['address'], rc);
    }
    const config = asObject(root['configuration']);
    this.indexConfig(asObject(config?.['root_module']), '');
  }

  /** Managed resources of the planned (or state) module tree, in document order. */
  resources(section: 'planned_values' | 'values'): TfResource[] {
    const out: TfResource[] = [];
    const walk = (mod: TreeNode | undefined): void => {
      const resources = childOf(mod, 'resources');
      for (const r of resources?.kind === 'seq' ? resources.items : []) {
        const res = this.resource(r);
        if (res) out.push(res);
      }
      const children = childOf(mod, 'child_modules');
      for (const c of children?.kind === 'seq' ? children.items : []) walk(c);
    };
    walk(childOf(childOf(this.node, section), 'root_module'));
    return out;
  }

  /** Addresses of resources the plan creates or updates. */
  changed(): string[] {
    const out: string[] = [];
    for (const [address, rc] of this.changes) {
      const actions = asArray(asObject(rc['change'])?.['actions']);
      if (actions.includes('create') || actions.includes('update')) out.push(address);
    }
    return out;
  }

  private resource(node: TreeNode): TfResource | undefined {
    const r = plain(node);
    if (!isObject(r) || r['mode'] === 'data') return undefined;
    const address = r['address'];
    const type = r['type'];
    if (typeof address !== 'string' || typeof type !== 'string') return undefined;
    const location = this.lines.location(this.file, node.start, node.end);
    const change = asObject(this.changes.get(address)?.['change']);
    const after = asObject(change?.['after']) ?? asObject(r['values']) ?? EMPTY;
    const mask = change?.['after_unknown'] ?? null;
    // Positions of the values: the resource's `values` in planned_values (or state), which hold what `after` holds.
    const at = (n: TreeNode): SourceLocation => this.lines.location(this.file, n.start, n.end);
    const body = toObject(after, mask, location, { node: childOf(node, 'values'), at });
    const expressions = asObject(this.configFor(address, type)?.['expressions']);
    if (expressions) {
      // Optional+computed attributes the configuration does not set (inline rules of a group managed by rule
      // resources, source_security_group_id of a CIDR rule, ...) are not set, not unknown.
      for (const [k, v] of [...body.fields]) if (v.kind === 'unknown' && !Object.hasOwn(expressions, k)) body.fields.delete(k);
    }
    if (expressions) this.linkUnknownGroups(body, address, expressions);
    if (expressions) this.addOrigins(body, address, expressions);
    return { address, type, body, location };
  }

  /**
   * Related locations of CIDR values that come from variables. A plan records resolved values only, but its
   * `configuration` says which variables an attribute's expression references (`cidr_blocks = [var.admin_cidr]`
   * gives `references: ["var.admin_cidr"]`; for inline `ingress` blocks, the references of all blocks together) and
   * its `variables` hold their values. A CIDR of the attribute comes from a referenced variable whose value is that
   * CIDR or a list holding it: the origins are that variable's value entry in the plan (and its default in the plan's
   * configuration when the value is the default); inside a module, the module call's argument, followed up to the
   * root module's variables.
   */
  private addOrigins(body: TfObject, address: string, expressions: JsonObject): void {
    const moduleAddr = moduleOf(address);
    for (const [name, v] of body.fields) {
      const vars = variablesOf(collectReferences(expressions[name]));
      if (vars.length === 0) continue;
      const sources = vars.flatMap((n) => this.variableSources(n, moduleAddr, 0));
      if (sources.length > 0) body.fields.set(name, withCidrOrigins(v, CIDR_KEYS.has(name), sources));
    }
  }

  /**
   * What a variable of a module instance holds and where that is written in the plan: a root variable's value entry
   * (`variables.<name>.value`) and, when equal to it, its default in the configuration; in a module, the call's
   * argument (a constant, or references followed to the parent module) or, without one, the variable's default.
   */
  private variableSources(name: string, moduleAddr: string, depth: number): VariableSource[] {
    if (depth > 20 || name === '') return [];
    const at = (n: TreeNode): SourceLocation => this.lines.location(this.file, n.start, n.end);
    if (moduleAddr === '') {
      const valueNode = childOf(childOf(childOf(this.node, 'variables'), name), 'value');
      if (valueNode === undefined) return [];
      const value = plain(valueNode);
      const origins: ValueOrigin[] = [{ field: 'peer', kind: 'variable-value', label: `variable ${name} value`, location: at(valueNode) }];
      const decl = childOf(childOf(childOf(childOf(this.node, 'configuration'), 'root_module'), 'variables'), name);
      const def = childOf(decl, 'default');
      if (def !== undefined && JSON.stringify(plain(def)) === JSON.stringify(value)) {
        origins.push({ field: 'peer', kind: 'variable-default', label: `variable ${name} default`, location: at(def) });
      }
      return [{ value, origins }];
    }
    const call = this.moduleCallNode(moduleAddr);
    const module = stripIndexes(moduleAddr);
    const arg = childOf(childOf(call, 'expressions'), name);
    if (arg === undefined) {
      const def = childOf(childOf(childOf(childOf(call, 'module'), 'variables'), name), 'default');
      return def === undefined ? [] : [{ value: plain(def), origins: [{ field: 'peer', kind: 'variable-default', label: `variable ${module}.var.${name} default`, location: at(def) }] }];
    }
    const argument: ValueOrigin = { field: 'peer', kind: 'module-call', label: `module ${module} argument ${name}`, location: at(arg) };
    const constant = childOf(arg, 'constant_value');
    if (constant !== undefined) return [{ value: plain(constant), origins: [{ ...argument, location: at(constant) }] }];
    const parent = parentModule(moduleAddr);
    return variablesOf(collectReferences(plain(arg)))
      .flatMap((n) => this.variableSources(n, parent, depth + 1))
      .map((src) => ({ value: src.value, origins: [argument, ...src.origins] }));
  }

  /** The positioned `module_calls` entry of a module instance in the configuration. */
  private moduleCallNode(moduleAddr: string): TreeNode | undefined {
    let mod = childOf(childOf(this.node, 'configuration'), 'root_module');
    let call: TreeNode | undefined;
    for (const name of stripIndexes(moduleAddr).split('.').filter((_, i) => i % 2 === 1)) {
      call = childOf(childOf(mod, 'module_calls'), name);
      mod = childOf(call, 'module');
    }
    return call;
  }

  /**
   * Replaces unknown group-id fields (security_group_id, security_groups, vpc_security_group_ids, ...) and prefix-list
   * fields (prefix_list_ids, prefix_list_id) by references to the groups and managed prefix lists the configuration's
   * `references` name for that attribute.
   */
  private linkUnknownGroups(body: TfObject, address: string, expressions: JsonObject): void {
    const moduleAddr = moduleOf(address);
    const index = instanceKey(address);
    for (const [name, v] of body.fields) {
      if (!hasUnknown(v)) continue;
      const references = collectReferences(expressions[name]);
      const refs = { groups: this.groupRefs(references, moduleAddr, index), prefixLists: this.groupRefs(references, moduleAddr, index, 0, isPrefixListType) };
      body.fields.set(name, fill(v, name, refs, body.loc, this.inferred));
    }
  }

  private configFor(address: string, type: string): JsonObject | undefined {
    return this.configs.get(`${stripIndexes(moduleOf(address))}|${type}.${resourceName(address)}`);
  }

  /**
   * SG instance addresses (or, with `isType`, instances of other resource types) named by a references list, resolved
   * through module variables and outputs.
   */
  private groupRefs(references: string[], moduleAddr: string, index: string | undefined, depth = 0, isType: (type: string) => boolean = isGroupType): string[] {
    if (depth > 20) return [];
    const out = new Set<string>();
    const usesIndex = references.some((r) => r === 'count.index' || r.startsWith('each.'));
    const byBase = new Map<string, string>();
    const locals = new Set<string>();
    for (const ref of references) {
      if (ref.startsWith('local.')) {
        locals.add(ref.split(/[.[]/).slice(0, 2).join('.'));
        continue;
      }
      if (ref.startsWith('var.')) {
        for (const a of this.viaVariable(variableName(ref), moduleAddr, depth, isType)) out.add(a);
        continue;
      }
      if (ref.startsWith('module.')) {
        for (const a of this.viaOutput(ref, moduleAddr, depth, isType)) out.add(a);
        continue;
      }
      const m = /^([a-z0-9_]+\.[A-Za-z0-9_-]+)((?:\[[^\]]*\])?)/i.exec(ref);
      if (!m?.[1] || !isType(typeOfAddress(m[1]) ?? '')) continue;
      const base = m[1];
      const specific = m[2] ? `${base}${m[2]}` : undefined;
      const prev = byBase.get(base);
      if (specific) byBase.set(base, specific);
      else if (prev === undefined) byBase.set(base, usesIndex && index !== undefined ? `${base}${index}` : base);
    }
    for (const a of byBase.values()) out.add(`${moduleAddr}${moduleAddr ? '.' : ''}${a}`);
    if (out.size === 0 && locals.size > 0 && isType === isGroupType) {
      // A plan does not record locals (`security_group_id = local.this_sg_id`, as registry modules write it). When
      // the module instance has exactly one security group, that is the group the local names; the finding says so.
      const only = this.groupsIn(moduleAddr);
      if (only.length === 1 && only[0] !== undefined) {
        const where = moduleAddr === '' ? 'the root module' : moduleAddr;
        this.inferred.set(only[0], { kind: 'inferred-group', locals: [...locals], where });
        out.add(only[0]);
      }
    }
    return [...out];
  }

  /** Security group instances written directly in one module instance ('' for the root), from the planned values. */
  private groupsIn(moduleAddr: string): string[] {
    if (!this.groupsByModule) {
      const byModule = new Map<string, string[]>();
      const walk = (mod: JsonObject | undefined): void => {
        for (const r of asArray(mod?.['resources'])) {
          if (!isObject(r) || r['mode'] === 'data' || typeof r['address'] !== 'string' || typeof r['type'] !== 'string') continue;
          if (!isGroupType(r['type'])) continue;
          const m = moduleOf(r['address']);
          byModule.set(m, [...(byModule.get(m) ?? []), r['address']]);
        }
        for (const c of asArray(mod?.['child_modules'])) walk(asObject(c));
      };
      walk(asObject(asObject(this.root['planned_values'] ?? this.root['values'])?.['root_module']));
      this.groupsByModule = byModule;
    }
    return this.groupsByModule.get(moduleAddr) ?? [];
  }

  private viaVariable(name: string, moduleAddr: string, depth: number, isType: (type: string) => boolean): string[] {
    if (!moduleAddr) return [];
    const parent = parentModule(moduleAddr);
    const call = this.moduleCall(moduleAddr);
    const expr = asObject(call?.['expressions'])?.[name];
    return this.groupRefs(collectReferences(expr), parent, instanceKey(moduleAddr), depth + 1, isType);
  }

  private viaOutput(ref: string, moduleAddr: string, depth: number, isType: (type: string) => boolean): string[] {
    const m = /^module\.([A-Za-z0-9_-]+)((?:\[[^\]]*\])?)\.([A-Za-z0-9_-]+)/.exec(ref);
    if (!m?.[1] || !m[3]) return [];
    const child = `${moduleAddr}${moduleAddr ? '.' : ''}module.${m[1]}${m[2] ?? ''}`;
    const call = this.moduleCall(child);
    const output = asObject(asObject(asObject(call?.['module'])?.['outputs'])?.[m[3]]);
    return this.groupRefs(collectReferences(output?.['expression']), child, undefined, depth + 1, isType);
  }

  private moduleCall(moduleAddr: string): JsonObject | undefined {
    let mod = asObject(asObject(this.root['configuration'])?.['root_module']);
    let call: JsonObject | undefined;
    for (const name of stripIndexes(moduleAddr).split('.').filter((_, i) => i % 2 === 1)) {
      call = asObject(asObject(mod?.['module_calls'])?.[name]);
      mod = asObject(call?.['module']);
    }
    return call;
  }

  private indexConfig(mod: JsonObject | undefined, prefix: string): void {
    if (!mod) return;
    for (const r of asArray(mod['resources'])) {
      if (isObject(r) && typeof r['address'] === 'string') this.configs.set(`${prefix}|${r['address']}`, r);
    }
    for (const [name, call] of Object.entries(asObject(mod['module_calls']) ?? {})) {
      this.indexConfig(asObject(asObject(call)?.['module']), `${prefix}${prefix ? '.' : ''}module.${name}`);
    }
  }
}

/** A value a variable holds in the plan, and the places in the plan it was read from. */
interface VariableSource {
  value: Json;
  origins: ValueOrigin[];
}

/** The variable a `var.` reference names: `var.cidrs[0]` and `var.net.cidr` name `cidrs` and `net`. */
function variableName(ref: string): string {
  return ref.slice(4).split(/[.[]/)[0] ?? '';
}

/** The variables (each once, in order) that a configuration expression's references name. */
function variablesOf(references: readonly string[]): string[] {
  return [...new Set(references.filter((r) => r.startsWith('var.')).map(variableName))];
}

/** True when a variable's value is the CIDR, or a list (or set) holding it. */
function holds(value: Json, cidr: string): boolean {
  return value === cidr || (Array.isArray(value) && value.includes(cidr));
}

/**
 * Gives every CIDR string under `v` (the value itself when `isCidr`, else values under a CIDR key of nested blocks)
 * the origins of the sources whose value holds it.
 */
function withCidrOrigins(v: TfVal, isCidr: boolean, sources: readonly VariableSource[]): TfVal {
  if (v.kind === 'scalar') {
    if (!isCidr || typeof v.value !== 'string') return v;
    const cidr = v.value;
    const origins = sources.filter((src) => holds(src.value, cidr)).flatMap((src) => src.origins);
    return origins.length > 0 ? { ...v, origins: [...(v.origins ?? []), ...origins] } : v;
  }
  if (v.kind === 'list') return { ...v, items: v.items.map((i) => withCidrOrigins(i, isCidr, sources)) };
  if (v.kind === 'object') {
    const fields = new Map<string, TfVal>();
    for (const [k, f] of v.fields) fields.set(k, withCidrOrigins(f, CIDR_KEYS.has(k), sources));
    return { ...v, fields };
  }
  return v;
}

/** Converts `after` + `after_unknown` into a TfObject: unknown leaves (and keys absent from `after`) are Unknown. */
/** Where the values of a resource are written in the plan: the node of the value at hand, and how to locate a node. */
interface Positions {
  node: TreeNode | undefined;
  at: (node: TreeNode) => SourceLocation;
}

function toObject(after: JsonObject, mask: Json, loc: SourceLocation, pos?: Positions): TfObject {
  const v = toVal(after, mask, loc, pos);
  return v.kind === 'object' ? { ...v, loc } : { kind: 'object', fields: new Map(), loc };
}

/**
 * Converts one value. Each value is located where the plan writes it (an element of `cidr_blocks`, one `ingress`
 * object) when `pos` knows the node, else at `loc` (the resource): findings then point at the offending value.
 */
function toVal(value: Json | undefined, mask: Json | undefined, parent: SourceLocation, pos?: Positions): TfVal {
  const node = pos?.node;
  const loc = node !== undefined && pos !== undefined ? pos.at(node) : parent;
  const child = (n: TreeNode | undefined): Positions | undefined => (pos !== undefined ? { node: n, at: pos.at } : undefined);
  if (mask === true) return unknown(AFTER_APPLY, loc);
  if (Array.isArray(value)) {
    const m = Array.isArray(mask) ? mask : [];
    const items = node?.kind === 'seq' ? node.items : [];
    return { kind: 'list', items: value.map((item, i) => toVal(item, m[i], loc, child(items[i]))), loc };
  }
  if (isObject(value)) {
    const m = isObject(mask) ? mask : EMPTY;
    const fields = new Map<string, TfVal>();
    for (const [k, v] of Object.entries(value)) fields.set(k, toVal(v, m[k], loc, child(childOf(node, k))));
    for (const [k, mv] of Object.entries(m)) if (!fields.has(k) && mv === true) fields.set(k, unknown(AFTER_APPLY, loc));
    return { kind: 'object', fields, loc };
  }
  if (value === undefined) return unknown(AFTER_APPLY, loc);
  return scalar(value, loc);
}

/**
 * Fills unknown group fields of `v` with references; other unknowns stay as they are. `inferred` holds the assumption
 * of a group found through a local.
 */
function fill(v: TfVal, name: string, refs: LinkedRefs, loc: SourceLocation | undefined, inferred: ReadonlyMap<string, Condition>): TfVal {
  const which = /security_group/.test(name) ? refs.groups : /^prefix_list_ids?$/.test(name) ? refs.prefixLists : undefined;
  if (v.kind === 'unknown' && which) {
    if (which.length === 0) return v;
    const asRefs: TfVal[] = which.map((address) => {
      const via = inferred.get(address);
      return { kind: 'ref', address, attribute: 'id', ...(loc ? { loc } : {}), ...(via ? { via: [via] } : {}) };
    });
    if (/_id$/.test(name)) return which.length === 1 && asRefs[0] ? asRefs[0] : unknown(`${AFTER_APPLY} (one of ${which.join(', ')})`, loc);
    return { kind: 'list', items: asRefs, ...(loc ? { loc } : {}) };
  }
  // Inside a list or a nested block, a reference is only taken when it is the only one of its kind.
  const only: LinkedRefs = { groups: refs.groups.length === 1 ? refs.groups : [], prefixLists: refs.prefixLists.length === 1 ? refs.prefixLists : [] };
  if (v.kind === 'list') return { ...v, items: v.items.map((i) => fill(i, name, only, loc, inferred)) };
  if (v.kind === 'object') {
    const fields = new Map<string, TfVal>();
    for (const [k, f] of v.fields) fields.set(k, fill(f, k, only, loc, inferred));
    return { ...v, fields };
  }
  return v;
}

/** What the configuration's references of one attribute name: security groups and managed prefix lists. */
interface LinkedRefs {
  groups: string[];
  prefixLists: string[];
}

/** Managed prefix lists: their `id` is known after apply, and a reference to one names that prefix list. */
function isPrefixListType(type: string): boolean {
  return type === 'aws_ec2_managed_prefix_list';
}

function hasUnknown(v: TfVal): boolean {
  if (v.kind === 'unknown') return true;
  if (v.kind === 'list') return v.items.some(hasUnknown);
  if (v.kind === 'object') return [...v.fields.values()].some(hasUnknown);
  return false;
}

/** Every `references` entry inside a configuration expression (nested block expressions included). */
function collectReferences(expr: Json | undefined): string[] {
  const out: string[] = [];
  const walk = (e: Json | undefined): void => {
    if (Array.isArray(e)) e.forEach(walk);
    else if (isObject(e)) {
      for (const [k, v] of Object.entries(e)) {
        if (k === 'references' && Array.isArray(v)) {
          for (const r of v) if (typeof r === 'string') out.push(r);
        } else if (k !== 'constant_value') walk(v);
      }
    }
  };
  walk(expr);
  return out;
}

/** `module.a["x"].module.b.aws_sg.web[0]` -> `module.a["x"].module.b`. */
function moduleOf(address: string): string {
  const parts = splitAddress(address);
  return parts.length > 2 ? parts.slice(0, parts.length - 2).join('.') : '';
}

function parentModule(moduleAddr: string): string {
  const parts = splitAddress(moduleAddr);
  return parts.slice(0, Math.max(0, parts.length - 2)).join('.');
}

/** The resource name of an instance address, without its key. */
function resourceName(address: string): string {
  const parts = splitAddress(address);
  return stripIndexes(parts[parts.length - 1] ?? '');
}

/** `[0]` / `["a"]` of the last segment, if any. */
function instanceKey(address: string): string | undefined {
  const parts = splitAddress(address);
  const m = /(\[[^\]]*\])$/.exec(parts[parts.length - 1] ?? '');
  return m?.[1];
}

/** Splits an address at dots outside brackets and quotes. */
function splitAddress(address: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inBracket = false;
  let inQuote = false;
  for (let i = 0; i < address.length; i++) {
    const c = address[i] ?? '';
    if (inQuote) {
      cur += c;
      if (c === '\\') cur += address[++i] ?? '';
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '[') inBracket = true;
    else if (c === ']') inBracket = false;
    if (c === '.' && !inBracket) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Converts a positioned JSON node into a plain value. */
function plain(node: TreeNode): Json {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  // No prototype: keys such as `__proto__` and `constructor` are ordinary own properties, and lookups of absent keys
  // never reach Object.prototype.
  const out: JsonObject = Object.create(null) as JsonObject;
  for (const [k, e] of node.entries) out[k] = plain(e.value);
  return out;
}

/** An object without keys and without a prototype, for defaults that input keys are looked up in. */
const EMPTY: JsonObject = Object.freeze(Object.create(null) as JsonObject);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asObject(v: Json | undefined): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function errorAt(file: string, lines: LineIndex, offset: number, message: string): InputError {
  const p = lines.position(offset);
  return { file, message, line: p.line, column: p.column };
}
