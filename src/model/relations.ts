/**
 * Helpers for rules that compare rules with each other or judge a group by what it guards: containment and identity
 * of rules (duplicates, shadowing), unrestricted traffic, attachment categories, and message fragments.
 *
 * Built on the protocol, port, CIDR and exposure helpers; nothing here re-parses template syntax.
 */
import { cidrContains } from './cidr';
import { assumptionsOf, contradicts, describeExposedPeer, isConditional, knownTraffic } from './exposure';
import { describePeer } from './peer';
import { ALL_PORTS, formatPorts } from './ports';
import { isIcmp, protocolIgnoresPorts } from './protocol';
import type { AttachmentCategory, IcmpMatch, Peer, PortRange, Protocol, SecurityGroup, SgRule } from './types';

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
  for (const item of items) perEntry.set(item.rule.entry, [...(perEntry.get(item.rule.entry) ?? []), item]);
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
