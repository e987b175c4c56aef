/**
 * Exposure helpers shared by rules: who a rule's peer is (world, public, private, ...), which ports a rule reaches,
 * and a group-level analysis that judges a group on the union of its ingress rules.
 *
 * Unknown values never make something exposed here: a rule with an unknown peer, protocol or ports reaches nothing.
 */
import type { TrustedNetwork } from '../engine/types';
import { formatPortSpec, servicesOn } from './catalog';
import type { CatalogEntry, PortProtocol, PortSpec, ServiceMatch } from './catalog';
import { cidrContains, isPrivateCidr, unionCoversFamily } from './cidr';
import { describePeer } from './peer';
import { portInRange, rangesOverlap } from './ports';
import { protocolMatches } from './protocol';
import type { CidrPeer, Peer, PortRange, Protocol, SecurityGroup, SgRule, Value } from './types';

/** How far a rule's peer reaches. */
export type PeerClass =
  | 'world'
  | 'near-world'
  | 'public'
  | 'private'
  | 'trusted'
  | 'group'
  | 'prefix-list'
  | 'none'
  | 'unknown';

/** Public CIDRs with this prefix length or shorter (a /8 or wider) are near-world by default. */
export const DEFAULT_NEAR_WORLD_PREFIX = 8;

/** Settings for peer classification. */
export interface ClassifyOptions {
  /** Public CIDRs whose prefix is at most this are `near-world` (default 8). */
  nearWorldPrefix?: number;
  /** Configured trusted networks: CIDRs inside one are `trusted`. */
  trustedNetworks?: readonly TrustedNetwork[];
}

/** The trusted network that contains the CIDR, if any. */
export function trustedNetworkOf(cidr: CidrPeer, networks: readonly TrustedNetwork[]): TrustedNetwork | undefined {
  return networks.find((n) => n.cidrs.some((c) => cidrContains(c, cidr)));
}

/**
 * Classifies a peer. Order of precedence: unknown, none, group, prefix-list; for CIDRs world (prefix 0, either
 * family, whatever the host bits), trusted, private (non-public space), near-world (public and at least as wide as
 * `nearWorldPrefix`), public.
 */
export function classifyPeer(peer: Value<Peer>, options: ClassifyOptions = {}): PeerClass {
  if (!peer.known) return 'unknown';
  const p = peer.value;
  switch (p.kind) {
    case 'none':
      return 'none';
    case 'security-group':
      return 'group';
    case 'prefix-list':
      return 'prefix-list';
    case 'cidr':
      return classifyCidr(p, options);
  }
}

function classifyCidr(c: CidrPeer, options: ClassifyOptions): PeerClass {
  if (c.prefix === 0) return 'world';
  if (trustedNetworkOf(c, options.trustedNetworks ?? [])) return 'trusted';
  if (isPrivateCidr(c)) return 'private';
  return c.prefix <= (options.nearWorldPrefix ?? DEFAULT_NEAR_WORLD_PREFIX) ? 'near-world' : 'public';
}

/** True for classes that include publicly routable addresses: world, near-world, public. */
export function isExposedClass(c: PeerClass): boolean {
  return c === 'world' || c === 'near-world' || c === 'public';
}

/** The rule's protocol and ports when both are known. */
export function knownTraffic(rule: SgRule): { protocol: Protocol; ports: PortRange | null } | undefined {
  if (!rule.protocol.known || !rule.ports.known) return undefined;
  return { protocol: rule.protocol.value, ports: rule.ports.value };
}

/** The rule's peer when it is a known CIDR. */
export function knownCidr(rule: SgRule): CidrPeer | undefined {
  return rule.peer.known && rule.peer.value.kind === 'cidr' ? rule.peer.value : undefined;
}

/** True when the rule's known protocol and ports admit `protocol`/`port`. */
export function covers(rule: SgRule, port: number, protocol: PortProtocol): boolean {
  // Reads the fields directly rather than through knownTraffic: this runs per rule and service, and allocates nothing.
  return (
    rule.protocol.known && rule.ports.known && rule.ports.value !== null && protocolMatches(rule.protocol.value, protocol) && portInRange(rule.ports.value, port)
  );
}

/** True when the rule's known protocol and ports admit at least one port of the spec. */
export function reaches(rule: SgRule, spec: PortSpec): boolean {
  return (
    rule.protocol.known &&
    rule.ports.known &&
    rule.ports.value !== null &&
    protocolMatches(rule.protocol.value, spec.protocol) &&
    rangesOverlap(rule.ports.value, spec.ports)
  );
}

/** Catalog services the rule reaches (none when protocol or ports are unknown). */
export function reachedServices(rule: SgRule, catalog?: readonly CatalogEntry[]): ServiceMatch[] {
  const t = knownTraffic(rule);
  return t === undefined ? [] : servicesOn(t.protocol, t.ports, catalog);
}

/** The port spec of a service match: "tcp/22". */
export function specOf(match: ServiceMatch): PortSpec {
  return { protocol: match.protocol, ports: match.entry.ports };
}

/**
 * How the rule reaches the service, for the parenthesis after the service name: "tcp/22", "range 0-65535 includes
 * tcp/22", "all protocols"; a rule opening part of a multi-port service shows its own ports ("tcp/27017").
 */
export function describeReach(rule: SgRule, match: ServiceMatch): string {
  const service = formatPortSpec(specOf(match));
  const t = knownTraffic(rule);
  if (t === undefined || t.ports === null) return service;
  if (t.protocol.kind === 'all') return 'all protocols';
  const { from, to } = t.ports;
  if (from === match.entry.ports.from && to === match.entry.ports.to) return service;
  if (match.entry.ports.from <= from && to <= match.entry.ports.to) return formatPortSpec({ protocol: match.protocol, ports: t.ports });
  return `range ${from === to ? from : `${from}-${to}`} includes ${service}`;
}

/** "the whole internet (0.0.0.0/0)", "the whole internet (1.2.3.4/0, i.e. 0.0.0.0/0)", "public range 8.8.8.0/24". */
export function describeExposedPeer(peer: Peer, cls: PeerClass): string {
  if (peer.kind !== 'cidr') return describePeer(peer);
  const cidr = peer.raw !== peer.cidr ? `${peer.raw}, i.e. ${peer.cidr}` : peer.cidr;
  switch (cls) {
    case 'world':
      return `the whole internet (${cidr})`;
    case 'near-world':
      return `the very wide public range ${cidr}`;
    case 'public':
      return `the public range ${cidr}`;
    default:
      return cidr;
  }
}

/** Assumptions of the rule and of its group (deduplicated, rule first). */
export function assumptionsOf(rule: SgRule, group?: SecurityGroup): string[] {
  return [...new Set([...rule.assumptions, ...(group?.assumptions ?? [])])];
}

/** True when some assumption is a condition ("when ..."): the exposure is possible rather than certain. */
export function isConditional(assumptions: readonly string[]): boolean {
  return assumptions.some((a) => a.startsWith('when '));
}

/** " via parameter AdminCidr default, when condition IsProd is true", or "" without assumptions. */
export function describeHow(assumptions: readonly string[]): string {
  return assumptions.length === 0 ? '' : ` ${assumptions.join(', ')}`;
}

/**
 * A message for "group exposes service to peer": "Security group WebSg allows SSH (tcp/22) from the whole internet
 * (0.0.0.0/0) via parameter AdminCidr default", or with a condition "Security group WebSg: SSH (tcp/22) can be opened
 * to the whole internet (::/0) when condition IsProd is true".
 */
export function exposureMessage(groupName: string, service: string, reach: string, peerText: string, assumptions: readonly string[]): string {
  const how = describeHow(assumptions);
  if (isConditional(assumptions)) {
    return `Security group ${groupName}: ${service} (${reach}) can be opened to ${peerText}${how}`;
  }
  return `Security group ${groupName} allows ${service} (${reach}) from ${peerText}${how}`;
}

/** Key identifying a variant of a written entry: its assumptions. Rules of one entry with equal keys coexist. */
export function variantKey(rule: SgRule): string {
  return rule.assumptions.join('\u0000');
}

/**
 * Groups rules by their written entry, in first-seen order. Within an entry, rules with the same assumptions are
 * expansions that coexist (one per CIDR); rules with different assumptions are alternatives (Fn::If branches,
 * AllowedValues).
 */
export function byEntry(rules: readonly SgRule[]): Map<string, Map<string, SgRule[]>> {
  const out = new Map<string, Map<string, SgRule[]>>();
  for (const r of rules) {
    const variants = out.get(r.entry) ?? new Map<string, SgRule[]>();
    const list = variants.get(variantKey(r)) ?? [];
    list.push(r);
    variants.set(variantKey(r), list);
    out.set(r.entry, variants);
  }
  return out;
}

/** Several ingress rules whose CIDRs together cover a whole address family for one service. */
export interface WorldUnion {
  family: 4 | 6;
  /** The CIDR rules of one scenario that together cover the family. */
  rules: SgRule[];
  /** Assumptions of those rules (deduplicated). */
  assumptions: string[];
}

/** The exposure of one service in a group: every ingress rule that reaches it, and whole-internet unions. */
export interface ServiceExposure {
  match: ServiceMatch;
  reaches: { rule: SgRule; peerClass: PeerClass }[];
  /** Families covered only by several rules together (no single rule has a prefix-0 CIDR of that family). */
  unions: WorldUnion[];
}

/** Most combinations of alternative variants tried when looking for a covering union. */
const MAX_SCENARIOS = 256;

/**
 * Judges a group on the union of all its ingress rules (inline and standalone, IPv4 and IPv6): for each target
 * service, which rules reach it from where, and whether several CIDRs together cover the whole internet.
 */
export function analyzeGroup(group: SecurityGroup, targets: readonly ServiceMatch[], options: ClassifyOptions = {}): ServiceExposure[] {
  const families = unionFamilies(group.ingress);
  return targets.map((match) => {
    const spec = specOf(match);
    const reaching = group.ingress.filter((r) => reaches(r, spec));
    const unions: WorldUnion[] = [];
    for (const family of families) {
      const u = findWorldUnion(reaching, family);
      if (u) unions.push(u);
    }
    return { match, reaches: reaching.map((rule) => ({ rule, peerClass: classifyPeer(rule.peer, options) })), unions };
  });
}

/**
 * The address families in which some ingress rules might together cover the whole internet: those whose CIDRs
 * narrower than the whole family (prefix > 0) cover it all when taken together. `findWorldUnion` looks only at
 * rules without a prefix-0 CIDR and at subsets of the rules, so a family this leaves out has no union for any
 * service; this check runs once per group instead of once per service and family.
 */
function unionFamilies(ingress: readonly SgRule[]): (4 | 6)[] {
  return ([4, 6] as const).filter((family) => {
    const cidrs: CidrPeer[] = [];
    let fromZero = false;
    for (const r of ingress) {
      const c = knownCidr(r);
      if (c?.family !== family || c.prefix === 0) continue;
      cidrs.push(c);
      if (c.first === 0n) fromZero = true;
    }
    // A covering union starts at the family's first address: without a CIDR there, skip sorting the ranges.
    return cidrs.length >= 2 && fromZero && unionCoversFamily(cidrs, family);
  });
}

/**
 * Looks for rules of `family` whose CIDRs together cover the whole family, when no single rule is a prefix-0 CIDR.
 * Alternatives of one entry are never combined with each other, nor are contradicting conditions.
 */
export function findWorldUnion(rules: readonly SgRule[], family: 4 | 6): WorldUnion | undefined {
  const cidrRules = rules.filter((r) => knownCidr(r)?.family === family);
  if (cidrRules.length < 2 || cidrRules.some((r) => knownCidr(r)?.prefix === 0)) return undefined;
  if (!unionCoversFamily(cidrRules.map((r) => knownCidr(r) as CidrPeer), family)) return undefined;
  const base: SgRule[] = [];
  const choices: SgRule[][][] = [];
  for (const variants of byEntry(cidrRules).values()) {
    const list = [...variants.values()];
    if (list.length === 1) base.push(...(list[0] ?? []));
    else choices.push(list);
  }
  for (const picked of scenarios(choices)) {
    const chosen = [...base, ...picked.flat()];
    const assumptions = [...new Set(chosen.flatMap((r) => r.assumptions))];
    if (contradicts(assumptions)) continue;
    if (unionCoversFamily(chosen.map((r) => knownCidr(r) as CidrPeer), family)) return { family, rules: chosen, assumptions };
  }
  return undefined;
}

function* scenarios(choices: readonly SgRule[][][]): Generator<SgRule[][]> {
  const idx = choices.map(() => 0);
  for (let n = 0; n < MAX_SCENARIOS; n++) {
    yield choices.map((c, i) => c[idx[i] ?? 0] ?? []);
    let k = 0;
    while (k < idx.length) {
      const next = (idx[k] ?? 0) + 1;
      if (next < (choices[k]?.length ?? 0)) {
        idx[k] = next;
        break;
      }
      idx[k] = 0;
      k++;
    }
    if (k === idx.length) return;
  }
}

/** True when the assumptions require one condition to be both true and false. */
export function contradicts(assumptions: readonly string[]): boolean {
  const seen = new Map<string, string>();
  for (const a of assumptions) {
    const m = /^when condition (\S+) is (true|false)$/.exec(a);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    const prev = seen.get(m[1]);
    if (prev !== undefined && prev !== m[2]) return true;
    seen.set(m[1], m[2]);
  }
  return false;
}

/**
 * One list per written entry (in input order): the rules of its preferred variant, an unconditional one when there
 * is one, else the first. Rules report once per entry this way, however many Fn::If branches qualify.
 */
export function preferredVariants(rules: readonly SgRule[]): SgRule[][] {
  return [...byEntry(rules).values()].map((variants) => {
    const list = [...variants.values()];
    return list.find((v) => !isConditional(v[0]?.assumptions ?? [])) ?? list[0] ?? [];
  });
}

/** A finding an exposure rule should report: on a rule, or on the group for a union of rules. */
export interface ExposureFinding {
  /** The rule to point at; absent for a group-level finding (several rules together). */
  rule?: SgRule;
  /** How far the exposure reaches (`world` for unions). */
  peerClass: PeerClass;
  message: string;
  /** Fingerprint key: the services reached ("tcp/22 tcp/3389"), plus "ipv4-union" for a group-level finding. */
  key: string;
  /** Port specs of every service the finding covers ("tcp/22"), in catalog order. */
  keys: string[];
}

/** What `exposureFindings` looks for. */
export interface ExposureQuery extends ClassifyOptions {
  /** Peer classes that count as exposure, e.g. ['world'] or ['world', 'near-world', 'public']. */
  classes: readonly PeerClass[];
}

const CLASS_RANK: Partial<Record<PeerClass, number>> = { world: 0, 'near-world': 1, public: 2 };

/** Services listed by name in one message before the rest are counted ("and 12 more"). */
const MAX_NAMED_SERVICES = 3;

/** One exposed service of one written entry (or of a union of entries), before merging per entry. */
interface ExposurePart {
  rule?: SgRule;
  peerClass: PeerClass;
  service: string;
  reach: string;
  peerText: string;
  assumptions: string[];
  key: string;
  /** What the part is reported on: a written entry's variant, or a family's union. */
  target: string;
}

/**
 * Finds the exposures of a group's target services and reports each written entry once: for the worst variant of
 * the entry (widest peer, then unconditional first) one finding naming every target service it reaches, plus one
 * group-level finding per address family whose whole internet is covered only by several rules together (reported
 * when `classes` includes `world`).
 */
export function exposureFindings(group: SecurityGroup, targets: readonly ServiceMatch[], query: ExposureQuery): ExposureFinding[] {
  // Only rules whose peer class counts can be reported on: each is classified once here, not once per service.
  const candidates: Candidate[] = [];
  for (const rule of group.ingress) {
    const cls = classifyPeer(rule.peer, query);
    if (query.classes.includes(cls)) candidates.push({ rule, cls });
  }
  const families = query.classes.includes('world') ? unionFamilies(group.ingress) : [];
  const parts: ExposurePart[] = [];
  for (const targetsOfService of byService(targets)) {
    if (candidates.length > 0) parts.push(...ruleParts(group, candidates, targetsOfService));
    if (families.length > 0) parts.push(...unionParts(group, families, targetsOfService.matches, targetsOfService.service));
  }
  const byTarget = new Map<string, ExposurePart[]>();
  for (const p of parts) {
    const list = byTarget.get(p.target);
    if (list) list.push(p);
    else byTarget.set(p.target, [p]);
  }
  return [...byTarget.values()].map((list) => merge(group, list));
}

/** An ingress rule whose peer class is one the query reports. */
interface Candidate {
  rule: SgRule;
  cls: PeerClass;
}

function merge(group: SecurityGroup, parts: readonly ExposurePart[]): ExposureFinding {
  const worst = [...parts].sort((a, b) => (CLASS_RANK[a.peerClass] ?? 9) - (CLASS_RANK[b.peerClass] ?? 9))[0] as ExposurePart;
  const keys = parts.map((p) => p.key);
  const union = worst.rule === undefined ? ` ${worst.target}` : '';
  const finding: ExposureFinding = {
    peerClass: worst.peerClass,
    message: mergedMessage(group.address, parts, worst),
    key: `${keys.join(' ')}${union}`,
    keys,
  };
  if (worst.rule) finding.rule = worst.rule;
  return finding;
}

/**
 * "SSH (tcp/22)", "SSH and RDP (all protocols)", "SSH (tcp/22) and RDP (tcp/3389)",
 * "MySQL/Aurora, PostgreSQL, Redis and 18 more services (all protocols)".
 */
function mergedMessage(groupName: string, parts: readonly ExposurePart[], worst: ExposurePart): string {
  const first = parts[0] as ExposurePart;
  if (parts.length === 1) return exposureMessage(groupName, first.service, first.reach, worst.peerText, worst.assumptions);
  const sameReach = parts.every((p) => p.reach === first.reach);
  const named = parts.slice(0, MAX_NAMED_SERVICES).map((p) => (sameReach ? p.service : `${p.service} (${p.reach})`));
  const rest = parts.length - named.length;
  const list = rest > 0 ? `${named.join(', ')} and ${rest} more services` : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  const reach = sameReach ? first.reach : undefined;
  const how = describeHow(worst.assumptions);
  const what = reach ? `${list} (${reach})` : list;
  return isConditional(worst.assumptions)
    ? `Security group ${groupName}: ${what} can be opened to ${worst.peerText}${how}`
    : `Security group ${groupName} allows ${what} from ${worst.peerText}${how}`;
}

/** The targets of one catalog entry, with their port specs. */
interface ServiceTargets {
  service: string;
  matches: ServiceMatch[];
  specs: PortSpec[];
}

/** `byService` results per target list: a rule passes the same list for every group it checks. */
const servicesMemo = new WeakMap<readonly ServiceMatch[], { count: number; services: ServiceTargets[] }>();

/** The targets grouped by catalog entry, in first-seen order (computed once per target list). */
function byService(targets: readonly ServiceMatch[]): ServiceTargets[] {
  const hit = servicesMemo.get(targets);
  if (hit !== undefined && hit.count === targets.length) return hit.services;
  const map = new Map<string, ServiceTargets>();
  for (const t of targets) {
    const found = map.get(t.entry.id);
    if (found) {
      found.matches.push(t);
      found.specs.push(specOf(t));
    } else map.set(t.entry.id, { service: t.entry.service, matches: [t], specs: [specOf(t)] });
  }
  const services = [...map.values()];
  servicesMemo.set(targets, { count: targets.length, services });
  return services;
}

interface Exposed {
  rule: SgRule;
  match: ServiceMatch;
  cls: PeerClass;
}

function ruleParts(group: SecurityGroup, candidates: readonly Candidate[], { service, matches, specs }: ServiceTargets): ExposurePart[] {
  const perEntry = new Map<string, Exposed[]>();
  for (const { rule, cls } of candidates) {
    const at = specs.findIndex((spec) => reaches(rule, spec));
    const match = matches[at];
    if (match === undefined) continue;
    const list = perEntry.get(rule.entry);
    if (list) list.push({ rule, match, cls });
    else perEntry.set(rule.entry, [{ rule, match, cls }]);
  }
  return [...perEntry.values()].map((list) => {
    const best = [...list].sort(compareExposed)[0] as Exposed;
    const peers = list.filter((e) => e.cls === best.cls && variantKey(e.rule) === variantKey(best.rule));
    return {
      rule: best.rule,
      peerClass: best.cls,
      service,
      reach: describeReach(best.rule, best.match),
      peerText: describePeers(peers.map((e) => e.rule.peer), best.cls),
      assumptions: assumptionsOf(best.rule, group),
      key: formatPortSpec(specOf(best.match)),
      target: `entry ${best.rule.entry}\u0000${variantKey(best.rule)}`,
    };
  });
}

function compareExposed(a: Exposed, b: Exposed): number {
  const rank = (CLASS_RANK[a.cls] ?? 9) - (CLASS_RANK[b.cls] ?? 9);
  return rank !== 0 ? rank : Number(isConditional(a.rule.assumptions)) - Number(isConditional(b.rule.assumptions));
}

function describePeers(peers: readonly Value<Peer>[], cls: PeerClass): string {
  const known = peers.flatMap((p) => (p.known ? [p.value] : []));
  const first = known[0];
  if (first === undefined) return 'an unknown peer';
  if (known.length === 1 || cls !== 'world') return describeExposedPeer(first, cls);
  const cidrs = [...new Set(known.map((p) => (p.kind === 'cidr' ? p.cidr : describePeer(p))))];
  return `the whole internet (${cidrs.join(', ')})`;
}

function unionParts(group: SecurityGroup, families: readonly (4 | 6)[], matches: readonly ServiceMatch[], service: string): ExposurePart[] {
  const out: ExposurePart[] = [];
  for (const family of families) {
    for (const match of matches) {
      const union = findWorldUnion(group.ingress.filter((r) => reaches(r, specOf(match))), family);
      if (!union) continue;
      const spec = formatPortSpec(specOf(match));
      const cidrs = union.rules.map((r) => knownCidr(r)?.cidr ?? '').join(' + ');
      out.push({
        peerClass: 'world',
        service,
        reach: spec,
        peerText: `the whole internet (IPv${family}: ${cidrs} together)`,
        assumptions: [...new Set([...union.assumptions, ...group.assumptions])],
        key: spec,
        target: `ipv${family}-union`,
      });
      break;
    }
  }
  return out;
}
