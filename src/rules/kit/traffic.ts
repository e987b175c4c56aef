/** What a rule admits: its known protocol and ports, the catalog services it reaches, and how messages and fingerprints name its traffic. */
import { formatPortSpec, servicesOn } from '../../model/catalog';
import type { CatalogEntry, PortProtocol, PortSpec, ServiceMatch } from '../../model/catalog';
import { ALL_PORTS, formatPorts, portInRange, rangesOverlap } from '../../model/ports';
import { isIcmp, protocolIgnoresPorts, protocolMatches } from '../../model/protocol';
import type { IcmpMatch, PortRange, Protocol, SgRule } from '../../model/types';

/** The rule's protocol and ports when both are known. */
export function knownTraffic(rule: SgRule): { protocol: Protocol; ports: PortRange | null } | undefined {
  if (!rule.protocol.known || !rule.ports.known) return undefined;
  return { protocol: rule.protocol.value, ports: rule.ports.value };
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

/** True when the range is every port 0-65535. */
export function isAllPorts(range: PortRange | null): boolean {
  return range !== null && range.from === ALL_PORTS.from && range.to === ALL_PORTS.to;
}

/**
 * True when the rule's known traffic is every port of a transport protocol or every protocol: protocol `all`, any
 * other protocol number (AWS ignores ports there), or tcp/udp 0-65535. ICMP never is.
 */
export function opensAllPorts(rule: SgRule): boolean {
  // The fields directly (knownTraffic allocates): this runs for every ingress rule of every group.
  if (!rule.protocol.known || !rule.ports.known || isIcmp(rule.protocol.value)) return false;
  return protocolIgnoresPorts(rule.protocol.value) || isAllPorts(rule.ports.value);
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
