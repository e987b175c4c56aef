/**
 * `Fn::ForEach` of the `AWS::LanguageExtensions` transform, expanded on the positioned tree before the template is
 * read, as CloudFormation expands it before it reads the template (docs/cloudformation.md, "Loops"):
 *
 * - `Fn::ForEach::<LoopName>: [Identifier, Collection, {OutputKey: OutputValue, ...}]` in `Resources`, `Conditions`,
 *   `Outputs` and inside resources (their `Properties`) is replaced by one copy of the fragment per item of the
 *   collection, merged into the mapping that holds the loop. Loops nest.
 * - In each OutputKey, `${Identifier}` becomes the item and `&{Identifier}` the item without its non-alphanumeric
 *   characters. In values, `Ref: Identifier` and `${Identifier}` inside `Fn::Sub` become the item; an `Fn::Sub` that
 *   names a logical ID inside `Ref` or `Fn::GetAtt` becomes that name. Plain strings are left as written.
 * - The collection is a list, or a `Ref` to a `CommaDelimitedList` parameter (its value given for the run, else its
 *   `Default`). A collection sg-lint cannot know is expanded once with the identifier unknown: the fragment is still
 *   linted, and every value built from the identifier is Unknown with the reason, never guessed.
 *
 * Copies keep the positions of the loop's fragment: a finding on a generated resource points at the line of the loop's
 * template (where the fix goes), and the generated logical ID names the iteration. Every generated key takes one unit
 * of the input's expansion budget, and the copied nodes are bounded too.
 */
import type { InputError, InputNotice } from '../../model/types';
import type { ExpansionBudget } from '../shared/budget';
import type { LineIndex } from '../shared/line-index';
import type { MapEntry, MapNode, ScalarNode, TreeNode } from '../shared/tree';
import { childOf, stringOf } from '../shared/tree';
import { Evaluator, intrinsicOf, UNKNOWN_ITERATION } from './evaluate';
import type { Template } from './template';

const LOOP = /^Fn::ForEach::/;
/** Sections of the template that hold loops (the resources' properties are inside `Resources`). */
const SECTIONS = ['Conditions', 'Resources', 'Outputs'] as const;
/**
 * Most tree nodes the expansion may visit in one template; past it, expansion stops with a located notice. CloudFormation
 * applies its quotas to the resultant template (1 MB, 500 resources), which cannot hold more than a few hundred thousand
 * nodes, so a template that needs more would be refused anyway.
 */
export const MAX_FOREACH_NODES = 500_000;
/** Deepest nesting the expander follows (the readers bound nesting well below this). */
const MAX_DEPTH = 1000;

type Binding = { known: true; value: string } | { known: false; reason: string };
type Env = ReadonlyMap<string, Binding>;

/** What expansion needs from the parser: the template as written (for parameters and mappings) and where to report. */
export interface ForEachContext {
  file: string;
  lines: LineIndex;
  budget: ExpansionBudget;
  /** A template over the unexpanded root, to evaluate collections and resource conditions (parameters, mappings). */
  template: Template;
  maxVariants: number;
}

export interface ForEachResult {
  root: MapNode;
  errors: InputError[];
  notices: InputNotice[];
}

/** True when the text may hold a loop (a cheap test: most templates skip expansion entirely). */
export function mentionsForEach(text: string): boolean {
  return text.includes('Fn::ForEach::');
}

/** The root with every `Fn::ForEach` of its sections expanded. */
export function expandForEach(root: MapNode, ctx: ForEachContext): ForEachResult {
  return new Expander(root, ctx).run();
}

class Expander {
  private readonly errors: InputError[] = [];
  private readonly notices: InputNotice[] = [];
  private readonly ev: Evaluator;
  private readonly declared: boolean;
  private visited = 0;
  private stoppedAt: MapEntry | undefined;
  /** The innermost loop being expanded (where a stop is reported). */
  private current: MapEntry | undefined;
  private missingTransformReported = false;

  constructor(
    private readonly root: MapNode,
    private readonly ctx: ForEachContext,
  ) {
    this.ev = new Evaluator(ctx.template, Math.max(1, ctx.maxVariants));
    const transform = childOf(root, 'Transform');
    const names = transform?.kind === 'seq' ? transform.items.map(stringOf) : [stringOf(transform)];
    this.declared = names.includes('AWS::LanguageExtensions');
  }

  run(): ForEachResult {
    const entries = new Map(this.root.entries);
    for (const section of SECTIONS) {
      const entry = entries.get(section);
      if (entry?.value.kind !== 'map') continue;
      const value = this.mapping(entry.value, new Map(), 0, section === 'Resources' ? 'resources' : 'plain');
      if (value !== entry.value) entries.set(section, { ...entry, value });
    }
    if (this.stoppedAt) {
      this.notices.push({
        file: this.ctx.file,
        message: `expansion stopped at ${this.stoppedAt.key}: the loops of this template copy more than ${MAX_FOREACH_NODES} template nodes; what was expanded before is linted`,
        ...this.ctx.lines.position(this.stoppedAt.keyStart),
      });
    }
    return { root: { ...this.root, entries }, errors: this.errors, notices: this.notices };
  }

  /**
   * A mapping with its loops expanded and its values walked. `kind` says what the mapping holds: `resources` (the
   * Resources section, whose generated entries are resources), `fragment` (the OutputKeys of a loop: keys are
   * substituted), or `plain`.
   */
  private mapping(node: MapNode, env: Env, depth: number, kind: 'resources' | 'fragment' | 'plain', resources = kind === 'resources'): MapNode {
    const out = new Map<string, MapEntry>();
    const generated = new Set<string>();
    let changed = false;
    for (const entry of node.entries.values()) {
      if (LOOP.test(entry.key)) {
        changed = true;
        this.loop(entry, env, depth, out, generated, resources);
        continue;
      }
      const key = kind === 'fragment' ? substituteKey(entry.key, env) : entry.key;
      let value = this.walk(entry.value, env, depth + 1);
      if (resources && value.kind === 'map') value = this.resourceCondition(value);
      if (key !== entry.key || value !== entry.value) changed = true;
      this.put(out, generated, key === entry.key && value === entry.value ? entry : { ...entry, key, value }, kind === 'fragment');
    }
    return changed ? { ...node, entries: out } : node;
  }

  /**
   * Adds an entry. A generated key that meets the same key in its mapping (written or generated, before or after it)
   * is the error CloudFormation gives; the first one stays.
   */
  private put(out: Map<string, MapEntry>, generatedKeys: Set<string>, entry: MapEntry, generated: boolean): void {
    const clash = out.has(entry.key) && (generated || generatedKeys.has(entry.key));
    if (generated) generatedKeys.add(entry.key);
    if (!out.has(entry.key)) out.set(entry.key, entry);
    else if (clash) this.error(`Fn::ForEach produces the key ${entry.key}, which already exists in the same mapping`, entry.keyStart);
    else out.set(entry.key, entry); // a key written twice: the reader already noted it; CloudFormation keeps the last
  }

  /** Expands one loop into `out`. */
  private loop(entry: MapEntry, env: Env, depth: number, out: Map<string, MapEntry>, generatedKeys: Set<string>, resources: boolean): void {
    if (!this.declared && !this.missingTransformReported) {
      this.missingTransformReported = true;
      this.error(`${entry.key} needs "Transform: AWS::LanguageExtensions": CloudFormation refuses the template without it`, entry.keyStart);
    }
    const args = entry.value.kind === 'seq' ? entry.value.items : [];
    const [idNode, collectionNode, fragment] = args;
    const id = stringOf(idNode);
    if (args.length !== 3 || id === undefined || id === '' || idNode?.kind !== 'scalar' || !collectionNode || fragment?.kind !== 'map') {
      this.error(`${entry.key} must be a list of [identifier, collection, {OutputKey: OutputValue}]`, entry.value.start);
      return;
    }
    if (env.has(id)) {
      this.error(`${entry.key}: the identifier ${id} is already the identifier of an enclosing loop`, idNode.start);
      return;
    }
    if (this.ctx.template.parameters.has(id)) {
      this.error(`${entry.key}: the identifier ${id} is also the name of a parameter`, idNode.start);
      return;
    }
    const collection = this.collection(this.walk(collectionNode, env, depth + 1));
    const at = this.ctx.lines.position(entry.keyStart);
    if ('invalid' in collection) {
      this.error(`${entry.key}: ${collection.invalid}`, collectionNode.start);
      return;
    }
    const bindings: Binding[] =
      'values' in collection ? collection.values.map((value) => ({ known: true, value })) : [{ known: false, reason: `${entry.key}: ${collection.unknown}` }];
    if ('unknown' in collection) {
      this.notices.push({
        file: this.ctx.file,
        message: `${entry.key}: the collection is not known (${collection.unknown}); its fragment is linted once, with ${id} unknown`,
        ...at,
      });
    }
    const granted = this.ctx.budget.take(bindings.length * Math.max(1, fragment.entries.size), entry.key, at);
    const iterations = Math.floor(granted / Math.max(1, fragment.entries.size));
    const outer = this.current;
    for (const binding of bindings.slice(0, iterations)) {
      if (this.stoppedAt) break;
      this.current = entry;
      const inner = new Map(env).set(id, binding);
      const copy = this.mapping(fragment, inner, depth + 1, 'fragment', resources);
      for (const generated of copy.entries.values()) this.put(out, generatedKeys, generated, true);
    }
    this.current = outer;
  }

  /** The items of a collection, or why they are not known. */
  private collection(node: TreeNode): { values: string[] } | { unknown: string } | { invalid: string } {
    if (node.kind === 'scalar') return { invalid: 'the collection must be a list or a Ref to a CommaDelimitedList parameter' };
    const call = node.kind === 'map' ? intrinsicOf(node) : undefined;
    if (node.kind === 'map' && !call) return { invalid: 'the collection must be a list or a Ref to a CommaDelimitedList parameter' };
    if (node.kind === 'seq') {
      const values: string[] = [];
      for (const item of node.items) {
        const value = this.single(item);
        if ('unknown' in value) return { unknown: `an item is not known: ${value.unknown}` };
        values.push(value.value);
      }
      return { values };
    }
    const alts = this.ev.evaluate(node);
    const only = alts.length === 1 ? alts[0]?.v : undefined;
    if (only?.k === 'list') {
      const values: string[] = [];
      for (const item of only.items) {
        if (item.k !== 'lit' || item.v === null) return { unknown: item.k === 'unknown' ? item.reason : 'an item that is not a string' };
        values.push(String(item.v));
      }
      return { values };
    }
    if (only?.k === 'unknown') return { unknown: only.reason };
    return { unknown: alts.length > 1 ? 'it depends on a parameter or condition' : 'it is not a list' };
  }

  /**
   * The logical ID an expression inside `Ref` or `Fn::GetAtt` names once the identifiers are substituted: see
   * `logicalName`, else the one string it evaluates to (an `Fn::Sub` of a parameter with only a value or Default).
   */
  private nameOf(node: TreeNode, env: Env): string | undefined {
    const name = logicalName(node, env);
    if (name !== undefined || node.kind !== 'map' || !intrinsicOf(node)) return name;
    const value = this.single(node);
    return 'value' in value ? value.value : undefined;
  }

  /** The one string an item of a collection evaluates to. */
  private single(node: TreeNode): { value: string } | { unknown: string } {
    if (node.kind === 'scalar') return node.value === null ? { unknown: 'an item is null' } : { value: String(node.value) };
    const alts = this.ev.evaluate(node);
    const only = alts.length === 1 ? alts[0]?.v : undefined;
    if (only?.k === 'lit' && only.v !== null) return { value: String(only.v) };
    return { unknown: only?.k === 'unknown' ? only.reason : 'it is not one string' };
  }

  /**
   * A generated resource whose `Condition` is an expression (the transform's `Fn::FindInMap` with a `DefaultValue`):
   * the condition name it resolves to, or no condition for `AWS::NoValue`.
   */
  private resourceCondition(body: MapNode): MapNode {
    const entry = body.entries.get('Condition');
    if (entry?.value.kind !== 'map' || !intrinsicOf(entry.value)) return body;
    const alts = this.ev.evaluate(entry.value);
    const only = alts.length === 1 ? alts[0]?.v : undefined;
    const entries = new Map(body.entries);
    if (only?.k === 'none') entries.delete('Condition');
    else if (only?.k === 'lit' && only.v !== null) entries.set('Condition', { ...entry, value: scalarAt(entry.value, String(only.v)) });
    else return body;
    return { ...body, entries };
  }

  /** A node with the identifiers of `env` substituted (a copy where anything changed, else the node itself). */
  private walk(node: TreeNode, env: Env, depth: number): TreeNode {
    if (this.stoppedAt || depth > MAX_DEPTH) return node;
    if (++this.visited > MAX_FOREACH_NODES) {
      this.stoppedAt ??= this.current ?? { key: 'Fn::ForEach', keyStart: node.start, keyEnd: node.start, value: node };
      return node;
    }
    if (node.kind === 'scalar') return node;
    if (node.kind === 'seq') {
      let changed = false;
      const items = node.items.map((item) => {
        const next = this.walk(item, env, depth + 1);
        if (next !== item) changed = true;
        return next;
      });
      return changed ? { ...node, items } : node;
    }
    const call = env.size > 0 ? intrinsicOf(node) : undefined;
    if (call?.name === 'Ref') return this.ref(node, call.arg, env, depth);
    if (call?.name === 'Fn::Sub') return this.sub(node, call.arg, env, depth);
    if (call?.name === 'Fn::GetAtt' && call.arg.kind === 'seq') {
      const [target, ...rest] = call.arg.items;
      if (!target) return node;
      const walked = this.walk(target, env, depth + 1);
      const name = this.nameOf(walked, env);
      const items = [name === undefined ? walked : scalarAt(target, name), ...rest.map((i) => this.walk(i, env, depth + 1))];
      return intrinsic(node, 'Fn::GetAtt', { ...call.arg, items });
    }
    return this.mapping(node, env, depth, 'plain');
  }

  /** `Ref: Identifier` is the item; `Ref: {Fn::Sub: ...}` naming a logical ID becomes `Ref: <name>`. */
  private ref(node: MapNode, arg: TreeNode, env: Env, depth: number): TreeNode {
    const walked = arg.kind === 'scalar' ? arg : this.walk(arg, env, depth + 1);
    const direct = arg.kind === 'scalar' ? stringOf(arg) : this.nameOf(walked, env);
    if (direct === undefined) return walked === arg ? node : intrinsic(node, 'Ref', walked);
    const binding = env.get(direct);
    if (binding) return binding.known ? scalarAt(node, binding.value) : unknownAt(node, binding.reason);
    return arg.kind === 'scalar' ? node : intrinsic(node, 'Ref', scalarAt(arg, direct));
  }

  /** `${Identifier}` in an `Fn::Sub` string becomes the item (an unknown item becomes a variable of the Sub). */
  private sub(node: MapNode, arg: TreeNode, env: Env, depth: number): TreeNode {
    const textNode = arg.kind === 'seq' ? arg.items[0] : arg;
    const text = stringOf(textNode);
    if (text === undefined || !textNode) return node;
    const unknownVars = new Map<string, string>();
    const replaced = text.replace(/\$\{([^}!][^}]*)\}/g, (all, name: string) => {
      const binding = env.get(name.trim());
      if (!binding) return all;
      if (binding.known) return binding.value;
      unknownVars.set(name.trim(), binding.reason);
      return all;
    });
    const vars = arg.kind === 'seq' && arg.items[1] ? this.walk(arg.items[1], env, depth + 1) : undefined;
    if (replaced === text && unknownVars.size === 0 && vars === (arg.kind === 'seq' ? arg.items[1] : undefined)) return node;
    const varEntries = new Map(vars?.kind === 'map' ? vars.entries : []);
    for (const [name, reason] of unknownVars) {
      if (!varEntries.has(name)) varEntries.set(name, { key: name, keyStart: node.start, keyEnd: node.start, value: unknownAt(node, reason) });
    }
    const newText = scalarAt(textNode, replaced);
    if (varEntries.size === 0) return intrinsic(node, 'Fn::Sub', arg.kind === 'seq' ? { ...arg, items: [newText] } : newText);
    const varsNode: MapNode = { kind: 'map', entries: varEntries, start: vars?.start ?? node.start, end: vars?.end ?? node.end };
    return intrinsic(node, 'Fn::Sub', { kind: 'seq', items: [newText, varsNode], start: arg.start, end: arg.end });
  }

  private error(message: string, offset: number): void {
    this.errors.push({ file: this.ctx.file, message, ...this.ctx.lines.position(offset) });
  }
}

/** An OutputKey with `${Identifier}` and `&{Identifier}` replaced for the known identifiers of `env`. */
export function substituteKey(key: string, env: Env): string {
  if (!key.includes('{')) return key;
  return key.replace(/([$&])\{([^}]*)\}/g, (all, sigil: string, name: string) => {
    const binding = env.get(name);
    if (!binding?.known) return all;
    return sigil === '&' ? binding.value.replace(/[^0-9A-Za-z]/g, '') : binding.value;
  });
}

/**
 * The logical ID an expression inside `Ref` or `Fn::GetAtt` names: a string, or an `Fn::Sub` whose only variables are
 * identifiers of unknown items (kept as written, so the reference matches the resource generated with the same key).
 */
function logicalName(node: TreeNode, env: Env): string | undefined {
  if (node.kind === 'scalar') return stringOf(node);
  const call = intrinsicOf(node);
  if (call?.name !== 'Fn::Sub') return undefined;
  const text = call.arg.kind === 'seq' ? (call.arg.items.length === 1 ? stringOf(call.arg.items[0]) : undefined) : stringOf(call.arg);
  if (text === undefined) {
    const first = call.arg.kind === 'seq' ? stringOf(call.arg.items[0]) : undefined;
    const vars = call.arg.kind === 'seq' ? call.arg.items[1] : undefined;
    // The form the expander writes for unknown items: [text, {Identifier: unknown, ...}].
    if (first === undefined || vars?.kind !== 'map') return undefined;
    for (const name of vars.entries.keys()) if (env.get(name)?.known !== false) return undefined;
    return onlyVariables(first, (name) => env.get(name)?.known === false) ? first : undefined;
  }
  return onlyVariables(text, (name) => env.get(name)?.known === false) ? text : undefined;
}

/** True when every `${name}` of a Sub string passes `allowed` (`${!...}` escapes are not names). */
function onlyVariables(text: string, allowed: (name: string) => boolean): boolean {
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = (m[1] ?? '').trim();
    if (name.startsWith('!') || !allowed(name)) return false;
  }
  return true;
}

function scalarAt(at: TreeNode, value: string): ScalarNode {
  return { kind: 'scalar', value, start: at.start, end: at.end };
}

function unknownAt(at: TreeNode, reason: string): MapNode {
  return intrinsic(at, UNKNOWN_ITERATION, scalarAt(at, reason));
}

function intrinsic(at: TreeNode, name: string, arg: TreeNode): MapNode {
  return { kind: 'map', entries: new Map([[name, { key: name, keyStart: at.start, keyEnd: at.start, value: arg }]]), start: at.start, end: at.end };
}
