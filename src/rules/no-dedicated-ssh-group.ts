/** Flags a group that admits SSH through a rule aimed at tcp/22 and also admits other (non-ICMP) ingress. */
import { describePeer } from '../model/peer';
import { isIcmp, protocolName } from '../model/protocol';
import type { PortRange, Protocol, SgRule } from '../model/types';
import { defineRule } from './api';

/** Options of `no-dedicated-ssh-group`. */
export interface NoDedicatedSshGroupOptions {
  ignoreIcmp: boolean;
}

/** How many other rules a message lists before "and N more". */
const LISTED = 3;

function isSshRule(rule: SgRule): boolean {
  return (
    rule.protocol.known &&
    rule.protocol.value.kind === 'tcp' &&
    rule.ports.known &&
    rule.ports.value?.from === 22 &&
    rule.ports.value.to === 22
  );
}

function hasPeer(rule: SgRule): boolean {
  return !rule.peer.known || rule.peer.value.kind !== 'none';
}

function hasSshRule(rules: readonly SgRule[]): boolean {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as SgRule;
    if (hasPeer(r) && isSshRule(r)) return true;
  }
  return false;
}

/** "tcp/443 from 0.0.0.0/0", "all protocols from group LbSg", "udp/1000-2000 from an unknown peer". */
function describeRule(rule: SgRule, p: Protocol, r: PortRange | null): string {
  const peer = rule.peer.known ? describePeer(rule.peer.value) : 'an unknown peer';
  if (p.kind !== 'tcp' && p.kind !== 'udp') return `${protocolName(p)} from ${peer}`;
  const ports = r === null ? '' : r.from === r.to ? `/${r.from}` : `/${r.from}-${r.to}`;
  return `${p.kind}${ports} from ${peer}`;
}

export default defineRule<NoDedicatedSshGroupOptions>({
  meta: {
    id: 'no-dedicated-ssh-group',
    description: 'Require SSH access to be granted by a security group of its own',
    defaultSeverity: 'warning',
    tags: ['security', 'ingress', 'hygiene'],
    securitySeverity: '3.0',
    recommended: true,
    fix: 'Move SSH into a group of its own and attach it only where SSH is needed',
    references: {
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
    },
    options: {
      ignoreIcmp: {
        schema: { type: 'boolean' },
        default: true,
        description: 'Let ICMP and ICMPv6 rules (ping, path MTU discovery) share the group with SSH',
      },
    },
  },
  check(ctx) {
    for (const group of ctx.groups) {
      // Most groups admit no SSH: found without filtering a copy of their rules.
      if (!hasSshRule(group.ingress)) continue;
      const rules = group.ingress.filter(hasPeer);
      const others: string[] = [];
      for (const r of rules) {
        if (isSshRule(r) || !r.protocol.known || !r.ports.known) continue;
        if (ctx.options.ignoreIcmp && isIcmp(r.protocol.value)) continue;
        others.push(describeRule(r, r.protocol.value, r.ports.value));
      }
      if (others.length === 0) continue;
      const listed = [...new Set(others)];
      const more = listed.length > LISTED ? ` and ${listed.length - LISTED} more` : '';
      ctx.report({
        target: { group },
        message: `Security group ${group.address} admits SSH (tcp/22) together with other ingress: ${listed.slice(0, LISTED).join(', ')}${more}`,
      });
    }
  },
});
