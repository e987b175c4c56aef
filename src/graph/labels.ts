/**
 * Plain-text labels of graph nodes and edges. Renderers escape them for their syntax.
 */
import { describeConditions } from '../model/conditions';
import { formatPortSpec, servicesOn } from '../model/catalog';
import { ALL_PORTS } from '../model/ports';
import { protocolName } from '../model/protocol';
import type { IcmpMatch, PortRange, Protocol, SgRule } from '../model/types';

/** How many service names an edge label lists for a port range before it says "+N more". */
const MAX_SERVICES = 3;

/**
 * What a rule opens, in a few words: "tcp/22 (SSH)", "tcp/3000-3999 (includes Grafana/dev web server, MySQL/Aurora,
 * RDP)", "all traffic", "all udp", "icmp type 3 code 4", "protocol 50", "tcp, ports unknown". The rule's conditions
 * ("via parameter AdminCidr default") follow in brackets.
 */
export function ruleLabel(rule: SgRule): string {
  const base = trafficLabel(rule);
  const how = describeConditions(rule.conditions);
  return how.length > 0 ? `${base} [${how.join('; ')}]` : base;
}

function trafficLabel(rule: SgRule): string {
  if (!rule.protocol.known) return 'unknown protocol';
  const protocol = rule.protocol.value;
  switch (protocol.kind) {
    case 'all':
      return 'all traffic';
    case 'number':
      return protocolName(protocol);
    case 'icmp':
    case 'icmpv6':
      return icmpLabel(protocol.kind, rule.icmp);
    case 'tcp':
    case 'udp':
      if (!rule.ports.known) return `${protocol.kind}, ports unknown`;
      return portLabel(protocol, protocol.kind, rule.ports.value ?? ALL_PORTS);
  }
}

function icmpLabel(name: 'icmp' | 'icmpv6', icmp: IcmpMatch | undefined): string {
  if (!icmp || icmp.type === -1) return name;
  return icmp.code === -1 ? `${name} type ${icmp.type}` : `${name} type ${icmp.type} code ${icmp.code}`;
}

function portLabel(protocol: Protocol, name: 'tcp' | 'udp', range: PortRange): string {
  if (range.from === ALL_PORTS.from && range.to === ALL_PORTS.to) return `all ${name}`;
  const spec = formatPortSpec({ protocol: name, ports: range });
  const matches = servicesOn(protocol, range);
  if (matches.length === 0) return spec;
  const exact = matches.find((m) => m.entry.ports.from === range.from && m.entry.ports.to === range.to);
  if (exact) return `${spec} (${exact.entry.service})`;
  const names = [...new Set(matches.map((m) => m.entry.service))];
  const shown = names.slice(0, MAX_SERVICES).join(', ');
  const more = names.length > MAX_SERVICES ? `, +${names.length - MAX_SERVICES} more` : '';
  return `${spec} (includes ${shown}${more})`;
}
