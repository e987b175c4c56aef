/** Flags ingress from the whole internet on ports outside an allowed list (Security Hub EC2.18). */
import { parsePortSpec } from '../model/catalog';
import type { PortSpec } from '../model/catalog';
import { isIcmp } from '../model/protocol';
import type { PortRange, SgRule } from '../model/types';
import { defineRule } from './api';
import { openMessage } from './kit/messages';
import { guardsOnlyLoadBalancers } from './kit/attachments';
import { portListOption } from './kit/options';
import { classifyPeer, describeExposedPeer } from './kit/peers';
import { describeTraffic, knownTraffic, trafficKey } from './kit/traffic';
import { conditionsOf, worstPerEntry } from './kit/variants';

/** Options of `world-ingress-unexpected-port`. */
export interface WorldIngressUnexpectedPortOptions {
  allowedPorts: string[];
  ignoreLoadBalancers: boolean;
  ignoreIcmp: boolean;
}

/** True when `range` lies inside the union of the allowed ranges of the same protocol. */
function insideAllowed(protocol: 'tcp' | 'udp', range: PortRange, allowed: readonly PortSpec[]): boolean {
  const ranges = allowed.filter((s) => s.protocol === protocol).map((s) => s.ports).sort((a, b) => a.from - b.from);
  let next = range.from;
  for (const r of ranges) {
    if (r.from > next) break;
    next = Math.max(next, r.to + 1);
    if (next > range.to) return true;
  }
  return next > range.to;
}

/** True when every port the rule opens is allowed (ICMP only when `ignoreIcmp`). */
function isExpected(rule: SgRule, allowed: readonly PortSpec[], ignoreIcmp: boolean): boolean {
  const t = knownTraffic(rule);
  if (t === undefined) return true;
  if (isIcmp(t.protocol)) return ignoreIcmp;
  if ((t.protocol.kind !== 'tcp' && t.protocol.kind !== 'udp') || t.ports === null) return false;
  return insideAllowed(t.protocol.kind, t.ports, allowed);
}

export default defineRule<WorldIngressUnexpectedPortOptions>({
  meta: {
    id: 'world-ingress-unexpected-port',
    description: 'Enforce that only allowed ports, by default HTTP and HTTPS, accept ingress from the whole internet',
    defaultSeverity: 'note',
    tags: ['security', 'ingress', 'exposure', 'policy'],
    securitySeverity: '4.0',
    recommended: false,
    fix: 'Restrict the rule to the networks that need the port, or add the port to allowedPorts if it must face the internet',
    locate: 'peer',
    references: {
      securityHub: ['EC2.18'],
      urls: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html'],
    },
    options: {
      allowedPorts: portListOption(['tcp/80', 'tcp/443'], 'Ports that may accept ingress from the whole internet, as "protocol/port" or "protocol/from-to"'),
      ignoreLoadBalancers: {
        schema: { type: 'boolean' },
        default: true,
        description:
          'Skip groups whose every attachment in the input is a load balancer: their listeners face the internet by design (sensitive ports are still reported by the exposure rules)',
      },
      ignoreIcmp: {
        schema: { type: 'boolean' },
        default: true,
        description: 'Let ICMP and ICMPv6 (ping, path MTU discovery) from the internet pass',
      },
    },
  },
  check(ctx) {
    const allowed = ctx.options.allowedPorts.map(parsePortSpec).filter((s): s is PortSpec => s !== undefined);
    const allowedText = ctx.options.allowedPorts.join(', ') || 'no port';
    for (const group of ctx.groups) {
      if (ctx.options.ignoreLoadBalancers && guardsOnlyLoadBalancers(group)) continue;
      const candidates = group.ingress.flatMap((rule) =>
        classifyPeer(rule.peer, { trustedNetworks: ctx.trustedNetworks }) === 'world' && !isExpected(rule, allowed, ctx.options.ignoreIcmp)
          ? [{ rule, rank: 0 }]
          : [],
      );
      for (const { rule } of worstPerEntry(candidates)) {
        if (!rule.peer.known) continue;
        const base = openMessage(`Security group ${group.address}`, `${describeTraffic(rule)} (not in the allowed list)`, 'from', describeExposedPeer(rule.peer.value, 'world'), conditionsOf(rule, group));
        ctx.report({ target: { rule, group }, message: `${base}; only ${allowedText} may face the internet`, key: trafficKey(rule) });
      }
    }
  },
});
