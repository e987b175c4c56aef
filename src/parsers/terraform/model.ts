/**
 * Builds the security-group model from evaluated Terraform resources. Shared by the plan, `.tf.json` and `.tf`
 * front-ends, so the same group written in any of the three forms gives the same rules.
 */
import type { ExpansionBudget } from '../shared/budget';
import { parseCidr } from '../../model/cidr';
import { mergeConditions } from '../../model/conditions';
import { invalidValue } from '../../model/types';
import { ALL_PORTS, normalizePorts } from '../../model/ports';
import { parseProtocol, protocolIgnoresPorts } from '../../model/protocol';
import type {
  Condition,
  Attachment,
  Direction,
  GroupUser,
  InputNotice,
  Peer,
  PortRange,
  Protocol,
  SecurityGroup,
  SgRule,
  SourceLocation,
  Suppression,
  Tag,
  Value,
  ValueOrigin,
} from '../../model/types';
import { ATTACHMENTS, attachmentPorts } from './attachments';
import { attributeFormat } from './provider-attributes';
import type { TfObject, TfVal } from './values';
import { field, isUnset, scalarText, withVia } from './values';
import { pushAll } from '../../model/arrays';
import { quoteInput } from '../../model/quote';

/** One resource instance after evaluation, as the builder reads it. */
export interface TfResource {
  /** Instance address exactly as Terraform prints it: `module.db.aws_security_group.pg["a"]`. */
  address: string;
  type: string;
  body: TfObject;
  /** Where the resource is written (block header for `.tf`, resource object for JSON). */
  location: SourceLocation;
  suppressions?: Suppression[];
  /** `"//"` comment strings of a `.tf.json` block body. */
  comments?: string[];
  /** Conditions of the instance itself (any instance of a resource whose count is not known). */
  conditions?: Condition[];
}

/** What the builder produces for one file. */
export interface BuiltModel {
  groups: SecurityGroup[];
  users: GroupUser[];
  notices: InputNotice[];
}

const GROUP_TYPES = new Set(['aws_security_group', 'aws_default_security_group']);
const RULE_TYPES = new Set(['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']);
const TERRAFORM_DEFAULT_DESCRIPTION = 'Managed by Terraform';
/** Resource and data source types whose `id` is a prefix list id. */
const PREFIX_LIST_TYPES = new Set(['aws_ec2_managed_prefix_list', 'aws_prefix_list']);

/** The type of a resource or data source address (`data.aws_prefix_list.s3` -> `aws_prefix_list`). */
function refType(address: string): string | undefined {
  const parts = stripIndexes(address).split('.');
  const at = parts[0] === 'data' ? 1 : parts.length - 2;
  return at >= 0 ? parts[at] : undefined;
}

/** True for the resource types that are security groups. */
export function isGroupType(type: string): boolean {
  return GROUP_TYPES.has(type);
}

/** The resource type named by an address (`module.a.aws_security_group.x[0]` -> `aws_security_group`). */
export function typeOfAddress(address: string): string | undefined {
  const parts = stripIndexes(address).split('.');
  if (parts[0] === 'data') return undefined;
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

/** An address without its instance keys (`module.a["x"].aws_sg.web[0]` -> `module.a.aws_sg.web`). */
export function stripIndexes(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, '');
}

/** How the resources were obtained. */
export interface BuildOptions {
  /**
   * The resources come from state (`terraform show -json` of state): AWS lists the rules that standalone rule
   * resources created inside their group's `ingress`/`egress` too, so those inline copies are dropped.
   */
  state?: boolean;
  /**
   * The input's expansion budget (see `shared/budget.ts`): every rule built (one per peer) takes one unit, and past
   * the limit no more rules are built. The caller adds `budget.notices(file)` to the input.
   */
  budget?: ExpansionBudget;
}

/**
 * Builds groups (inline and standalone rules merged), group users and attachments from the resource instances of a
 * plan or a module tree. Standalone rules join their group wherever either is written; locations keep each file.
 * Literal group ids (`sg-0abc...`, as plans of existing groups and state hold them) are matched to the group whose
 * `id` they are.
 */
export function buildModel(resources: readonly TfResource[], options: BuildOptions = {}): BuiltModel {
  const b = new Builder(resources, options.budget);
  for (const r of resources) if (GROUP_TYPES.has(r.type)) b.addGroup(r);
  for (const r of resources) if (RULE_TYPES.has(r.type)) b.addStandalone(r);
  for (const r of resources) if (Object.hasOwn(ATTACHMENTS, r.type)) b.addUser(r);
  if (options.state) b.dropEchoedInlineRules();
  return b.finish();
}

class Builder {
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly externals = new Map<string, SecurityGroup>();
  private readonly groupAddresses: Set<string>;
  /** Group id (known in plans of existing groups and in state) -> group address. */
  private readonly byId = new Map<string, string>();
  private readonly byBase = new Map<string, string[]>();
  private readonly users: GroupUser[] = [];
  private readonly notices: InputNotice[] = [];
  private readonly inlineStyle = new Set<string>();
  private readonly standaloneStyle = new Set<string>();
  /** `<address>.cidr_block` of VPCs and subnets whose configuration sets the block: AWS keeps the block as written. */
  private readonly ownBlocks = new Map<string, TfVal>();

  constructor(
    all: readonly TfResource[],
    private readonly budget?: ExpansionBudget,
  ) {
    this.groupAddresses = new Set(all.filter((r) => GROUP_TYPES.has(r.type)).map((r) => r.address));
    for (const r of all) {
      const id = GROUP_TYPES.has(r.type) ? field(r.body, 'id') : undefined;
      const text = id ? scalarText(id) : undefined;
      if (text !== undefined && text !== '' && !this.byId.has(text)) this.byId.set(text, r.address);
    }
    for (const r of all) {
      const block = attributeFormat(r.address, 'cidr_block')?.range ? field(r.body, 'cidr_block') : undefined;
      if (block?.kind === 'scalar' && typeof block.value === 'string') this.ownBlocks.set(`${r.address}.cidr_block`, block);
    }
    for (const a of this.groupAddresses) {
      const base = stripIndexes(a);
      this.byBase.set(base, [...(this.byBase.get(base) ?? []), a]);
    }
  }

  addGroup(r: TfResource): void {
    const isDefault = r.type === 'aws_default_security_group';
    const g: SecurityGroup = {
      address: r.address,
      type: r.type,
      kind: isDefault ? 'default' : 'standard',
      ...(isDefault ? { vpcDefault: true } : {}),
      name: optionalString(field(r.body, 'name')),
      description: isDefault ? { known: true, value: undefined } : groupDescription(field(r.body, 'description')),
      tags: tagsOf(r.body),
      ingress: [],
      egress: [],
      implicitEgress: false,
      attachments: [],
      conditions: [...(r.conditions ?? [])],
      location: r.location,
    };
    if (r.suppressions && r.suppressions.length > 0) g.suppressions = [...r.suppressions];
    if (r.comments && r.comments.length > 0) g.comments = [...r.comments];
    this.groups.set(r.address, g);
    for (const direction of ['ingress', 'egress'] as const) {
      const list = field(r.body, direction);
      if (list === undefined || isUnset(list)) continue;
      this.inlineStyle.add(r.address);
      if (list.kind !== 'list') {
        const reason = list.kind === 'unknown' ? list.reason : `${direction} is not a list`;
        g[direction].push(this.unknownRule(direction, r, `${r.address}.${direction}`, reason, list.loc ?? r.location, list.via ?? []));
        continue;
      }
      list.items.forEach((item, i) => {
        const entry = `${r.address}.${direction}[${i}]`;
        const obj = withVia(item, list.via ?? []);
        if (obj.kind !== 'object') {
          const reason = obj.kind === 'unknown' ? obj.reason : `${direction} entry is not an object`;
          g[direction].push(this.unknownRule(direction, r, entry, reason, obj.loc ?? r.location, obj.via ?? []));
          return;
        }
        const spec: RuleSpec = {
          direction,
          resource: r.address,
          group: r.address,
          entry,
          body: obj,
          declaredAs: 'inline',
          location: obj.loc ?? r.location,
          conditions: mergeConditions(r.conditions ?? [], obj.via ?? []),
          suppressions: obj.suppressions,
          style: 'inline',
        };
        pushAll(g[direction], this.rules(spec));
      });
    }
  }

  addStandalone(r: TfResource): void {
    const known = this.standaloneDirection(r);
    // A rule whose type is not known stays in the model (as ingress, the direction that exposes) with its peer
    // unknown and the reason, so unknown-peer reports it and nothing is dropped silently.
    const direction = typeof known === 'string' ? known : 'ingress';
    const groupVal = field(r.body, 'security_group_id');
    const { address: group, conditions: linkConditions } = this.groupOfStandalone(groupVal, r);
    const target = this.groups.get(group) ?? this.external(group, r.location);
    if (this.groups.has(group)) this.standaloneStyle.add(group);
    const spec: RuleSpec = {
      direction,
      resource: r.address,
      group,
      entry: r.address,
      body: r.body,
      declaredAs: 'standalone',
      location: r.location,
      conditions: mergeConditions(r.conditions ?? [], linkConditions),
      suppressions: r.suppressions,
      comments: r.comments,
      style: r.type === 'aws_security_group_rule' ? 'rule' : 'vpc',
    };
    const rules = this.rules(spec);
    if (typeof known === 'object') for (const rule of rules) rule.peer = { known: false, reason: known.unknown };
    pushAll(target[direction], rules);
  }

  addUser(r: TfResource): void {
    const spec = Object.hasOwn(ATTACHMENTS, r.type) ? ATTACHMENTS[r.type] : undefined;
    if (!spec) return;
    const groups: Value<string>[] = [];
    const seen = new Set<string>();
    for (const path of spec.paths) {
      for (const v of valuesAt(r.body, path.split('.'))) {
        const g = this.groupIdOf(v);
        if (g === undefined) continue;
        const key = g.known ? `k:${g.value}` : `u:${g.reason}`;
        if (seen.has(key)) continue;
        seen.add(key);
        groups.push(g);
      }
    }
    if (groups.length === 0) return;
    const user: GroupUser = { resource: r.address, type: r.type, groups, location: r.location };
    if (r.suppressions && r.suppressions.length > 0) user.suppressions = [...r.suppressions];
    this.users.push(user);
    const ports = attachmentPorts(spec, r.body);
    for (const g of groups) {
      if (!g.known) continue;
      const group = this.groups.get(g.value);
      if (!group || group.attachments.some((a) => a.resource === r.address)) continue;
      const att: Attachment = { resource: r.address, type: r.type, category: spec.category, location: r.location };
      if (ports.length > 0) att.ports = ports;
      group.attachments.push(att);
    }
  }

  /**
   * State only: drops each inline rule of a group that is identical (protocol, ports, ICMP type/code, peer,
   * description) to a standalone rule of the same group, which AWS echoes into the group's own rule list.
   */
  dropEchoedInlineRules(): void {
    for (const g of this.groups.values()) {
      let inlineLeft = false;
      for (const direction of ['ingress', 'egress'] as const) {
        const standalone = new Set<string>();
        for (const r of g[direction]) {
          const id = r.declaredAs === 'standalone' ? ruleIdentity(r) : undefined;
          if (id !== undefined) standalone.add(id);
        }
        const echoed = (r: SgRule): boolean => {
          const id = r.declaredAs === 'inline' ? ruleIdentity(r) : undefined;
          return id !== undefined && standalone.has(id);
        };
        if (standalone.size > 0) g[direction] = g[direction].filter((r) => !echoed(r));
        inlineLeft ||= g[direction].some((r) => r.declaredAs === 'inline');
      }
      if (!inlineLeft && this.standaloneStyle.has(g.address)) this.inlineStyle.delete(g.address);
    }
  }

  finish(): BuiltModel {
    for (const a of this.inlineStyle) {
      const g = this.groups.get(a);
      if (g && this.standaloneStyle.has(a)) g.mixedRuleStyles = true;
    }
    return { groups: [...this.groups.values(), ...this.externals.values()], users: this.users, notices: this.notices };
  }

  /** The direction of a standalone rule, or why it is not known. */
  private standaloneDirection(r: TfResource): Direction | { unknown: string } {
    if (r.type === 'aws_vpc_security_group_ingress_rule') return 'ingress';
    if (r.type === 'aws_vpc_security_group_egress_rule') return 'egress';
    const t = field(r.body, 'type');
    const text = t ? scalarText(t) : undefined;
    if (text === 'ingress' || text === 'egress') return text;
    if (text !== undefined) {
      this.notice(r.location, `${r.address}: rule type ${quoteInput(text)} is not ingress or egress (AWS rejects it)`);
      return { unknown: `rule type ${quoteInput(text)} is not ingress or egress` };
    }
    const why = t?.kind === 'unknown' ? t.reason : t?.kind === 'ref' ? `${t.address}.${t.attribute}` : 'type is not set';
    return { unknown: `rule type (ingress or egress) is not known: ${why}` };
  }

  /** The group a standalone rule belongs to: a group of the input, a literal id, or the expression it could not resolve. */
  private groupOfStandalone(v: TfVal | undefined, r: TfResource): { address: string; conditions: Condition[] } {
    const via = v?.via ?? [];
    if (v?.kind === 'ref') {
      const resolved = this.resolveGroup(v.address);
      return { address: resolved.address, conditions: mergeConditions(via, resolved.conditions) };
    }
    const text = v ? scalarText(v) : undefined;
    if (text !== undefined && text !== '') return { address: this.byId.get(text) ?? text, conditions: via };
    const reason = v?.kind === 'unknown' ? v.reason : 'security_group_id is not set';
    return { address: `(unknown group of ${r.address})`, conditions: mergeConditions(via, [{ kind: 'unknown-group', reason }]) };
  }

  /** Matches a referenced address to a group of the input: exactly, or the first instance of a counted group. */
  private resolveGroup(address: string): { address: string; inModel: boolean; conditions: Condition[] } {
    if (this.groupAddresses.has(address)) return { address, inModel: true, conditions: [] };
    const instances = this.byBase.get(stripIndexes(address));
    const first = instances?.[0];
    if (first !== undefined && instances) {
      const conditions: Condition[] = instances.length > 1 ? [{ kind: 'instance', resource: stripIndexes(address), instance: first, count: instances.length }] : [];
      return { address: first, inModel: true, conditions };
    }
    return { address, inModel: false, conditions: [] };
  }

  private external(address: string, location: SourceLocation): SecurityGroup {
    const hit = this.externals.get(address);
    if (hit) return hit;
    const g: SecurityGroup = {
      address,
      type: 'aws_security_group',
      kind: 'external',
      description: { known: false, reason: `group ${address} is not defined in this input` },
      ingress: [],
      egress: [],
      implicitEgress: false,
      attachments: [],
      conditions: [],
      location,
    };
    this.externals.set(address, g);
    return g;
  }

  private groupIdOf(v: TfVal): Value<string> | undefined {
    if (v.kind === 'ref') {
      if (!isGroupType(typeOfAddress(v.address) ?? '')) return { known: false, reason: `${v.address}.${v.attribute}` };
      return { known: true, value: this.resolveGroup(v.address).address };
    }
    if (v.kind === 'unknown') return { known: false, reason: v.reason };
    const text = scalarText(v);
    if (text === undefined || text === '') return undefined;
    return { known: true, value: this.byId.get(text) ?? text };
  }

  private unknownRule(direction: Direction, r: TfResource, entry: string, reason: string, location: SourceLocation, via: Condition[]): SgRule {
    const u = { known: false as const, reason };
    return {
      direction,
      protocol: u,
      ports: u,
      peer: u,
      description: u,
      declaredAs: 'inline',
      resource: r.address,
      group: r.address,
      entry,
      conditions: mergeConditions(r.conditions ?? [], via),
      location,
    };
  }

  private rules(spec: RuleSpec): SgRule[] {
    // Once the input's expansion budget is spent, nothing more is built (the refusal is still counted for the notice).
    if (this.budget?.exhausted) {
      this.budget.take(1, spec.entry, spec.location);
      return [];
    }
    const body = spec.body;
    const protoField = field(body, spec.style === 'vpc' ? 'ip_protocol' : 'protocol');
    const protocol = this.protocolOf(protoField, spec);
    const fromField = field(body, 'from_port');
    const toField = field(body, 'to_port');
    const { ports, icmp } = this.portsOf(protocol, fromField, toField, spec);
    const descField = field(body, 'description');
    const description = optionalString(descField);
    const base: Omit<SgRule, 'peer'> = {
      direction: spec.direction,
      protocol,
      ports,
      description,
      declaredAs: spec.declaredAs,
      resource: spec.resource,
      group: spec.group,
      entry: spec.entry,
      conditions: [],
      location: spec.location,
    };
    if (icmp) base.icmp = icmp;
    const shared = mergeConditions(spec.conditions, viaOf(protoField, fromField, toField, descField));
    const fieldLocations: NonNullable<SgRule['fieldLocations']> = {};
    if (protoField?.loc) fieldLocations.protocol = protoField.loc;
    const portLoc = fromField?.loc ?? toField?.loc;
    if (portLoc) fieldLocations.ports = portLoc;
    if (descField?.loc) fieldLocations.description = descField.loc;
    const peers = this.peersOf(spec);
    if (peers.length === 0) peers.push({ peer: { known: true, value: { kind: 'none' } }, via: [] });
    if (this.budget) peers.length = this.budget.take(peers.length, spec.entry, spec.location);
    return peers.map((p) => {
      const rule: SgRule = { ...base, peer: p.peer, conditions: mergeConditions(shared, p.via) };
      if (p.origins && p.origins.length > 0) rule.origins = dedupeOrigins(p.origins);
      const locs = { ...fieldLocations };
      if (p.loc) locs.peer = p.loc;
      if (Object.keys(locs).length > 0) rule.fieldLocations = locs;
      if (spec.suppressions && spec.suppressions.length > 0) rule.suppressions = [...spec.suppressions];
      if (spec.comments && spec.comments.length > 0) rule.comments = [...spec.comments];
      return rule;
    });
  }

  private protocolOf(v: TfVal | undefined, spec: RuleSpec): Value<Protocol> {
    // `protocol` / `ip_protocol` is required: terraform validate says "The argument "protocol" is required".
    if (v === undefined || isUnset(v)) return invalidValue(`${spec.style === 'vpc' ? 'ip_protocol' : 'protocol'} is missing`);
    if (v.kind === 'unknown') return { known: false, reason: v.reason };
    const text = scalarText(v);
    if (text === undefined) return v.kind === 'ref' ? { known: false, reason: `${v.address}.${v.attribute}` } : invalidValue('protocol is not a string');
    const parsed = parseProtocol(text);
    if (parsed.ok) return { known: true, value: parsed.protocol };
    this.notice(v.loc ?? spec.location, `${spec.entry}: ${parsed.error}`);
    return invalidValue(`${parsed.error}`);
  }

  private portsOf(
    protocol: Value<Protocol>,
    from: TfVal | undefined,
    to: TfVal | undefined,
    spec: RuleSpec,
  ): { ports: Value<PortRange | null>; icmp?: SgRule['icmp'] } {
    if (!protocol.known) return { ports: { known: false, reason: protocol.reason } };
    if (protocolIgnoresPorts(protocol.value)) return { ports: { known: true, value: ALL_PORTS } };
    for (const v of [from, to]) {
      if (v?.kind === 'unknown') return { ports: { known: false, reason: v.reason } };
      if (v?.kind === 'ref') return { ports: { known: false, reason: `${v.address}.${v.attribute}` } };
    }
    const raw = (v: TfVal | undefined): unknown => (v?.kind === 'scalar' ? v.value : undefined);
    const parsed = normalizePorts(protocol.value, raw(from), raw(to));
    if (!parsed.ok) {
      this.notice(from?.loc ?? spec.location, `${spec.entry}: ${parsed.error}`);
      return { ports: invalidValue(`${parsed.error}`) };
    }
    return parsed.icmp ? { ports: { known: true, value: parsed.ports }, icmp: parsed.icmp } : { ports: { known: true, value: parsed.ports } };
  }

  private peersOf(spec: RuleSpec): PeerItem[] {
    const out: PeerItem[] = [];
    const names = PEER_FIELDS[spec.style];
    for (const name of names.cidrs) {
      const list = field(spec.body, name);
      for (const item of listItems(list)) {
        const p = this.cidrPeer(item, spec);
        const origins = [...(list?.origins ?? []), ...(item !== list ? (item.origins ?? []) : [])];
        out.push(origins.length > 0 ? { ...p, origins } : p);
      }
    }
    for (const name of names.prefixLists) {
      for (const item of listItems(field(spec.body, name))) out.push(this.simplePeer(item, (id) => ({ kind: 'prefix-list', id }), PREFIX_LIST_TYPES));
    }
    for (const name of names.groups) for (const item of listItems(field(spec.body, name))) out.push(this.groupPeer(item, spec));
    const self = field(spec.body, 'self');
    if (self && !isUnset(self)) {
      if (self.kind === 'unknown') out.push({ peer: { known: false, reason: self.reason }, via: self.via ?? [], loc: self.loc });
      else if (self.kind === 'scalar' && (self.value === true || self.value === 'true')) {
        const peer: Peer = { kind: 'security-group', ref: spec.group, inModel: this.groups.has(spec.group), self: true };
        out.push({ peer: { known: true, value: peer }, via: self.via ?? [], loc: self.loc });
      }
    }
    return out;
  }

  private cidrPeer(item: TfVal, spec: RuleSpec): PeerItem {
    const via = item.via ?? [];
    if (item.kind === 'unknown') return { peer: { known: false, reason: item.reason }, via, loc: item.loc };
    if (item.kind === 'ref') {
      const ref = `${item.address}.${item.attribute}`;
      // A VPC or subnet of the input whose block its configuration sets: that block.
      const own = this.ownBlocks.get(ref);
      if (own) return this.cidrPeer(withVia({ ...own, loc: item.loc ?? own.loc }, item.via ?? []), spec);
      // The block of a VPC or subnet known only after apply (a data source's cidr_block): its range, not its addresses.
      const range = attributeFormat(item.address, item.attribute)?.range;
      if (range) return { peer: { known: true, value: { kind: 'vpc-range', ref, scope: range } }, via, loc: item.loc };
      return { peer: { known: false, reason: ref }, via, loc: item.loc };
    }
    const text = scalarText(item);
    if (text === undefined) return { peer: invalidValue('CIDR is not a string'), via, loc: item.loc };
    const parsed = parseCidr(text);
    if (parsed.ok) return { peer: { known: true, value: parsed.peer }, via, loc: item.loc };
    this.notice(item.loc ?? spec.location, `${spec.entry}: ${parsed.error}`);
    return { peer: invalidValue(`${parsed.error}`), via, loc: item.loc };
  }

  private simplePeer(item: TfVal, make: (id: string) => Peer, refTypes?: ReadonlySet<string>): PeerItem {
    const via = item.via ?? [];
    if (item.kind === 'unknown') return { peer: { known: false, reason: item.reason }, via, loc: item.loc };
    // A reference to a resource or data source of the peer's own kind (a managed prefix list): the peer is that object.
    if (item.kind === 'ref' && refTypes?.has(refType(item.address) ?? '')) return { peer: { known: true, value: make(`${item.address}.${item.attribute}`) }, via, loc: item.loc };
    if (item.kind === 'ref') return { peer: { known: false, reason: `${item.address}.${item.attribute}` }, via, loc: item.loc };
    const text = scalarText(item);
    if (text === undefined) return { peer: { known: false, reason: 'peer is not a string' }, via, loc: item.loc };
    return { peer: { known: true, value: make(text) }, via, loc: item.loc };
  }

  private groupPeer(item: TfVal, spec: RuleSpec): PeerItem {
    if (item.kind === 'ref' && item.address.startsWith('data.') && refType(item.address) === 'aws_security_group') {
      // A security group read by a data source: a group outside this input.
      const peer: Peer = { kind: 'security-group', ref: item.address, inModel: false, self: false };
      return { peer: { known: true, value: peer }, via: item.via ?? [], loc: item.loc };
    }
    if (item.kind === 'ref') {
      if (!isGroupType(typeOfAddress(item.address) ?? '')) {
        return { peer: { known: false, reason: `${item.address}.${item.attribute}` }, via: item.via ?? [], loc: item.loc };
      }
      const resolved = this.resolveGroup(item.address);
      const peer: Peer = { kind: 'security-group', ref: resolved.address, inModel: resolved.inModel, self: resolved.address === spec.group };
      return { peer: { known: true, value: peer }, via: mergeConditions(item.via ?? [], resolved.conditions), loc: item.loc };
    }
    return this.simplePeer(item, (id) => {
      const ref = this.byId.get(id) ?? id;
      return { kind: 'security-group', ref, inModel: this.groups.has(ref), self: ref === spec.group, ...ownerOf(id) };
    });
  }

  private notice(loc: SourceLocation, message: string): void {
    this.notices.push({ file: loc.file, message, line: loc.line, column: loc.column });
  }
}

interface RuleSpec {
  direction: Direction;
  resource: string;
  group: string;
  entry: string;
  body: TfObject;
  declaredAs: SgRule['declaredAs'];
  location: SourceLocation;
  conditions: Condition[];
  suppressions: Suppression[] | undefined;
  comments?: string[] | undefined;
  style: 'inline' | 'rule' | 'vpc';
}

interface PeerItem {
  peer: Value<Peer>;
  via: Condition[];
  loc?: SourceLocation | undefined;
  /** Where the value came from (variable default, module call argument), the element's and its list's. */
  origins?: ValueOrigin[];
}

/** Which fields name peers, per rule style. */
const PEER_FIELDS: Record<RuleSpec['style'], { cidrs: string[]; prefixLists: string[]; groups: string[] }> = {
  inline: { cidrs: ['cidr_blocks', 'ipv6_cidr_blocks'], prefixLists: ['prefix_list_ids'], groups: ['security_groups'] },
  rule: { cidrs: ['cidr_blocks', 'ipv6_cidr_blocks'], prefixLists: ['prefix_list_ids'], groups: ['source_security_group_id'] },
  vpc: { cidrs: ['cidr_ipv4', 'cidr_ipv6'], prefixLists: ['prefix_list_id'], groups: ['referenced_security_group_id'] },
};

/** Attributes and nested-block keys whose values are CIDR blocks, in every rule style. */
export const CIDR_KEYS: ReadonlySet<string> = new Set(Object.values(PEER_FIELDS).flatMap((f) => f.cidrs));

/** "123456789012/sg-0abc" (EC2-Classic cross-account form) -> ownerId. */
function ownerOf(id: string): { ownerId?: string } {
  const m = /^(\d{12})\/(.+)$/.exec(id);
  return m?.[1] ? { ownerId: m[1] } : {};
}

/** The items of a list (or a single value), each carrying the list's `via`. Unset values give none. */
function listItems(v: TfVal | undefined): TfVal[] {
  if (v === undefined || isUnset(v)) return [];
  if (v.kind !== 'list') return [v];
  return v.items.filter((i) => !isUnset(i)).map((i) => (i.loc || !v.loc ? withVia(i, v.via ?? []) : withVia({ ...i, loc: v.loc }, v.via ?? [])));
}

/** The leaf values at a dotted path, walking lists and nested blocks (`vpc_config.security_group_ids`). */
function valuesAt(v: TfVal | undefined, path: readonly string[]): TfVal[] {
  if (v === undefined || isUnset(v)) return [];
  if (v.kind === 'list') return v.items.flatMap((i) => valuesAt(withVia(i, v.via ?? []), path));
  const [head, ...rest] = path;
  if (head === undefined) return [v];
  if (v.kind === 'unknown') return [v];
  if (v.kind !== 'object') return [];
  return valuesAt(v.fields.get(head), rest);
}

/**
 * A resource's tags: `tags_all` when it is a known map (plans and state: it includes the provider's `default_tags`),
 * else `tags`. Known when the map is; a value that is not determined stays unknown with its reason.
 */
function tagsOf(body: TfVal | undefined): Value<Tag[]> {
  const all = field(body, 'tags_all');
  const v = all !== undefined && all.kind === 'object' ? all : field(body, 'tags');
  if (v === undefined || isUnset(v)) return { known: true, value: [] };
  if (v.kind === 'unknown') return { known: false, reason: v.reason };
  if (v.kind === 'ref') return { known: false, reason: `${v.address}.${v.attribute}` };
  if (v.kind !== 'object') return { known: false, reason: 'tags is not a map' };
  return {
    known: true,
    value: [...v.fields.entries()].map(([key, value]) => {
      const text = optionalString(value);
      return { key, value: text.known ? { known: true, value: text.value ?? '' } : text };
    }),
  };
}

function optionalString(v: TfVal | undefined): Value<string | undefined> {
  if (v === undefined || isUnset(v)) return { known: true, value: undefined };
  if (v.kind === 'unknown') return { known: false, reason: v.reason };
  if (v.kind === 'ref') return { known: false, reason: `${v.address}.${v.attribute}` };
  const text = scalarText(v);
  return text === undefined ? { known: false, reason: 'not a string' } : { known: true, value: text };
}

function groupDescription(v: TfVal | undefined): Value<string | undefined> {
  if (v === undefined || (v.kind === 'scalar' && v.value === null)) return { known: true, value: TERRAFORM_DEFAULT_DESCRIPTION };
  return optionalString(v);
}

function viaOf(...values: (TfVal | undefined)[]): Condition[] {
  return values.flatMap((v) => v?.via ?? []);
}

/** What makes two rules of one group the same rule to AWS; undefined when any part is not known. */
function ruleIdentity(r: SgRule): string | undefined {
  if (!r.protocol.known || !r.ports.known || !r.peer.known || !r.description.known) return undefined;
  const p = r.peer.value;
  const peer = p.kind === 'cidr' ? p.cidr : p.kind === 'security-group' ? `sg:${p.ref}` : p.kind === 'prefix-list' ? `pl:${p.id}` : p.kind === 'vpc-range' ? `vpc:${p.ref}` : 'none';
  return JSON.stringify([r.protocol.value, r.ports.value, r.icmp ?? null, peer, r.description.value ?? ''].map((x) => x ?? null));
}

/** Origins without repeats (one place named once), in order. */
function dedupeOrigins(origins: readonly ValueOrigin[]): ValueOrigin[] {
  const seen = new Set<string>();
  return origins.filter((o) => {
    const key = `${o.location.file}:${o.location.line}:${o.location.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
