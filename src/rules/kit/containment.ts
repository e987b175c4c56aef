/** Containment and identity of rules (duplicates, shadowing), with an index that finds every rule containing another without comparing all pairs. */
import { ALL_PORTS } from '../../model/ports';
import { canonicalPeer } from '../../model/peer';
import { isIcmp } from '../../model/protocol';
import type { IcmpMatch, Peer, PortRange, Protocol, SecurityGroup, SgRule, SourceLocation } from '../../model/types';
import { peerContains } from './peers';
import { knownTraffic, trafficKey } from './traffic';

/** The rules of a group in one direction, the implicit default egress included only when `withImplicit`. */
export function writtenRules(group: SecurityGroup, direction: 'ingress' | 'egress', withImplicit = false): SgRule[] {
  return (direction === 'ingress' ? group.ingress : group.egress).filter((r) => withImplicit || r.declaredAs !== 'implicit');
}

/**
 * The written list element a rule stands for, when its entry lists several peers written at different places (one of
 * the `cidr_blocks` of a block): a finding that the rule is redundant points there, since deleting the element is the
 * fix. Undefined for an entry with one peer: the entry itself is what to delete.
 */
export function listElementOf(rule: SgRule, group: SecurityGroup): SourceLocation | undefined {
  const peer = rule.fieldLocations?.peer;
  if (!peer) return undefined;
  const places = peerPlacesOf(group, rule.direction).get(placeKey(rule.location));
  return places !== undefined && places.size > 1 ? peer : undefined;
}

/** Per group and direction: for each written entry (by location), the distinct places its peers are written at. */
const peerPlaces = new WeakMap<SecurityGroup, Map<string, Map<string, Set<string>>>>();

function peerPlacesOf(group: SecurityGroup, direction: 'ingress' | 'egress'): Map<string, Set<string>> {
  let byDirection = peerPlaces.get(group);
  if (!byDirection) peerPlaces.set(group, (byDirection = new Map()));
  let byEntry = byDirection.get(direction);
  if (!byEntry) {
    byEntry = new Map();
    for (const r of direction === 'ingress' ? group.ingress : group.egress) {
      const peer = r.fieldLocations?.peer;
      if (!peer) continue;
      const key = placeKey(r.location);
      let places = byEntry.get(key);
      if (!places) byEntry.set(key, (places = new Set()));
      places.add(`${peer.line}:${peer.column}`);
    }
    byDirection.set(direction, byEntry);
  }
  return byEntry;
}

function placeKey(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/**
 * Where a rule is written, for messages: "line 12" in the group itself, "SshRule (line 30)" when standalone; the line
 * of its list element when `group` is given and the rule is one element of a list (see `listElementOf`).
 */
export function whereWritten(rule: SgRule, group?: SecurityGroup): string {
  if (rule.declaredAs === 'implicit') return "AWS's implicit default egress";
  const line = `line ${(group && listElementOf(rule, group))?.line ?? rule.location.line}`;
  return rule.resource === rule.group ? line : `${rule.resource} (${line})`;
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
  // The fields are read directly (not through knownTraffic): this runs for pairs of rules and allocates nothing.
  if (outer.direction !== inner.direction) return false;
  if (!outer.protocol.known || !outer.ports.known || !inner.protocol.known || !inner.ports.known || !outer.peer.known || !inner.peer.known) return false;
  const op = outer.protocol.value;
  if (!protocolContains(op, inner.protocol.value)) return false;
  if (op.kind !== 'all' && isIcmp(op) && !icmpContains(outer.icmp, inner.icmp)) return false;
  const o = outer.ports.value;
  const i = inner.ports.value;
  if (o !== null && i !== null && !(o.from <= i.from && i.to <= o.to)) return false;
  return peerContains(outer.peer.value, inner.peer.value);
}

/** True when the two rules admit exactly the same traffic from the same peer (AWS would call them duplicates). */
export function sameRule(a: SgRule, b: SgRule): boolean {
  return ruleContains(a, b) && ruleContains(b, a);
}

/** Stable key of a rule's traffic and peer for fingerprints, from typed fields: "tcp/22-22 10.0.0.0/8". */
export function ruleKey(rule: SgRule): string {
  return `${trafficKey(rule)} ${rule.peer.known ? canonicalPeer(rule.peer.value) : 'unknown'}`;
}

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
    case 'vpc-range':
      return JSON.stringify(['vpc', peer.ref]);
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
 * True when `sameRuleKey` gives both rules the same key (and neither is undefined), compared field by field without
 * building the keys: for the short lists of nearly every group, comparing pairs costs less than a key per rule.
 */
export function sameRulePlace(a: SgRule, b: SgRule): boolean {
  if (a.direction !== b.direction || !a.protocol.known || !b.protocol.known || !a.ports.known || !b.ports.known) return false;
  if (!a.peer.known || !b.peer.known || a.peer.value.kind === 'none' || b.peer.value.kind === 'none') return false;
  const pa = a.protocol.value;
  const pb = b.protocol.value;
  if (pa.kind !== pb.kind || (pa.kind === 'number' && pb.kind === 'number' && pa.number !== pb.number)) return false;
  if (isIcmp(pa)) {
    if (icmpKey(a.icmp) !== icmpKey(b.icmp)) return false;
  } else {
    const ra = a.ports.value ?? ALL_PORTS;
    const rb = b.ports.value ?? ALL_PORTS;
    if (ra.from !== rb.from || ra.to !== rb.to) return false;
  }
  return samePeer(a.peer.value, b.peer.value);
}

/** True when `peerKey` gives both peers the same key. */
function samePeer(a: NamedPeer, b: NamedPeer): boolean {
  switch (a.kind) {
    case 'cidr':
      return b.kind === 'cidr' && a.family === b.family && a.prefix === b.prefix && a.first === b.first;
    case 'security-group':
      return b.kind === 'security-group' && a.ref === b.ref && (a.ownerId ?? '') === (b.ownerId ?? '');
    case 'prefix-list':
      return b.kind === 'prefix-list' && a.id === b.id;
    case 'vpc-range':
      return b.kind === 'vpc-range' && a.ref === b.ref;
  }
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

/** True exactly when `sameRuleKey(rule)` is defined (known protocol, ports and peer, a peer other than none), without building it. */
export function hasSameRuleKey(rule: SgRule): boolean {
  return rule.protocol.known && rule.ports.known && rule.peer.known && rule.peer.value.kind !== 'none';
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
