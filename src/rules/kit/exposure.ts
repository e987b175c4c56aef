/** Group-level exposure: which ingress rules reach target services from where, and whole-internet unions of several rules. Unknown values never make something exposed here: a rule with an unknown peer, protocol or ports reaches nothing. */
import { formatPortSpec } from '../../model/catalog';
import type { PortSpec, ServiceMatch } from '../../model/catalog';
import { unionCoversFamily } from '../../model/cidr';
import { describePeer } from '../../model/peer';
import { canHoldTogether, mergeConditions, mergeConditionSets } from '../../model/conditions';
import type { CidrPeer, Condition, Peer, SecurityGroup, SgRule, Value } from '../../model/types';
import { openMessage } from './messages';
import { classifyPeer, describeExposedPeer, knownCidr } from './peers';
import type { ClassifyOptions, PeerClass } from './peers';
import { describeReach, reaches, specOf } from './traffic';
import { byEntry, isConditional, variantKey, withGroupConditions } from './variants';
import { pushAll } from '../../model/arrays';

/** Several ingress rules whose CIDRs together cover a whole address family for one service. */
export interface WorldUnion {
  family: 4 | 6;
  /** The CIDR rules of one scenario that together cover the family. */
  rules: SgRule[];
  /** Conditions of those rules (deduplicated). */
  conditions: Condition[];
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
    if (list.length === 1) pushAll(base, list[0] ?? []);
    else choices.push(list);
  }
  for (const picked of scenarios(choices)) {
    const chosen = [...base, ...picked.flat()];
    const conditions = mergeConditionSets(chosen.map((r) => r.conditions));
    if (!canHoldTogether(conditions)) continue;
    if (unionCoversFamily(chosen.map((r) => knownCidr(r) as CidrPeer), family)) return { family, rules: chosen, conditions };
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
  /** Names of the services the finding covers ("SSH", "RDP"), in catalog order, each once. */
  services: string[];
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
  /** Undefined for a union (always present, so rule and union parts share one object shape). */
  rule: SgRule | undefined;
  peerClass: PeerClass;
  service: string;
  reach: string;
  peerText: string;
  conditions: Condition[];
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
  // The group's fields are read here, on every call, and nowhere below: group objects come in several shapes, and a
  // read only on the rare path with findings would see a new shape after V8 optimised this function (a deopt).
  const ingress = group.ingress;
  const address = group.address;
  const groupConditions = group.conditions;
  for (let i = 0; i < ingress.length; i++) {
    const rule = ingress[i] as SgRule;
    const cls = classifyPeer(rule.peer, query);
    if (query.classes.includes(cls)) candidates.push({ rule, cls });
  }
  const families = query.classes.includes('world') ? unionFamilies(ingress) : [];
  // No rule the query reports and no union to look for (most groups): nothing to search per service.
  if (candidates.length === 0 && families.length === 0) return [];
  const parts: ExposurePart[] = [];
  const services = byService(targets);
  for (let i = 0; i < services.length; i++) {
    const targetsOfService = services[i] as ServiceTargets;
    if (candidates.length > 0) pushAll(parts, ruleParts(groupConditions, candidates, targetsOfService));
    if (families.length > 0) pushAll(parts, unionParts(ingress, groupConditions, families, targetsOfService.matches, targetsOfService.service));
  }
  const byTarget = new Map<string, ExposurePart[]>();
  for (const p of parts) {
    const list = byTarget.get(p.target);
    if (list) list.push(p);
    else byTarget.set(p.target, [p]);
  }
  return [...byTarget.values()].map((list) => merge(address, list));
}

/** An ingress rule whose peer class is one the query reports. */
interface Candidate {
  rule: SgRule;
  cls: PeerClass;
}

function merge(address: string, parts: readonly ExposurePart[]): ExposureFinding {
  // Loops rather than a sorted copy and map(): the first part of the lowest rank is what a stable sort puts first, and
  // lists built by push keep one array shape (arrays from map() deoptimised this function once per run).
  let worst = parts[0] as ExposurePart;
  const keys: string[] = [];
  const services: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as ExposurePart;
    if ((CLASS_RANK[p.peerClass] ?? 9) < (CLASS_RANK[worst.peerClass] ?? 9)) worst = p;
    keys.push(p.key);
    if (!services.includes(p.service)) services.push(p.service);
  }
  const union = worst.rule === undefined ? ` ${worst.target}` : '';
  const finding: ExposureFinding = {
    peerClass: worst.peerClass,
    message: mergedMessage(address, parts, worst),
    key: `${keys.join(' ')}${union}`,
    keys,
    services,
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
  const subject = `Security group ${groupName}`;
  if (parts.length === 1) return openMessage(subject, `${first.service} (${first.reach})`, 'from', worst.peerText, worst.conditions);
  const sameReach = parts.every((p) => p.reach === first.reach);
  const named = parts.slice(0, MAX_NAMED_SERVICES).map((p) => (sameReach ? p.service : `${p.service} (${p.reach})`));
  const rest = parts.length - named.length;
  const list = rest > 0 ? `${named.join(', ')} and ${rest} more services` : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return openMessage(subject, sameReach ? `${list} (${first.reach})` : list, 'from', worst.peerText, worst.conditions);
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

function ruleParts(groupConditions: readonly Condition[], candidates: readonly Candidate[], { service, matches, specs }: ServiceTargets): ExposurePart[] {
  // Most services are reached by none of a group's candidates: the map is made for the first that is.
  let perEntry: Map<string, Exposed[]> | undefined;
  // Indexed loops: this runs per candidate and catalog service, mostly before V8 optimises it (no iterator objects).
  for (let c = 0; c < candidates.length; c++) {
    const { rule, cls } = candidates[c] as Candidate;
    let at = 0;
    while (at < specs.length && !reaches(rule, specs[at] as PortSpec)) at++;
    const match = matches[at];
    if (match === undefined) continue;
    perEntry ??= new Map<string, Exposed[]>();
    const list = perEntry.get(rule.entry);
    if (list) list.push({ rule, match, cls });
    else perEntry.set(rule.entry, [{ rule, match, cls }]);
  }
  if (perEntry === undefined) return [];
  return [...perEntry.values()].map((list) => {
    const best = [...list].sort(compareExposed)[0] as Exposed;
    const peers = list.filter((e) => e.cls === best.cls && variantKey(e.rule) === variantKey(best.rule));
    return {
      rule: best.rule,
      peerClass: best.cls,
      service,
      reach: describeReach(best.rule, best.match),
      peerText: describePeers(peers.map((e) => e.rule.peer), best.cls),
      conditions: withGroupConditions(best.rule, groupConditions),
      key: formatPortSpec(specOf(best.match)),
      target: `entry ${best.rule.entry}\u0000${variantKey(best.rule)}`,
    };
  });
}

function compareExposed(a: Exposed, b: Exposed): number {
  const rank = (CLASS_RANK[a.cls] ?? 9) - (CLASS_RANK[b.cls] ?? 9);
  return rank !== 0 ? rank : Number(isConditional(a.rule.conditions)) - Number(isConditional(b.rule.conditions));
}

function describePeers(peers: readonly Value<Peer>[], cls: PeerClass): string {
  const known = peers.flatMap((p) => (p.known ? [p.value] : []));
  const first = known[0];
  if (first === undefined) return 'an unknown peer';
  if (known.length === 1 || cls !== 'world') return describeExposedPeer(first, cls);
  const cidrs = [...new Set(known.map((p) => (p.kind === 'cidr' ? p.cidr : describePeer(p))))];
  return `the whole internet (${cidrs.join(', ')})`;
}

function unionParts(
  ingress: readonly SgRule[],
  groupConditions: readonly Condition[],
  families: readonly (4 | 6)[],
  matches: readonly ServiceMatch[],
  service: string,
): ExposurePart[] {
  const out: ExposurePart[] = [];
  for (const family of families) {
    for (const match of matches) {
      const union = findWorldUnion(ingress.filter((r) => reaches(r, specOf(match))), family);
      if (!union) continue;
      const spec = formatPortSpec(specOf(match));
      const cidrs = union.rules.map((r) => knownCidr(r)?.cidr ?? '').join(' + ');
      out.push({
        rule: undefined,
        peerClass: 'world',
        service,
        reach: spec,
        peerText: `the whole internet (IPv${family}: ${cidrs} together)`,
        conditions: mergeConditions(union.conditions, groupConditions),
        key: spec,
        target: `ipv${family}-union`,
      });
      break;
    }
  }
  return out;
}

/**
 * What an exposure finding names, for folding into another rule's finding on the same entry: the services themselves
 * when there are at most three, else their number with `kind` ("24 database, cache and search services").
 */
export function includedServices(services: readonly string[], kind: string): string[] {
  return services.length <= MAX_NAMED_SERVICES ? [...services] : [`${services.length} ${kind} services`];
}
