/** Flags ingress from public addresses that opens a wide TCP or UDP port range. */
import { rangeSize } from '../model/ports';
import type { SgRule } from '../model/types';
import { defineRule } from './api';
import { openMessage } from './kit/messages';
import { nearWorldPrefixOption } from './kit/options';
import { classifyPeer, describeExposedPeer, isExposedClass } from './kit/peers';
import type { PeerClass } from './kit/peers';
import { trafficKey } from './kit/traffic';
import { conditionsOf, worstPerEntry } from './kit/variants';

/** Options of `wide-port-range`. */
export interface WidePortRangeOptions {
  maxPorts: number;
  nearWorldPrefix: number;
}

const RANK: Partial<Record<PeerClass, number>> = { world: 0, 'near-world': 1, public: 2 };

/** Port count of a tcp/udp rule, or undefined for other protocols and unknown values. */
function tcpUdpPorts(rule: SgRule): number | undefined {
  // The fields directly (not through knownTraffic, which allocates): this runs for every ingress rule.
  if (!rule.protocol.known || !rule.ports.known || rule.ports.value === null) return undefined;
  const kind = rule.protocol.value.kind;
  return kind === 'tcp' || kind === 'udp' ? rangeSize(rule.ports.value) : undefined;
}

export default defineRule<WidePortRangeOptions>({
  meta: {
    id: 'wide-port-range',
    description: 'Disallow ingress from public addresses to port ranges wider than a threshold',
    defaultSeverity: 'warning',
    tags: ['security', 'ingress', 'exposure'],
    securitySeverity: '5.0',
    recommended: true,
    fix: 'Open the specific ports the service listens on instead of a wide range',
    locate: 'ports',
    references: {
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
    },
    options: {
      maxPorts: {
        schema: { type: 'integer', minimum: 1, maximum: 65536 },
        default: 1024,
        description: 'Largest number of ports one public ingress rule may open (1024 = the size of the well-known port range)',
      },
      nearWorldPrefix: nearWorldPrefixOption(
        'Must match open-all-ports: ranges of all ports from the internet or a public CIDR this wide are left to that rule',
      ),
    },
  },
  check(ctx) {
    const classify = { nearWorldPrefix: ctx.options.nearWorldPrefix, trustedNetworks: ctx.trustedNetworks };
    for (const group of ctx.groups) {
      // An indexed loop and a list made for the first candidate: most groups have none.
      let candidates: { rule: SgRule; cls: PeerClass; size: number; rank: number }[] | undefined;
      const ingress = group.ingress;
      for (let i = 0; i < ingress.length; i++) {
        const rule = ingress[i] as SgRule;
        const size = tcpUdpPorts(rule);
        // Narrow ranges first: only a wide one needs its peer classified.
        if (size === undefined || size <= ctx.options.maxPorts) continue;
        const cls = classifyPeer(rule.peer, classify);
        // Every port from the internet is open-all-ports' finding too: the engine folds the two (rules/kit/overlap).
        if (!isExposedClass(cls)) continue;
        (candidates ??= []).push({ rule, cls, size, rank: RANK[cls] ?? 9 });
      }
      if (candidates === undefined) continue;
      for (const { rule, cls, size } of worstPerEntry(candidates)) {
        if (!rule.peer.known) continue;
        const peer = describeExposedPeer(rule.peer.value, cls);
        const message = `${openMessage(`Security group ${group.address}`, `${size} ports (${trafficKey(rule)})`, 'from', peer, conditionsOf(rule, group))}, more than the ${ctx.options.maxPorts} allowed`;
        ctx.report({ target: { rule, group }, message, key: trafficKey(rule) });
      }
    }
  },
});
