/**
 * Helpers for rules that compare rules with each other or judge a group by what it guards: containment and identity
 * of rules (duplicates, shadowing), unrestricted traffic, attachment categories, and message fragments.
 *
 * Built on the protocol, port, CIDR and exposure helpers; nothing here re-parses template syntax.
 */
import type { OptionMeta } from '../engine/types';
import { cidrContains } from './cidr';
import { DEFAULT_NEAR_WORLD_PREFIX, assumptionsOf, contradicts, describeExposedPeer, isConditional, knownTraffic } from './exposure';
import { describePeer } from './peer';
import { ALL_PORTS, formatPorts } from './ports';
import { isIcmp, protocolIgnoresPorts } from './protocol';
import type { AttachmentCategory, IcmpMatch, Peer, PortRange, Protocol, SecurityGroup, SgRule } from './types';

/**
 * Declares the `nearWorldPrefix` option of the rules that classify peers (see `classifyPeer`): a prefix length
 * 0-128, by default `DEFAULT_NEAR_WORLD_PREFIX`; public CIDRs at least that wide count as near-world. Each rule
 * says in `description` what the classification changes for it.
 */
export function nearWorldPrefixOption(description: string): OptionMeta<number> {
  return { schema: { type: 'integer', minimum: 0, maximum: 128 }, default: DEFAULT_NEAR_WORLD_PREFIX, description };
}

/** Attachment categories that mean "this group guards a data store". */
export const DATA_STORE_CATEGORIES: readonly AttachmentCategory[] = ['database', 'cache', 'search'];

/** True when the range is every port 0-65535. */
export function isAllPorts(range: PortRange | null): boolean {
  return range !== null && range.from === ALL_PORTS.from && range.to === ALL_PORTS.to;
}

/**
 * True when the rule's known traffic is every port of a transport protocol or every protocol: protocol `all`, any
 * other protocol number (AWS ignores ports there), or tcp/udp 0-65535. ICMP never is.
 */
export function opensAllPorts(rule: SgRule): boolean {
  const t = knownTraffic(rule);
  if (t === undefined || isIcmp(t.protocol)) return false;
  return protocolIgnoresPorts(t.protocol) || isAllPorts(t.ports);
}

/**
 * How a rule's traffic is named in messages: "tcp/22", "udp/1000-2000", "tcp/all ports", "all protocols",
 * "protocol 50 (all ports)", "icmp type 3 code 4", "icmpv6 (all types)"; "unknown traffic" when not known.
 */
export function describeTraffic(rule: SgRule): string {
  const t = knownTraffic(rule);
  if (t === undefined) return 'unknown traffic';
  return trafficText(t.protocol, t.ports, rule.icmp);
}

function trafficText(protocol: Protocol, ports: PortRange | null, icmp: IcmpMatch | undefined): string {
  switch (protocol.kind) {
    case 'all':
      return 'all protocols';
    case 'number':
      return `protocol ${protocol.number} (all ports)`;
    case 'icmp':
    case 'icmpv6':
      return `${protocol.kind} ${describeIcmp(icmp)}`;
    default:
      return `${protocol.kind}/${formatPorts(ports)}`;
  }
}

function describeIcmp(icmp: IcmpMatch | undefined): string {
  if (icmp === undefined || icmp.type === -1) return '(all types)';
  return icmp.code === -1 ? `type ${icmp.type}` : `type ${icmp.type} code ${icmp.code}`;
}

/** "the whole internet (0.0.0.0/0)"-free peer text: "10.0.0.0/8", "group AppSg", "an unknown peer". */
export function peerText(rule: SgRule): string {
  return rule.peer.known ? describePeer(rule.peer.value) : `an unknown peer (${rule.peer.reason})`;
}

/** True when the two known peers are the same peer as AWS compares them (canonical CIDR, group, prefix list). */
export function samePeer(a: Peer, b: Peer): boolean {
  return peerContains(a, b) && peerContains(b, a);
}

/**
 * True when peer `outer` includes every source or destination that `inner` names. CIDRs compare as ranges of the
 * same family; groups by reference and owner; prefix lists by id. A missing peer contains nothing.
 */
export function peerContains(outer: Peer, inner: Peer): boolean {
  if (outer.kind === 'cidr' && inner.kind === 'cidr') return cidrContains(outer, inner);
  if (outer.kind === 'security-group' && inner.kind === 'security-group') {
    return outer.ref === inner.ref && (outer.ownerId ?? '') === (inner.ownerId ?? '');
  }
  if (outer.kind === 'prefix-list' && inner.kind === 'prefix-list') return outer.id === inner.id;
  return false;
}

function icmpContains(outer: IcmpMatch | undefined, inner: IcmpMatch | undefined): boolean {
  const o = outer ?? { type: -1, code: -1 };
  const i = inner ?? { type: -1, code: -1 };
  if (o.type === -1) return true;
  if (o.type !== i.type) return false;
  return o.code === -1 || o.code === i.code;
}

function protocolContains(outer: Protocol, inner: Protocol): boolean {
  if (outer.kind === 'all') return true;
  if (outer.kind === 'number' || inner.kind === 'number') {
    return outer.kind === 'number' && inner.kind === 'number' && outer.number === inner.number;
  }
  return outer.kind === inner.kind;
}

/**
 * True when rule `outer` admits all the traffic rule `inner` admits: same direction, protocol contained (`all`
 * contains everything), ports contained, ICMP type/code contained, peer contained. False when anything is unknown.
 */
export function ruleContains(outer: SgRule, inner: SgRule): boolean {
  if (outer.direction !== inner.direction) return false;
  const o = knownTraffic(outer);
  const i = knownTraffic(inner);
  if (o === undefined || i === undefined || !outer.peer.known || !inner.peer.known) return false;
  if (!protocolContains(o.protocol, i.protocol)) return false;
  if (o.protocol.kind !== 'all' && isIcmp(o.protocol) && !icmpContains(outer.icmp, inner.icmp)) return false;
  if (o.ports !== null && i.ports !== null && !(o.ports.from <= i.ports.from && i.ports.to <= o.ports.to)) return false;
  return peerContains(outer.peer.value, inner.peer.value);
}

/** True when the two rules admit exactly the same traffic from the same peer (AWS would call them duplicates). */
export function sameRule(a: SgRule, b: SgRule): boolean {
  return ruleContains(a, b) && ruleContains(b, a);
}

/**
 * True when both rules can exist at the same time: they are not alternative variants of one written entry
 * (different Fn::If branches or AllowedValues) and their conditions do not contradict each other.
 */
export function canCoexist(a: SgRule, b: SgRule): boolean {
  if (a.entry === b.entry && a.assumptions.join('\u0000') !== b.assumptions.join('\u0000')) return false;
  return !contradicts([...a.assumptions, ...b.assumptions]);
}

/** " when condition X is true" style suffix for assumptions of several rules, or "". */
export function assumptionSuffix(rules: readonly SgRule[]): string {
  const all = [...new Set(rules.flatMap((r) => r.assumptions))];
  return all.length === 0 ? '' : ` ${all.join(', ')}`;
}

/** True when any of the rules holds only under a condition ("when ..."). */
export function anyConditional(rules: readonly SgRule[]): boolean {
  return rules.some((r) => isConditional(r.assumptions));
}

/** The data-store attachments of a group (databases, caches, search domains by default). */
export function dataStoreAttachments(group: SecurityGroup, categories: readonly AttachmentCategory[] = DATA_STORE_CATEGORIES): SecurityGroup['attachments'] {
  return group.attachments.filter((a) => categories.includes(a.category));
}

/** "database Db (AWS::RDS::DBInstance)" and "2 more" for the first attachment of a list. */
export function describeAttachments(attachments: SecurityGroup['attachments']): string {
  const first = attachments[0];
  if (first === undefined) return 'nothing';
  const more = attachments.length > 1 ? ` and ${attachments.length - 1} more` : '';
  return `${first.category} ${first.resource} (${first.type})${more}`;
}

/** True when the group is attached to something and every attachment is a load balancer. */
export function guardsOnlyLoadBalancers(group: SecurityGroup): boolean {
  return group.attachments.length > 0 && group.attachments.every((a) => a.category === 'load-balancer');
}

/** Where a rule is written, for messages: "line 12" in the group itself, "SshRule (line 30)" when standalone. */
export function whereWritten(rule: SgRule): string {
  if (rule.declaredAs === 'implicit') return "AWS's implicit default egress";
  const line = `line ${rule.location.line}`;
  return rule.resource === rule.group ? line : `${rule.resource} (${line})`;
}

/** A candidate finding on one rule, ranked: lower `rank` is worse (reported first). */
export interface Ranked {
  rule: SgRule;
  rank: number;
}

/**
 * One candidate per written entry: the worst-ranked, unconditional variants before conditional ones, so an entry
 * with several Fn::If branches or CIDRs is reported once. Keeps input order of entries.
 */
export function worstPerEntry<T extends Ranked>(items: readonly T[]): T[] {
  const perEntry = new Map<string, T[]>();
  for (const item of items) {
    const list = perEntry.get(item.rule.entry);
    if (list) list.push(item);
    else perEntry.set(item.rule.entry, [item]);
  }
  return [...perEntry.values()].map(
    (list) =>
      [...list].sort((a, b) => a.rank - b.rank || Number(isConditional(a.rule.assumptions)) - Number(isConditional(b.rule.assumptions)))[0] as T,
  );
}

/** Traffic of a rule as a stable key for fingerprints: "all", "protocol-50", "tcp/0-65535", "icmp/3/4". */
export function trafficKey(rule: SgRule): string {
  const t = knownTraffic(rule);
  if (t === undefined) return 'unknown';
  if (t.protocol.kind === 'all') return 'all';
  if (t.protocol.kind === 'number') return `protocol-${t.protocol.number}`;
  if (t.ports === null) return `${t.protocol.kind}/${rule.icmp?.type ?? -1}/${rule.icmp?.code ?? -1}`;
  return `${t.protocol.kind}/${t.ports.from}-${t.ports.to}`;
}

/**
 * True for an egress rule that lets everything out to the whole internet: a prefix-0 destination (either family)
 * with all protocols, another protocol number, or every tcp/udp port.
 */
export function isUnrestrictedEgress(rule: SgRule): boolean {
  return rule.direction === 'egress' && rule.peer.known && rule.peer.value.kind === 'cidr' && rule.peer.value.prefix === 0 && opensAllPorts(rule);
}

/** Explains an implicit default egress rule in messages, or "" for a written rule. */
export function implicitNote(rule: SgRule): string {
  return rule.declaredAs === 'implicit'
    ? " (implicit: AWS's default allow-all egress, which CloudFormation keeps when the group lists no SecurityGroupEgress)"
    : '';
}

/**
 * "<subject> allows all protocols to the whole internet (0.0.0.0/0)" or, under a condition, "<subject>: all
 * protocols can be opened to the whole internet (::/0) when condition X is true", plus the implicit-egress note.
 */
export function egressMessage(group: SecurityGroup, rule: SgRule, subject: string): string {
  const peer = rule.peer.known ? describeExposedPeer(rule.peer.value, 'world') : 'an unknown peer';
  const key = trafficKey(rule);
  const what = key === 'all' ? 'all protocols' : `every port (${key.startsWith('protocol-') ? key.replace('-', ' ') : key})`;
  return `${openMessage(subject, what, 'to', peer, assumptionsOf(rule, group))}${implicitNote(rule)}`;
}

/**
 * "<subject> allows <what> from <peer> via parameter X default", or with a condition among the assumptions
 * "<subject>: <what> can be opened to <peer> when condition X is true". `preposition` is "from" for ingress and
 * "to" for egress.
 */
export function openMessage(subject: string, what: string, preposition: 'from' | 'to', peer: string, assumptions: readonly string[]): string {
  const how = assumptions.length > 0 ? ` ${assumptions.join(', ')}` : '';
  if (isConditional(assumptions)) return `${subject}: ${what} can be opened to ${peer}${how}`;
  return `${subject} allows ${what} ${preposition} ${peer}${how}`;
}

/** The rules of a group in one direction, the implicit default egress included only when `withImplicit`. */
export function writtenRules(group: SecurityGroup, direction: 'ingress' | 'egress', withImplicit = false): SgRule[] {
  return (direction === 'ingress' ? group.ingress : group.egress).filter((r) => withImplicit || r.declaredAs !== 'implicit');
}

/** The "when ..." assumptions of a rule. */
export function conditionsOf(rule: SgRule): string[] {
  return rule.assumptions.filter((a) => a.startsWith('when '));
}

/** True when `b` exists in every case `a` exists: every condition of `b` is also a condition of `a`. */
export function existsWhenever(b: SgRule, a: SgRule): boolean {
  const conditions = new Set(conditionsOf(a));
  return conditionsOf(b).every((c) => conditions.has(c));
}

/** Stable key of a rule's traffic and peer for fingerprints: "tcp/22-22 10.0.0.0/8". */
export function ruleKey(rule: SgRule): string {
  return `${trafficKey(rule)} ${rule.peer.known ? describePeer(rule.peer.value) : 'unknown'}`;
}

// Indexes that let rules compare every rule of a group with the others without comparing all pairs.

/** Protocol as an index key: "tcp", "udp", "icmp", "icmpv6", "all", "p50" (another protocol number). */
function protocolKey(p: Protocol): string {
  return p.kind === 'number' ? `p${p.number}` : p.kind;
}

/** A peer that names something (not "no peer", which is the same as nothing). */
type NamedPeer = Exclude<Peer, { kind: 'none' }>;

/** A peer as an index key, equal exactly for the peers `samePeer` calls the same (CIDRs by family, prefix, network). */
function peerKey(peer: NamedPeer): string {
  switch (peer.kind) {
    case 'cidr':
      return `${peer.family}/${peer.prefix}/${peer.first.toString(16)}`;
    case 'security-group':
      return JSON.stringify(['sg', peer.ref, peer.ownerId ?? '']);
    case 'prefix-list':
      return JSON.stringify(['pl', peer.id]);
  }
}

const ANY_ICMP: IcmpMatch = { type: -1, code: -1 };

/** ICMP type and code as an index key: "*" (any type, whatever the code), "3" (type 3, any code), "3/4". */
function icmpKey(icmp: IcmpMatch = ANY_ICMP): string {
  if (icmp.type === -1) return '*';
  return icmp.code === -1 ? String(icmp.type) : `${icmp.type}/${icmp.code}`;
}

/** Keys of the ICMP matches that contain `icmp` (see `icmpContains`): any type, the same type, the same type and code. */
function icmpContainerKeys(icmp: IcmpMatch = ANY_ICMP): string[] {
  if (icmp.type === -1) return ['*'];
  return icmp.code === -1 ? ['*', String(icmp.type)] : ['*', String(icmp.type), `${icmp.type}/${icmp.code}`];
}

/** Where a rule sits in a `ContainmentIndex`: direction and protocol, peer, and class of identical rules. */
interface RulePlace {
  /** Direction and protocol: "ingress tcp". */
  traffic: string;
  protocol: string;
  peer: NamedPeer;
  /** Class of identical rules within the traffic and peer: the port range, or ICMP type and code. */
  cls: string;
  /** The ports compared for containment; null ports (ICMP) count as every port, as `ruleContains` skips them. */
  ports: PortRange;
}

function placeOf(rule: SgRule): RulePlace | undefined {
  const t = knownTraffic(rule);
  if (t === undefined || !rule.peer.known || rule.peer.value.kind === 'none') return undefined;
  const protocol = protocolKey(t.protocol);
  const ports = t.ports ?? ALL_PORTS;
  const cls = isIcmp(t.protocol) ? icmpKey(rule.icmp) : `${ports.from}-${ports.to}`;
  return { traffic: `${rule.direction} ${protocol}`, protocol, peer: rule.peer.value, cls, ports };
}

/**
 * A key two rules share exactly when `sameRule` holds for them: direction, protocol, ports (type and code for ICMP)
 * and peer, all in canonical form. Undefined when the traffic or the peer is unknown, or there is no peer: such a
 * rule is the same as no other. Relies on the model's invariant that ports are null exactly for ICMP protocols
 * (`normalizePorts`).
 */
export function sameRuleKey(rule: SgRule): string | undefined {
  const place = placeOf(rule);
  return place && `${place.traffic} ${peerKey(place.peer)} ${place.cls}`;
}

/** Identical rules (equal `sameRuleKey`) of one index node, in input order. */
interface RuleClass {
  ports: PortRange;
  rules: SgRule[];
}

/** Nodes with at most this many classes are searched by a scan rather than through a tree. */
const SCAN_LIMIT = 8;

/** The classes of one direction, protocol and exact peer, searchable by the port ranges that contain a range. */
class IndexNode {
  readonly classes = new Map<string, RuleClass>();
  /** Classes sorted by the start of their range; built on the first search. */
  private sorted: RuleClass[] | undefined;
  /** Segment tree over `sorted`: the largest range end in each subtree (leaves from `leaves` on). */
  private maxEnd: number[] = [];
  private leaves = 1;

  add(cls: string, ports: PortRange, rule: SgRule): void {
    const hit = this.classes.get(cls);
    if (hit) hit.rules.push(rule);
    else this.classes.set(cls, { ports, rules: [rule] });
  }

  /** Every class whose range contains `range`: O(log m) per class found, plus O(log m). */
  covering(range: PortRange): RuleClass[] {
    const contains = (c: RuleClass): boolean => c.ports.from <= range.from && range.to <= c.ports.to;
    if (this.classes.size <= SCAN_LIMIT) return [...this.classes.values()].filter(contains);
    const sorted = this.sorted ?? this.build();
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as RuleClass).ports.from <= range.from) lo = mid + 1;
      else hi = mid;
    }
    const out: RuleClass[] = [];
    this.collect(1, 0, this.leaves, lo, range.to, out);
    return out;
  }

  private build(): RuleClass[] {
    const sorted = [...this.classes.values()].sort((a, b) => a.ports.from - b.ports.from);
    while (this.leaves < sorted.length) this.leaves *= 2;
    this.maxEnd = new Array<number>(2 * this.leaves).fill(-1);
    sorted.forEach((c, i) => (this.maxEnd[this.leaves + i] = c.ports.to));
    for (let i = this.leaves - 1; i >= 1; i--) this.maxEnd[i] = Math.max(this.maxEnd[2 * i] ?? -1, this.maxEnd[2 * i + 1] ?? -1);
    this.sorted = sorted;
    return sorted;
  }

  /** Adds the classes at positions below `limit` under tree node `i` (covering [start, end)) whose end is >= `to`. */
  private collect(i: number, start: number, end: number, limit: number, to: number, out: RuleClass[]): void {
    if (start >= limit || (this.maxEnd[i] ?? -1) < to) return;
    if (i >= this.leaves) {
      out.push((this.sorted as RuleClass[])[i - this.leaves] as RuleClass);
      return;
    }
    const mid = (start + end) >> 1;
    this.collect(2 * i, start, mid, limit, to, out);
    this.collect(2 * i + 1, mid, end, limit, to, out);
  }
}

/** The nodes of one direction and protocol: CIDR peers by family, prefix length and network; other peers by key. */
class TrafficNodes {
  readonly cidrs: Record<4 | 6, Map<number, Map<bigint, IndexNode>>> = { 4: new Map(), 6: new Map() };
  readonly others = new Map<string, IndexNode>();
  /** Prefix lengths in `cidrs`, ascending, per family; set by `seal`. */
  prefixes: Record<4 | 6, number[]> = { 4: [], 6: [] };

  /** The node of exactly this peer, created when absent. */
  node(peer: NamedPeer): IndexNode {
    let node = this.exact(peer);
    if (node) return node;
    node = new IndexNode();
    if (peer.kind !== 'cidr') {
      this.others.set(peerKey(peer), node);
      return node;
    }
    const byPrefix = this.cidrs[peer.family];
    const networks = byPrefix.get(peer.prefix) ?? new Map<bigint, IndexNode>();
    byPrefix.set(peer.prefix, networks.set(peer.first, node));
    return node;
  }

  /** The node of exactly this peer, if any. */
  exact(peer: NamedPeer): IndexNode | undefined {
    return peer.kind === 'cidr' ? this.cidrs[peer.family].get(peer.prefix)?.get(peer.first) : this.others.get(peerKey(peer));
  }

  seal(): void {
    for (const family of [4, 6] as const) this.prefixes[family] = [...this.cidrs[family].keys()].sort((a, b) => a - b);
  }

  /** The nodes whose peer contains `peer` (itself included): for a CIDR, its enclosing blocks that are present. */
  enclosing(peer: NamedPeer): IndexNode[] {
    if (peer.kind !== 'cidr') {
      const node = this.others.get(peerKey(peer));
      return node ? [node] : [];
    }
    const bits = peer.family === 4 ? 32 : 128;
    const out: IndexNode[] = [];
    for (const p of this.prefixes[peer.family]) {
      if (p > peer.prefix) break;
      const host = BigInt(bits - p);
      const node = this.cidrs[peer.family].get(p)?.get((peer.first >> host) << host);
      if (node) out.push(node);
    }
    return out;
  }
}

/**
 * The rules of a list indexed by what they admit, to find every rule that contains a given one (`ruleContains`)
 * without comparing all pairs. Identical rules (equal `sameRuleKey`) form a class; classes live in a node per
 * direction, protocol and exact peer. A query visits only the nodes whose protocol contains the rule's (its own and
 * `all`) and whose peer contains its peer: for a CIDR, the enclosing blocks at the prefix lengths present in the
 * index (CIDR blocks nest, so these are all the blocks that can contain it); for a group or prefix list, the same
 * one. Within a node, ICMP classes are looked up by type and code, port classes through a segment tree over their
 * ranges sorted by start.
 *
 * Cost: O(n log n) to build. A query costs O(P log m) plus O(log m) per containing class it returns, where P is the
 * number of distinct prefix lengths in the rule's family (at most 33 or 129) and m the classes of a node. Realistic
 * groups have few rules inside many others, so a query per rule stays near-linear overall; the worst case is
 * quadratic, when most rules lie inside most others (n nested port ranges from one peer, say).
 */
export class ContainmentIndex {
  private readonly traffic = new Map<string, TrafficNodes>();

  constructor(rules: readonly SgRule[]) {
    for (const rule of rules) {
      const place = placeOf(rule);
      if (place === undefined) continue;
      let nodes = this.traffic.get(place.traffic);
      if (!nodes) this.traffic.set(place.traffic, (nodes = new TrafficNodes()));
      nodes.node(place.peer).add(place.cls, place.ports, rule);
    }
    for (const nodes of this.traffic.values()) nodes.seal();
  }

  /**
   * The classes of indexed rules that contain `rule` and are not the same rule as it (each class in input order, the
   * classes in no particular order). Empty for a rule whose traffic or peer is unknown.
   */
  containing(rule: SgRule): (readonly SgRule[])[] {
    const place = placeOf(rule);
    if (place === undefined) return [];
    // The rule's own class holds the rules that are the same as it.
    const own = this.traffic.get(place.traffic)?.exact(place.peer)?.classes.get(place.cls);
    const out: (readonly SgRule[])[] = [];
    for (const protocol of place.protocol === 'all' ? ['all'] : [place.protocol, 'all']) {
      for (const node of this.traffic.get(`${rule.direction} ${protocol}`)?.enclosing(place.peer) ?? []) {
        const classes =
          protocol === 'icmp' || protocol === 'icmpv6'
            ? icmpContainerKeys(rule.icmp).flatMap((k) => node.classes.get(k) ?? [])
            : node.covering(place.ports);
        for (const c of classes) if (c !== own) out.push(c.rules);
      }
    }
    return out;
  }
}
