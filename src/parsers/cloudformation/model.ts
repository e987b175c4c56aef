import { parseCidr } from '../../model/cidr';
import { ALL_PORTS } from '../../model/ports';
import { conditionKey } from '../../model/conditions';
import type { Condition } from '../../model/conditions';
import { invalidValue } from '../../model/types';
import type { CidrPeer, Direction, GroupUser, InputError, InputNotice, SecurityGroup, SgRule, SourceLocation, Tag, Value } from '../../model/types';
import type { ExpansionBudget } from '../shared/budget';
import type { TreeNode } from '../shared/tree';
import { childOf, stringOf } from '../shared/tree';
import { scanAttachments } from './attachments';
import { Evaluator, intrinsicOf } from './evaluate';
import type { EntryContext } from './rules';
import { buildEntryRules, unreadableRule } from './rules';
import { PROPERTIES, unknownProperties } from './properties';
import { readSuppressions } from './suppressions';
import type { ResourceInfo, Template } from './template';
import type { Alt, Shape, Val } from './values';
import { mergeContext, plain, refReason, toPlain, toUnknown } from './values';
import { pushAll } from '../../model/arrays';

const SG = 'AWS::EC2::SecurityGroup';
const STANDALONE: Record<string, Direction> = {
  'AWS::EC2::SecurityGroupIngress': 'ingress',
  'AWS::EC2::SecurityGroupEgress': 'egress',
};

/** AWS's hard limit on the rules of one security group (per direction, counting written entries). */
export const MAX_ENTRIES_PER_GROUP = 1000;
/** Most rules one group keeps per direction after expanding variants; rules compare rules pairwise. */
export const MAX_RULES_PER_GROUP = 4000;

/** Options of the semantic layer. */
export interface ModelOptions {
  maxVariants: number;
  /** The input's expansion budget: every rule built takes one unit. */
  budget: ExpansionBudget;
  constructPaths?: Map<string, string>;
}

/** What the semantic layer produces for one template. */
export interface TemplateModel {
  groups: SecurityGroup[];
  users: GroupUser[];
  notices: InputNotice[];
  /** Resources that could not be evaluated (expressions nested too deeply for the call stack), with their location. */
  errors: InputError[];
  /** Files of nested stacks named by `aws:asset:path` metadata of AWS::CloudFormation::Stack resources. */
  nestedTemplates: string[];
}

/**
 * Reads the security groups of a template: inline rules, standalone rule resources merged into their group (or into
 * an external group), AWS's implicit egress, attachments, suppressions and CDK construct paths.
 */
export function buildModel(tpl: Template, options: ModelOptions): TemplateModel {
  const builder = new ModelBuilder(tpl, options);
  return builder.build();
}

class ModelBuilder {
  private readonly ev: Evaluator;
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly notices: InputNotice[] = [];
  private readonly errors: InputError[] = [];
  /** Per template group: the alternatives in which it has no inline egress (AWS then adds its allow-all default). */
  private readonly defaultEgress = new Map<string, Alt<unknown>[]>();
  /** Per template group: the assumptions and choices under which it exists (its resource Condition). */
  private readonly groupBases = new Map<string, Alt<unknown>>();
  /** Per template group: the contexts in which an AWS::EC2::SecurityGroupEgress resource adds egress to it. */
  private readonly standaloneEgress = new Map<string, Alt<unknown>[]>();

  constructor(
    private readonly tpl: Template,
    private readonly options: ModelOptions,
  ) {
    this.ev = new Evaluator(tpl, Math.max(1, options.maxVariants));
  }

  build(): TemplateModel {
    const nestedTemplates: string[] = [];
    for (const res of this.tpl.resources.values()) {
      if (res.type === SG) this.guard(res, () => this.group(res));
      if (res.type === 'AWS::CloudFormation::Stack') {
        const asset = stringOf(childOf(res.metadata, 'aws:asset:path'));
        if (asset?.endsWith('.json')) nestedTemplates.push(asset);
      }
    }
    for (const res of this.tpl.resources.values()) {
      const direction = Object.hasOwn(STANDALONE, res.type) ? STANDALONE[res.type] : undefined;
      if (direction) this.guard(res, () => this.standalone(res, direction));
    }
    for (const group of this.groups.values()) this.addDefaultEgress(group);
    let scan: ReturnType<typeof scanAttachments> = { users: [], byGroup: new Map() };
    this.guard(undefined, () => {
      scan = scanAttachments(this.ev, this.tpl, (r) => this.constructPath(r));
    });
    for (const [address, attachments] of scan.byGroup) {
      const group = this.groups.get(address);
      if (group) pushAll(group.attachments, attachments);
    }
    this.cycleNotices();
    for (const group of this.groups.values()) this.capRules(group);
    return { groups: [...this.groups.values()], users: scan.users, notices: this.notices, errors: this.errors, nestedTemplates };
  }

  /**
   * Runs one resource's part of the model; a stack overflow (expressions nested deeper than the call stack allows)
   * becomes an error at the resource instead of ending the whole template.
   */
  private guard(res: ResourceInfo | undefined, work: () => void): void {
    try {
      work();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const at = res ? this.tpl.keyLoc(res.entry) : undefined;
      const what = res ? `resource ${res.id}` : 'attachments';
      this.errors.push({ file: this.tpl.file, message: `${what}: expressions nested too deeply to evaluate`, ...(at ? { line: at.line, column: at.column } : {}) });
    }
  }

  /**
   * Keeps a group within what AWS can deploy and sg-lint can check in bounded time: at most `MAX_ENTRIES_PER_GROUP`
   * written entries and `MAX_RULES_PER_GROUP` expanded rules per direction. Past either, the rest is dropped with an
   * error (the template cannot be deployed as written, and nothing is dropped silently).
   */
  private capRules(group: SecurityGroup): void {
    for (const direction of ['ingress', 'egress'] as const) {
      const rules = group[direction];
      // Never more entries than rules: a group within both limits by its rule count alone needs no counting.
      if (rules.length <= MAX_ENTRIES_PER_GROUP && rules.length <= MAX_RULES_PER_GROUP) continue;
      const entries = [...new Set(rules.map((r) => r.entry))];
      let keep = rules.length;
      let why: string | undefined;
      if (entries.length > MAX_ENTRIES_PER_GROUP) {
        const kept = new Set(entries.slice(0, MAX_ENTRIES_PER_GROUP));
        keep = rules.findIndex((r) => !kept.has(r.entry));
        why = `has ${entries.length} ${direction} rule entries, more than the ${MAX_ENTRIES_PER_GROUP} AWS allows in one group; only the first ${MAX_ENTRIES_PER_GROUP} are linted`;
      } else if (rules.length > MAX_RULES_PER_GROUP) {
        keep = MAX_RULES_PER_GROUP;
        why = `expands to ${rules.length} ${direction} rules (Fn::If branches and AllowedValues), more than ${MAX_RULES_PER_GROUP}; only the first ${MAX_RULES_PER_GROUP} are linted`;
      }
      if (why === undefined) continue;
      rules.length = keep;
      const at = group.location;
      this.errors.push({ file: this.tpl.file, message: `security group ${group.address} ${why}`, line: at.line, column: at.column });
    }
  }

  /** A notice for each condition that refers back to itself (CloudFormation rejects such templates). */
  private cycleNotices(): void {
    for (const name of [...this.ev.cycles].sort()) {
      const entry = this.tpl.conditions.get(name);
      const at = entry ? this.tpl.keyLoc(entry) : undefined;
      this.notices.push({
        file: this.tpl.file,
        message: `condition ${name} refers to itself (directly or through other conditions); it is treated as undecided`,
        ...(at ? { line: at.line, column: at.column } : {}),
      });
    }
  }

  /** Assumptions (and choice) of a resource-level Condition; undefined when the condition is decidably false. */
  private resourceBase(res: ResourceInfo): Alt<unknown> | undefined {
    if (res.condition === undefined) return plain(null);
    const decided = this.ev.decide(res.condition);
    if (decided === false) return undefined;
    if (decided === true) return plain(null);
    return { v: null, a: [this.ev.outcome(res.condition, true)] };
  }

  private constructPath(res: ResourceInfo): string | undefined {
    const fromMeta = stringOf(childOf(res.metadata, 'aws:cdk:path'));
    const path = fromMeta ?? this.options.constructPaths?.get(res.id);
    return path === undefined ? undefined : normalizeConstructPath(path);
  }

  private group(res: ResourceInfo): void {
    const base = this.resourceBase(res);
    if (!base) return;
    const props = res.properties;
    const propsOk = props === undefined || props.kind === 'map';
    const group: SecurityGroup = {
      address: res.id,
      type: res.type,
      kind: 'standard',
      name: this.single(childOf(props, 'GroupName')),
      description: propsOk ? this.single(childOf(props, 'GroupDescription')) : invalidValue('Properties must be a mapping'),
      tags: propsOk ? this.tags(childOf(props, 'Tags')) : invalidValue('Properties must be a mapping'),
      ingress: [],
      egress: [],
      implicitEgress: false,
      attachments: [],
      conditions: base.a as Condition[],
      location: this.tpl.keyLoc(res.entry),
    };
    const path = this.constructPath(res);
    if (path !== undefined) group.constructPath = path;
    const suppressions = readSuppressions(this.tpl, res);
    if (suppressions.length > 0) group.suppressions = suppressions;
    const problems = props?.kind === 'map' ? unknownProperties(this.tpl, props, PROPERTIES[SG], SG) : [];
    if (propsOk && childOf(props, 'GroupDescription') === undefined) {
      problems.unshift({ message: `${SG} needs a GroupDescription; CloudFormation rejects the template without one`, location: group.location });
    }
    if (problems.length > 0) group.deployProblems = problems;
    this.groups.set(res.id, group);
    this.groupBases.set(res.id, base);
    this.inline(group, res, base, 'ingress');
    this.defaultEgress.set(res.id, this.inline(group, res, base, 'egress'));
  }

  /**
   * AWS's allow-all default egress, in the alternatives where the group has no inline egress and no
   * AWS::EC2::SecurityGroupEgress resource adds egress to it: creating such a rule removes the default one (see
   * docs/cloudformation.md, "Default egress"). A standalone rule that exists only under a condition leaves the default in
   * place when the condition goes the other way.
   */
  private addDefaultEgress(group: SecurityGroup): void {
    let branches = this.defaultEgress.get(group.address) ?? [];
    for (const rule of this.standaloneEgress.get(group.address) ?? []) {
      branches = branches.flatMap((branch) => withoutRule(branch, rule));
    }
    for (const branch of branches) group.egress.push(implicitEgress(group, branch));
    group.implicitEgress = branches.length > 0;
  }

  /** Adds a group's inline rules; returns the alternatives in which the group has no egress entries at all. */
  private inline(group: SecurityGroup, res: ResourceInfo, base: Alt<unknown>, direction: Direction): Alt<unknown>[] {
    const prop = direction === 'ingress' ? 'SecurityGroupIngress' : 'SecurityGroupEgress';
    const node = childOf(res.properties, prop);
    const target = direction === 'ingress' ? group.ingress : group.egress;
    const empty: Alt<unknown>[] = [];
    const alts = this.ev.peel(node);
    for (let altIndex = 0; altIndex < alts.length; altIndex++) {
      const alt = alts[altIndex] as Alt<Shape>;
      const ctxBase = mergeBase(base, alt);
      if (!ctxBase) continue;
      const prefix = `${res.id}/${prop}${alts.length > 1 ? `/Fn::If/${altIndex}` : ''}`;
      const shape = alt.v;
      if (shape.k === 'none' || (shape.k === 'node' && shape.node.kind === 'seq' && shape.node.items.length === 0)) {
        empty.push(ctxBase);
        continue;
      }
      const ctx = this.context(group, res, direction, prefix, node ?? res.body, ctxBase);
      // A single mapping where a list belongs is read as a one-entry list, as cfn-model does, so that its exposure is
      // still judged; CloudFormation itself rejects it.
      const items = shape.k === 'node' ? (shape.node.kind === 'seq' ? shape.node.items : shape.node.kind === 'map' ? [shape.node] : undefined) : undefined;
      if (shape.k === 'node' && shape.node.kind === 'map') {
        (group.deployProblems ??= []).push({
          message: `${prop} must be a list of rule entries, not a mapping; CloudFormation rejects the template`,
          location: this.tpl.loc(shape.node),
        });
      }
      if (!items) {
        target.push(unreadableRule(ctx, shape.k === 'unknown' ? toUnknown(shape) : invalidValue(`${prop} must be a list`)));
        continue;
      }
      let written = 0;
      for (let i = 0; i < items.length; i++) {
        written += this.entry(target, items[i] as TreeNode, { ...ctx, entry: `${prefix}/${i}` });
      }
      if (written === 0) empty.push(ctxBase);
    }
    return direction === 'egress' ? empty : [];
  }

  /**
   * Expands one list item (which may itself be an Fn::If); returns how many variants were rule entries (CDK's
   * placeholder counts: it is written egress, so AWS adds no default).
   */
  private entry(target: SgRule[], item: TreeNode, ctx: EntryContext): number {
    let written = 0;
    const alts = this.ev.peel(item);
    for (let k = 0; k < alts.length; k++) {
      const alt = alts[k] as Alt<Shape>;
      const base = mergeBase(ctx.base, alt);
      if (!base || alt.v.k === 'none') continue;
      const node = alt.v.k === 'node' ? alt.v.node : alt.v.k === 'map' ? alt.v.node : undefined;
      const here = { ...ctx, base, location: this.tpl.loc(node ?? item) };
      if (node?.kind !== 'map') {
        target.push(unreadableRule(here, alt.v.k === 'unknown' ? toUnknown(alt.v) : invalidValue('a rule entry must be a mapping')));
        written++;
        continue;
      }
      const before = this.ev.capped;
      const built = buildEntryRules(this.ev, this.tpl, node, here);
      if (this.ev.capped > before) this.capNotice(ctx.entry, node, before);
      pushAll(target, this.spend(built.rules, `rule entry ${ctx.entry}`, here.location));
      written++;
    }
    return written;
  }

  /** The rules the input's expansion budget still allows (all of them until it runs out). */
  private spend(rules: SgRule[], what: string, at: SourceLocation): SgRule[] {
    const n = this.options.budget.take(rules.length, what, at);
    return n === rules.length ? rules : rules.slice(0, n);
  }

  private context(group: SecurityGroup, res: ResourceInfo, direction: Direction, entry: string, at: TreeNode, base: Alt<unknown>): EntryContext {
    return { direction, group: group.address, resource: res.id, entry, location: this.tpl.loc(at), declaredAs: 'inline', base };
  }

  private standalone(res: ResourceInfo, direction: Direction): void {
    const base = this.resourceBase(res);
    if (!base) return;
    const props = res.properties;
    const suppressions = readSuppressions(this.tpl, res);
    const location = this.tpl.entryLoc(res.entry);
    for (const target of this.targetGroups(res)) {
      // A rule on a template group exists only where the group does (CloudFormation refuses a reference from a
      // resource that may exist to one that may not), so the group's Condition holds for the rule too.
      const groupBase = this.groupBases.get(target.v);
      const withTarget = mergeBase(base, target);
      const ctxBase = withTarget && groupBase ? mergeBase(withTarget, groupBase) : withTarget;
      if (!ctxBase) continue;
      const group = this.groups.get(target.v) ?? this.externalGroup(target.v, res);
      const ctx: EntryContext = { direction, group: group.address, resource: res.id, entry: res.id, location, declaredAs: 'standalone', base: ctxBase };
      if (suppressions.length > 0) ctx.suppressions = suppressions;
      const list = direction === 'ingress' ? group.ingress : group.egress;
      if (direction === 'egress' && group.kind === 'standard') {
        const known = this.standaloneEgress.get(group.address) ?? [];
        known.push(ctxBase);
        this.standaloneEgress.set(group.address, known);
      }
      if (props?.kind !== 'map') {
        list.push(unreadableRule(ctx, invalidValue('Properties must be a mapping')));
        continue;
      }
      const before = this.ev.capped;
      pushAll(list, this.spend(buildEntryRules(this.ev, this.tpl, props, ctx).rules, `resource ${res.id}`, location));
      if (this.ev.capped > before) this.capNotice(res.id, props, before);
    }
  }

  /** The group(s) a standalone rule resource belongs to: a template group, or a readable external address. */
  private targetGroups(res: ResourceInfo): Alt<string>[] {
    const node = childOf(res.properties, 'GroupId') ?? childOf(res.properties, 'GroupName');
    if (!node) return [plain(`(no GroupId in ${res.id})`)];
    const call = intrinsicOf(node);
    const refName = call?.name === 'Ref' ? stringOf(call.arg) : undefined;
    if (refName !== undefined && this.tpl.parameters.has(refName)) return [plain(`parameter ${refName}`)];
    return this.ev.evaluate(node).flatMap((alt): Alt<string>[] => {
      const v = alt.v;
      let address: string;
      if (v.k === 'ref') address = this.tpl.isType(v.target, SG) ? v.target : refReason(v);
      else if (v.k === 'lit') address = String(v.v);
      else if (v.k === 'unknown') address = v.label ?? v.reason;
      else if (v.k === 'none') return [];
      else address = `(invalid GroupId in ${res.id})`;
      return [{ ...alt, v: address }];
    });
  }

  private externalGroup(address: string, res: ResourceInfo): SecurityGroup {
    const group: SecurityGroup = {
      address,
      type: SG,
      kind: 'external',
      description: { known: false, reason: `group ${address} is defined outside the template` },
      ingress: [],
      egress: [],
      implicitEgress: false,
      attachments: [],
      conditions: [],
      location: this.tpl.keyLoc(res.entry),
    };
    // Rules added through `!GetAtt Vpc.DefaultSecurityGroup` change the VPC's default group.
    if (/^Fn::GetAtt \S+\.DefaultSecurityGroup$/.test(address)) group.vpcDefault = true;
    this.groups.set(address, group);
    return group;
  }

  /** A resource's `Tags` list: known when the list and every key are literal (values may be unknown). */
  private tags(node: TreeNode | undefined): Value<Tag[]> {
    if (node === undefined) return { known: true, value: [] };
    if (node.kind !== 'seq') return { known: false, reason: 'Tags is not a literal list' };
    const tags: Tag[] = [];
    for (const item of node.items) {
      const key = this.single(childOf(item, 'Key'));
      if (!key.known) return { known: false, reason: `a tag key is not known: ${key.reason}` };
      if (key.value === undefined) return invalidValue('a tag has no Key');
      const value = this.single(childOf(item, 'Value'));
      tags.push({ key: key.value, value: value.known ? { known: true, value: value.value ?? '' } : value });
    }
    return { known: true, value: tags };
  }

  private single(node: TreeNode | undefined): Value<string | undefined> {
    // A literal (most names, descriptions and tags) is its own one value: what evaluating it gives, without the
    // alternatives. Serverless Framework variables in strings need the evaluator.
    if (node === undefined) return { known: true, value: undefined };
    if (node.kind === 'scalar' && !this.tpl.frameworkVariables) return { known: true, value: node.value === null ? undefined : String(node.value) };
    const alts = this.ev.evaluate(node);
    const only = alts[0];
    if (!only || (alts.length > 1 && varies(alts))) return { known: false, reason: 'varies with parameters or conditions' };
    const v = only.v;
    if (v.k === 'none') return { known: true, value: undefined };
    if (v.k === 'lit') return { known: true, value: v.v === null ? undefined : String(v.v) };
    if (v.k === 'unknown') return toUnknown(v);
    if (v.k === 'ref') return { known: false, reason: refReason(v) };
    return invalidValue('expected a string');
  }

  /** A notice for the caps counted while building one rule entry (`before` is the count it started from). */
  private capNotice(entry: string, node: TreeNode, before: number): void {
    const at = this.tpl.loc(node);
    this.notices.push({
      file: this.tpl.file,
      message: `rule entry ${entry} has more than ${this.ev.max} variants; ${this.ev.capOutcome(before)}`,
      line: at.line,
      column: at.column,
    });
  }
}

/** True when the alternatives do not all have the same plain value (compared as JSON, up to the first difference). */
function varies(alts: readonly Alt<Val>[]): boolean {
  // Literals (nearly every case: a parameter's allowed values in a Sub) compare without JSON: toPlain gives a
  // literal's value itself, and JSON writes every number that is not finite as null.
  const v0 = (alts[0] as Alt<Val>).v;
  if (v0.k === 'lit') {
    let allLit = true;
    for (let i = 1; i < alts.length && allLit; i++) {
      const v = (alts[i] as Alt<Val>).v;
      if (v.k !== 'lit') allLit = false;
      else if (asJson(v.v) !== asJson(v0.v)) return true;
    }
    if (allLit) return false;
  }
  const first = JSON.stringify(toPlain(v0));
  for (let i = 1; i < alts.length; i++) if (JSON.stringify(toPlain((alts[i] as Alt<Val>).v)) !== first) return true;
  return false;
}

/** A literal as JSON compares it: a number that is not finite is null. */
function asJson(v: string | number | boolean | null): string | number | boolean | null {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

function mergeBase(base: Alt<unknown>, alt: Alt<unknown>): Alt<unknown> | undefined {
  return mergeContext(base, alt, null);
}

/**
 * The part of `branch` in which the standalone egress rule that exists under `rule` does not: `branch` itself when
 * they contradict each other, nothing when the rule exists wherever `branch` holds, and `branch` narrowed by the
 * opposite outcome of the rule's one condition otherwise. A rule resting on several choices (or on parameter values)
 * cannot be negated as one alternative; the default is then kept, as before this rule was read.
 */
function withoutRule(branch: Alt<unknown>, rule: Alt<unknown>): Alt<unknown>[] {
  if (!mergeBase(branch, rule)) return [branch];
  const held = new Set(branch.a.map(conditionKey));
  const open = rule.a.filter((c) => !held.has(conditionKey(c)));
  if (open.length === 0) return [];
  const [only] = open;
  if (open.length > 1 || only?.kind !== 'condition') return [branch];
  return [mergeBase(branch, { v: null, a: [{ ...only, value: !only.value }] }) ?? branch];
}

const WORLD_V4 = ((): CidrPeer => {
  const parsed = parseCidr('0.0.0.0/0');
  if (!parsed.ok) throw new Error('bad built-in CIDR');
  return parsed.peer;
})();

/** AWS's default allow-all egress of a CloudFormation group written without SecurityGroupEgress. */
function implicitEgress(group: SecurityGroup, base: Alt<unknown>): SgRule {
  const location: SourceLocation = group.location;
  return {
    direction: 'egress',
    protocol: { known: true, value: { kind: 'all' } },
    ports: { known: true, value: ALL_PORTS },
    peer: { known: true, value: WORLD_V4 },
    description: { known: true, value: undefined },
    declaredAs: 'implicit',
    resource: group.address,
    group: group.address,
    entry: `${group.address}/implicit-egress`,
    conditions: base.a as Condition[],
    location,
  };
}

/** Construct paths without the leading slash and the trailing `/Resource` of L1 constructs. */
export function normalizeConstructPath(path: string): string {
  return path.replace(/^\//, '').replace(/\/Resource$/, '');
}
