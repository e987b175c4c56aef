/** Flags an IP protocol AWS rejects: a name other than tcp/udp/icmp/icmpv6/-1/all, or a number outside 0-255. */
import type { SgRule } from '../model/types';
import { defineRule } from './api';
import { worstPerEntry } from './kit/variants';

function isInvalidProtocol(rule: SgRule): boolean {
  return !rule.protocol.known && rule.protocol.invalid === true;
}

function hasInvalidProtocol(rules: readonly SgRule[]): boolean {
  for (let i = 0; i < rules.length; i++) if (isInvalidProtocol(rules[i] as SgRule)) return true;
  return false;
}

export default defineRule({
  meta: {
    id: 'invalid-protocol',
    description: 'Disallow IP protocols that AWS rejects, such as misspelled names or numbers outside 0-255',
    defaultSeverity: 'error',
    tags: ['correctness', 'deploy'],
    recommended: true,
    fix: 'Use tcp, udp, icmp, icmpv6, -1 or an IANA protocol number from 0 to 255',
    locate: 'protocol',
    references: {
      urls: [
        'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html',
        'https://www.iana.org/assignments/protocol-numbers/protocol-numbers.xhtml',
      ],
    },
    options: {},
  },
  check(ctx) {
    for (const group of ctx.groups) {
      // Nearly every group has no invalid protocol: found without building a list of its rules.
      if (!hasInvalidProtocol(group.ingress) && !hasInvalidProtocol(group.egress)) continue;
      const invalid = [...group.ingress, ...group.egress].filter(isInvalidProtocol);
      for (const { rule } of worstPerEntry(invalid.map((r) => ({ rule: r, rank: 0 })))) {
        if (rule.protocol.known) continue;
        ctx.report({
          target: { rule, group },
          message: `The ${rule.direction} rule of security group ${group.address} has an invalid IP protocol: ${rule.protocol.reason}; its traffic is not checked`,
          key: 'protocol',
        });
      }
    }
  },
});
