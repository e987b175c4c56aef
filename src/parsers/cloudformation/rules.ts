import { parseCidr } from '../../model/cidr';
import { normalizePorts } from '../../model/ports';
import { parseProtocol } from '../../model/protocol';
import { invalidValue } from '../../model/types';
import type { Condition } from '../../model/conditions';
import type { DeployProblem, Direction, IcmpMatch, Peer, PortRange, Protocol, SgRule, SourceLocation, Suppression, Unknown, Value } from '../../model/types';
import type { MapNode, TreeNode } from '../shared/tree';
import { childOf } from '../shared/tree';
import type { Evaluator } from './evaluate';
import { withPeerOrigins } from './origins';
import type { Template } from './template';
import { PROPERTIES, unknownProperties } from './properties';
import type { Alt, Val } from './values';
import { describeShape, refReason, toPlain, toUnknown, unknown } from './values';

const INGRESS_PEERS = ['CidrIp', 'CidrIpv6', 'SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourcePrefixListId'] as const;
const EGRESS_PEERS = ['CidrIp', 'CidrIpv6', 'DestinationSecurityGroupId', 'DestinationPrefixListId'] as const;
const BASE_FIELDS = ['IpProtocol', 'FromPort', 'ToPort', 'Description', 'SourceSecurityGroupOwnerId'] as const;
/** The fields an entry is evaluated on, per direction: the base fields, then the peer fields. */
import { quoteInput } from '../../model/quote';
const FIELDS = { ingress: [...BASE_FIELDS, ...INGRESS_PEERS], egress: [...BASE_FIELDS, ...EGRESS_PEERS] } as const;
/** Positions in a combined variant: 0 holds the entry's base context, field `i` of FIELDS sits at `i + 1`. */
const PROTOCOL = 1;
const FROM_PORT = 2;
const TO_PORT = 3;
const DESCRIPTION = 4;
const OWNER = 5;
const FIRST_PEER = BASE_FIELDS.length + 1;

/** The value of an absent field, and its one alternative without assumptions: shared, never modified. */
const NONE: Val = Object.freeze({ k: 'none' });
/** A field a (capped) variant does not hold: cannot happen, since every variant has every position. */
const MISSING: Val = Object.freeze(unknown('missing'));
const ABSENT: Alt<Val>[] = Object.freeze([Object.freeze({ v: NONE, a: Object.freeze([]) })]) as unknown as Alt<Val>[];

/** Where and how one written rule entry sits. */
export interface EntryContext {
  direction: Direction;
  /** Address of the group the rule belongs to. */
  group: string;
  resource: string;
  entry: string;
  location: SourceLocation;
  declaredAs: 'inline' | 'standalone';
  /** Assumptions and choices that already hold (resource Condition, the branch the entry sits in, GroupId choice). */
  base: Alt<unknown>;
  suppressions?: Suppression[];
}

/** The rules of one entry; `placeholders` counts variants that were CDK's "disallow all" egress placeholder. */
export interface EntryRules {
  rules: SgRule[];
  placeholders: number;
}

/** Expands one rule entry (a mapping of IpProtocol, ports, peer, ...) into SgRules, one per variant and peer. */
export function buildEntryRules(ev: Evaluator, tpl: Template, node: MapNode, ctx: EntryContext): EntryRules {
  const fields = FIELDS[ctx.direction];
  const lists: Alt<Val>[][] = [[{ v: NONE, a: ctx.base.a }]];
  // An absent field (most of them: an entry names one peer field of five) is the one shared "none" alternative.
  for (let i = 0; i < fields.length; i++) {
    const child = childOf(node, fields[i] as string);
    lists.push(child === undefined ? ABSENT : ev.evaluate(child));
  }
  // Variants whose parameter values contradict the conditions they rest on describe a resource that does not exist:
  // combining drops them (canHoldTogether).
  const variants = ev.combineVals(lists);
  const out: EntryRules = { rules: [], placeholders: 0 };
  // Field locations depend on the entry and the peer field only: computed once, shared by every variant's rules
  // (indexed by peer position + 1; slot 0 is "no peer").
  const locations: SgRule['fieldLocations'][] = [];
  const problems = entryProblems(tpl, node, ctx);
  let severalPeers = false;
  const lastPeer = fields.length;
  for (let k = 0; k < variants.length; k++) {
    const variant = variants[k] as Alt<Val[]>;
    const vals = variant.v;
    const protocol = protocolValue(vals[PROTOCOL] ?? MISSING);
    const { ports, icmp } = portsValue(protocol, vals[FROM_PORT] ?? MISSING, vals[TO_PORT] ?? MISSING);
    const description = descriptionValue(vals[DESCRIPTION] ?? MISSING);
    // Peer fields present in this variant, by position; -1 stands for "no peer at all". One peer (nearly every entry)
    // needs no list.
    let onlyPeer = -1;
    let peerCount = 0;
    for (let at = FIRST_PEER; at <= lastPeer; at++) {
      if ((vals[at] ?? MISSING).k !== 'none') {
        if (peerCount === 0) onlyPeer = at;
        peerCount++;
      }
    }
    let present: readonly number[] = peerCount <= 1 ? [onlyPeer] : [];
    if (peerCount > 1) {
      const all: number[] = [];
      for (let at = FIRST_PEER; at <= lastPeer; at++) if ((vals[at] ?? MISSING).k !== 'none') all.push(at);
      present = all;
      if (!severalPeers) {
        severalPeers = true;
        const names = all.map((at) => fields[at - 1] ?? '').join(', ');
        problems.push({
          message: `The ${ctx.direction} rule entry names ${all.length} peers (${names}); AWS takes exactly one per entry and rejects the rule`,
          location: ctx.location,
        });
      }
    }
    for (let p = 0; p < present.length; p++) {
      const at = present[p] as number;
      const peer: Value<Peer> =
        at < 0 ? { known: true, value: { kind: 'none' } } : peerValue(tpl, fields[at - 1] ?? '', vals[at] ?? MISSING, ctx.group, vals[OWNER] ?? MISSING);
      if (ctx.direction === 'egress' && isCdkPlaceholder(protocol, icmp, peer)) {
        out.placeholders++;
        continue;
      }
      const rule: SgRule = {
        direction: ctx.direction,
        protocol,
        ports,
        peer,
        description,
        declaredAs: ctx.declaredAs,
        resource: ctx.resource,
        group: ctx.group,
        entry: ctx.entry,
        // Shared, not copied: the variant's conditions (also held by other variants, the evaluator's caches and the
        // entry context) and the field locations of the entry and peer field. The model is read-only for rules,
        // the engine and plugins (docs/plugins.md); test/model-readonly.test.ts runs every rule on a frozen model.
        conditions: variant.a as Condition[],
        location: ctx.location,
        fieldLocations: (locations[at + 1] ??= fieldLocations(tpl, node, at < 0 ? undefined : childOf(node, fields[at - 1] ?? ''))),
      };
      if (icmp) rule.icmp = icmp;
      if (ctx.suppressions?.length) rule.suppressions = ctx.suppressions;
      if (problems.length > 0) rule.deployProblems = problems;
      if (at >= 0 && peer.known && peer.value.kind === 'cidr') withPeerOrigins(tpl, rule, childOf(node, fields[at - 1] ?? ''), peer.value.raw);
      out.rules.push(rule);
    }
  }
  return out;
}

/** Unknown property names of a rule entry (inline) or of a standalone rule resource's Properties. */
function entryProblems(tpl: Template, node: MapNode, ctx: EntryContext): DeployProblem[] {
  if (ctx.declaredAs === 'standalone') {
    const type = ctx.direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress';
    return unknownProperties(tpl, node, PROPERTIES[type], type);
  }
  return unknownProperties(tpl, node, PROPERTIES[ctx.direction], `an ${ctx.direction} rule entry of AWS::EC2::SecurityGroup`);
}

/** A rule standing for a whole entry that cannot be read (the list is not a list, ...): every field unknown. */
export function unreadableRule(ctx: EntryContext, u: Unknown): SgRule {
  return {
    direction: ctx.direction,
    protocol: u,
    ports: u,
    peer: u,
    description: { known: true, value: undefined },
    declaredAs: ctx.declaredAs,
    resource: ctx.resource,
    group: ctx.group,
    entry: ctx.entry,
    conditions: [...ctx.base.a],
    location: ctx.location,
  };
}

type Unknownish = Unknown;

function notLiteral(v: Val, what: string): Unknownish {
  if (v.k === 'unknown') return toUnknown(v);
  if (v.k === 'ref') return { known: false, reason: refReason(v) };
  return invalidValue(`${what} must be a ${what === 'IpProtocol' ? 'name or number' : 'string'}, got ${describeShape(v)}`);
}

function protocolValue(v: Val): Value<Protocol> {
  if (v.k === 'none') return invalidValue('IpProtocol is missing');
  if (v.k !== 'lit' || v.v === null || typeof v.v === 'boolean') return notLiteral(v, 'IpProtocol');
  const parsed = parseProtocol(v.v);
  return parsed.ok ? { known: true, value: parsed.protocol } : invalidValue(`${parsed.error}`);
}

function portsValue(protocol: Value<Protocol>, from: Val, to: Val): { ports: Value<PortRange | null>; icmp?: IcmpMatch } {
  const pending = from.k === 'unknown' || from.k === 'ref' ? from : to.k === 'unknown' || to.k === 'ref' ? to : undefined;
  if (pending) return { ports: notLiteral(pending, 'port') };
  if (!protocol.known) return { ports: { known: false, reason: protocol.reason } };
  const parsed = normalizePorts(protocol.value, rawPort(from), rawPort(to));
  if (!parsed.ok) return { ports: invalidValue(`${parsed.error}`) };
  return parsed.icmp ? { ports: { known: true, value: parsed.ports }, icmp: parsed.icmp } : { ports: { known: true, value: parsed.ports } };
}

/** A port field as written (a literal's value as is), undefined when absent. */
function rawPort(v: Val): unknown {
  if (v.k === 'none') return undefined;
  return v.k === 'lit' ? v.v : toPlain(v);
}

function descriptionValue(v: Val): Value<string | undefined> {
  if (v.k === 'none') return { known: true, value: undefined };
  if (v.k === 'lit' && v.v !== null) return { known: true, value: String(v.v) };
  if (v.k === 'lit') return { known: true, value: undefined };
  return notLiteral(v, 'Description');
}

function peerValue(tpl: Template, field: string, v: Val, group: string, owner: Val): Value<Peer> {
  if (field === 'CidrIp' || field === 'CidrIpv6') return cidrValue(tpl, field, v);
  if (field.endsWith('PrefixListId')) return prefixListValue(tpl, field, v);
  return groupValue(tpl, field, v, group, owner);
}

/** Resource types whose `Fn::GetAtt X.CidrBlock` is their own IPv4 block: a VPC's primary block, a subnet's block. */
const RANGE_TYPES: readonly (readonly [string, 'vpc' | 'subnet'])[] = [
  ['AWS::EC2::VPC', 'vpc'],
  ['AWS::EC2::Subnet', 'subnet'],
];

function cidrValue(tpl: Template, field: string, v: Val): Value<Peer> {
  if (v.k === 'ref' && v.attr === 'CidrBlock' && field === 'CidrIp') {
    const scope = RANGE_TYPES.find(([type]) => tpl.isType(v.target, type))?.[1];
    if (scope) {
      // The block its properties set (AWS keeps it as written); else the range of that VPC or subnet, whose addresses
      // are known only after the stack is created (IPAM) but which is never wider than a /16 (see VpcRangePeer).
      const own = childOf(tpl.resources.get(v.target)?.properties, 'CidrBlock');
      if (own?.kind === 'scalar' && typeof own.value === 'string') return cidrValue(tpl, field, { k: 'lit', v: own.value });
      return { known: true, value: { kind: 'vpc-range', ref: refReason(v), scope } };
    }
  }
  if (v.k !== 'lit' || typeof v.v !== 'string') return notLiteral(v, field);
  const parsed = parseCidr(v.v);
  if (!parsed.ok) return invalidValue(`${parsed.error}`);
  const want = field === 'CidrIp' ? 4 : 6;
  if (parsed.peer.family !== want) return invalidValue(`${field} ${quoteInput(v.v)} is not an IPv${want} CIDR block`);
  return { known: true, value: parsed.peer };
}

function groupValue(tpl: Template, field: string, v: Val, group: string, owner: Val): Value<Peer> {
  let ref: string;
  let inModel = false;
  if (v.k === 'ref' && tpl.isType(v.target, 'AWS::EC2::SecurityGroup') && (!v.attr || v.attr === 'GroupId' || v.attr === 'Id')) {
    ref = v.target;
    inModel = true;
  } else if (v.k === 'ref') ref = refReason(v);
  else if (v.k === 'lit' && typeof v.v === 'string') ref = v.v;
  else if (v.k === 'unknown') ref = v.label ?? v.reason;
  else return notLiteral(v, field);
  const peer: Peer = { kind: 'security-group', ref, inModel, self: inModel && ref === group };
  const ownerId = owner.k === 'lit' && owner.v !== null ? String(owner.v) : owner.k === 'unknown' ? owner.label ?? owner.reason : undefined;
  if (ownerId !== undefined) peer.ownerId = ownerId;
  return { known: true, value: peer };
}

function prefixListValue(tpl: Template, field: string, v: Val): Value<Peer> {
  if (v.k === 'ref' && tpl.isType(v.target, 'AWS::EC2::PrefixList')) {
    const peer: Peer = { kind: 'prefix-list', id: v.target };
    const max = childOf(tpl.resources.get(v.target)?.properties, 'MaxEntries');
    const n = max?.kind === 'scalar' ? Number(max.value) : Number.NaN;
    if (Number.isInteger(n) && n > 0) peer.maxEntries = n;
    return { known: true, value: peer };
  }
  if (v.k === 'ref') return { known: true, value: { kind: 'prefix-list', id: refReason(v) } };
  if (v.k === 'lit' && typeof v.v === 'string') return { known: true, value: { kind: 'prefix-list', id: v.v } };
  if (v.k === 'unknown') return { known: true, value: { kind: 'prefix-list', id: v.label ?? v.reason } };
  return notLiteral(v, field);
}

/** CDK's `allowAllOutbound: false` placeholder: icmp 252/86 to 255.255.255.255/32, meaning "no egress". */
function isCdkPlaceholder(protocol: Value<Protocol>, icmp: IcmpMatch | undefined, peer: Value<Peer>): boolean {
  return (
    protocol.known &&
    protocol.value.kind === 'icmp' &&
    icmp?.type === 252 &&
    icmp.code === 86 &&
    peer.known &&
    peer.value.kind === 'cidr' &&
    peer.value.cidr === '255.255.255.255/32'
  );
}

function fieldLocations(tpl: Template, node: MapNode, peerNode: TreeNode | undefined): SgRule['fieldLocations'] {
  const out: NonNullable<SgRule['fieldLocations']> = {};
  const protocol = childOf(node, 'IpProtocol');
  if (protocol) out.protocol = tpl.loc(protocol);
  const from = childOf(node, 'FromPort');
  const to = childOf(node, 'ToPort');
  if (from || to) {
    const start = Math.min(from?.start ?? Infinity, to?.start ?? Infinity);
    const end = Math.max(from?.end ?? -Infinity, to?.end ?? -Infinity);
    out.ports = tpl.loc({ start, end });
  }
  if (peerNode) out.peer = tpl.loc(peerNode);
  const description = childOf(node, 'Description');
  if (description) out.description = tpl.loc(description);
  return out;
}
