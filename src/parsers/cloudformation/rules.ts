import { parseCidr } from '../../model/cidr';
import { normalizePorts } from '../../model/ports';
import { parseProtocol } from '../../model/protocol';
import type { Direction, IcmpMatch, Peer, PortRange, Protocol, SgRule, SourceLocation, Suppression, Value } from '../../model/types';
import type { MapNode, TreeNode } from '../shared/tree';
import { childOf } from '../shared/tree';
import type { Evaluator } from './evaluate';
import type { Template } from './template';
import type { Alt, Val } from './values';
import { describeShape, refReason, toPlain, unknown } from './values';

const INGRESS_PEERS = ['CidrIp', 'CidrIpv6', 'SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourcePrefixListId'] as const;
const EGRESS_PEERS = ['CidrIp', 'CidrIpv6', 'DestinationSecurityGroupId', 'DestinationPrefixListId'] as const;
const BASE_FIELDS = ['IpProtocol', 'FromPort', 'ToPort', 'Description', 'SourceSecurityGroupOwnerId'] as const;

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
  const peerFields: readonly string[] = ctx.direction === 'ingress' ? INGRESS_PEERS : EGRESS_PEERS;
  const fields = [...BASE_FIELDS, ...peerFields];
  const lists: Alt<Val>[][] = [[{ v: { k: 'none' }, a: ctx.base.a, c: ctx.base.c }], ...fields.map((f) => ev.evaluate(childOf(node, f)))];
  const variants = ev.combineVals(lists);
  const out: EntryRules = { rules: [], placeholders: 0 };
  for (const variant of variants) {
    const vals = new Map(fields.map((f, i) => [f, variant.v[i + 1] ?? unknown('missing')]));
    const get = (f: string): Val => vals.get(f) ?? { k: 'none' };
    const protocol = protocolValue(get('IpProtocol'));
    const { ports, icmp } = portsValue(protocol, get('FromPort'), get('ToPort'));
    const present = peerFields.filter((f) => get(f).k !== 'none');
    const peers: [Value<Peer>, TreeNode | undefined][] =
      present.length === 0
        ? [[{ known: true, value: { kind: 'none' } }, undefined]]
        : present.map((f) => [peerValue(tpl, f, get(f), ctx.group, get('SourceSecurityGroupOwnerId')), childOf(node, f)]);
    for (const [peer, peerNode] of peers) {
      if (ctx.direction === 'egress' && isCdkPlaceholder(protocol, icmp, peer)) {
        out.placeholders++;
        continue;
      }
      const rule: SgRule = {
        direction: ctx.direction,
        protocol,
        ports,
        peer,
        description: descriptionValue(get('Description')),
        declaredAs: ctx.declaredAs,
        resource: ctx.resource,
        group: ctx.group,
        entry: ctx.entry,
        assumptions: [...variant.a],
        location: ctx.location,
        fieldLocations: fieldLocations(tpl, node, peerNode),
      };
      if (icmp) rule.icmp = icmp;
      if (ctx.suppressions?.length) rule.suppressions = ctx.suppressions;
      out.rules.push(rule);
    }
  }
  return out;
}

/** A rule standing for a whole entry that cannot be read (the list is not a list, ...): every field unknown. */
export function unreadableRule(ctx: EntryContext, reason: string): SgRule {
  const u: Unknownish = { known: false, reason };
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
    assumptions: [...ctx.base.a],
    location: ctx.location,
  };
}

type Unknownish = { known: false; reason: string };

function notLiteral(v: Val, what: string): Unknownish {
  if (v.k === 'unknown') return { known: false, reason: v.reason };
  if (v.k === 'ref') return { known: false, reason: refReason(v) };
  return { known: false, reason: `invalid: ${what} must be a ${what === 'IpProtocol' ? 'name or number' : 'string'}, got ${describeShape(v)}` };
}

function protocolValue(v: Val): Value<Protocol> {
  if (v.k === 'none') return { known: false, reason: 'invalid: IpProtocol is missing' };
  if (v.k !== 'lit' || v.v === null || typeof v.v === 'boolean') return notLiteral(v, 'IpProtocol');
  const parsed = parseProtocol(v.v);
  return parsed.ok ? { known: true, value: parsed.protocol } : { known: false, reason: `invalid: ${parsed.error}` };
}

function portsValue(protocol: Value<Protocol>, from: Val, to: Val): { ports: Value<PortRange | null>; icmp?: IcmpMatch } {
  const pending = [from, to].find((v) => v.k === 'unknown' || v.k === 'ref');
  if (pending) return { ports: notLiteral(pending, 'port') };
  if (!protocol.known) return { ports: { known: false, reason: protocol.reason } };
  const raw = (v: Val): unknown => (v.k === 'none' ? undefined : toPlain(v));
  const parsed = normalizePorts(protocol.value, raw(from), raw(to));
  if (!parsed.ok) return { ports: { known: false, reason: `invalid: ${parsed.error}` } };
  return parsed.icmp ? { ports: { known: true, value: parsed.ports }, icmp: parsed.icmp } : { ports: { known: true, value: parsed.ports } };
}

function descriptionValue(v: Val): Value<string | undefined> {
  if (v.k === 'none') return { known: true, value: undefined };
  if (v.k === 'lit' && v.v !== null) return { known: true, value: String(v.v) };
  if (v.k === 'lit') return { known: true, value: undefined };
  return notLiteral(v, 'Description');
}

function peerValue(tpl: Template, field: string, v: Val, group: string, owner: Val): Value<Peer> {
  if (field === 'CidrIp' || field === 'CidrIpv6') return cidrValue(field, v);
  if (field.endsWith('PrefixListId')) return prefixListValue(tpl, field, v);
  return groupValue(tpl, field, v, group, owner);
}

function cidrValue(field: string, v: Val): Value<Peer> {
  if (v.k !== 'lit' || typeof v.v !== 'string') return notLiteral(v, field);
  const parsed = parseCidr(v.v);
  if (!parsed.ok) return { known: false, reason: `invalid: ${parsed.error}` };
  const want = field === 'CidrIp' ? 4 : 6;
  if (parsed.peer.family !== want) return { known: false, reason: `invalid: ${field} "${v.v}" is not an IPv${want} CIDR block` };
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
