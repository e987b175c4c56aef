/** Flags ingress from the whole internet (or a near-world public range) on every port or every protocol. */
import type { SecurityGroup, SgRule } from '../model/types';
import { mergeConditions } from '../model/conditions';
import { defineRule } from './api';
import { openMessage } from './kit/messages';
import type { RuleContext } from './api';
import { findWorldUnion } from './kit/exposure';
import { nearWorldPrefixOption } from './kit/options';
import { classifyPeer, describeExposedPeer, knownCidr } from './kit/peers';
import type { PeerClass } from './kit/peers';
import { opensAllPorts, trafficKey } from './kit/traffic';
import { conditionsOf, worstPerEntry } from './kit/variants';

/** Options of `open-all-ports`. */
export interface OpenAllPortsOptions {
  nearWorldPrefix: number;
}

/** "all protocols", "protocol 50", "tcp/0-65535". */
function reachOf(rule: SgRule): string {
  const key = trafficKey(rule);
  if (key === 'all') return 'all protocols';
  return key.startsWith('protocol-') ? key.replace('-', ' ') : key;
}

function reportRules(ctx: RuleContext<OpenAllPortsOptions>, group: SecurityGroup, rules: readonly SgRule[]): void {
  const candidates = rules.flatMap((rule) => {
    const cls: PeerClass = classifyPeer(rule.peer, { nearWorldPrefix: ctx.options.nearWorldPrefix, trustedNetworks: ctx.trustedNetworks });
    if (cls !== 'world' && cls !== 'near-world') return [];
    return [{ rule, cls, rank: cls === 'world' ? 0 : 1 }];
  });
  for (const { rule, cls } of worstPerEntry(candidates)) {
    if (!rule.peer.known) continue;
    const message = openMessage(`Security group ${group.address}`, `every port (${reachOf(rule)})`, 'from', describeExposedPeer(rule.peer.value, cls), conditionsOf(rule, group));
    ctx.report({ target: { rule, group }, message, key: trafficKey(rule), severity: cls === 'world' ? 'error' : 'warning' });
  }
}

function reportUnions(ctx: RuleContext<OpenAllPortsOptions>, group: SecurityGroup, rules: readonly SgRule[]): void {
  const byTraffic = new Map<string, SgRule[]>();
  for (const r of rules) byTraffic.set(trafficKey(r), [...(byTraffic.get(trafficKey(r)) ?? []), r]);
  for (const [key, list] of byTraffic) {
    for (const family of [4, 6] as const) {
      const union = findWorldUnion(list, family);
      const first = union?.rules[0];
      if (!union || !first) continue;
      const cidrs = union.rules.map((r) => knownCidr(r)?.cidr ?? '').join(' + ');
      const conditions = mergeConditions(union.conditions, group.conditions);
      const message = openMessage(`Security group ${group.address}`, `every port (${reachOf(first)})`, 'from', `the whole internet (IPv${family}: ${cidrs} together)`, conditions);
      ctx.report({ target: { group }, message, key: `${key} ipv${family}-union`, severity: 'error' });
    }
  }
}

export default defineRule<OpenAllPortsOptions>({
  meta: {
    id: 'open-all-ports',
    description: 'Disallow ingress from the internet on all ports or all protocols',
    defaultSeverity: 'error',
    tags: ['security', 'ingress', 'exposure'],
    securitySeverity: '9.0',
    recommended: true,
    fix: 'Open only the ports the service needs, to the networks that need them',
    locate: 'peer',
    references: {
      cis: ['5.2', '5.3'],
      securityHub: ['EC2.19'],
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
    },
    options: {
      nearWorldPrefix: nearWorldPrefixOption(
        'Public CIDRs with this prefix length or shorter (e.g. a /8) count as the internet; they are reported as warnings',
      ),
    },
  },
  check(ctx) {
    for (const group of ctx.groups) {
      const rules = group.ingress.filter(opensAllPorts);
      reportRules(ctx, group, rules);
      reportUnions(ctx, group, rules);
    }
  },
});
