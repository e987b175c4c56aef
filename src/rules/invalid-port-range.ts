/** Flags ports AWS rejects: FromPort greater than ToPort, ports outside 0-65535, or ports that are not numbers. */
import { defineRule } from './api';
import { worstPerEntry } from './kit/variants';

export default defineRule({
  meta: {
    id: 'invalid-port-range',
    description: 'Disallow port ranges that AWS rejects, such as FromPort greater than ToPort or ports outside 0-65535',
    defaultSeverity: 'error',
    tags: ['correctness', 'deploy'],
    recommended: true,
    fix: 'Write FromPort no greater than ToPort, both within 0-65535 (-1 only for ICMP and all protocols)',
    locate: 'ports',
    references: {
      urls: ['https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html'],
    },
    options: {},
  },
  check(ctx) {
    for (const group of ctx.groups) {
      // A rule whose protocol is invalid has no meaningful ports: invalid-protocol reports it.
      const invalid = [...group.ingress, ...group.egress].filter(
        (r) => r.protocol.known && !r.ports.known && r.ports.invalid === true,
      );
      for (const { rule } of worstPerEntry(invalid.map((r) => ({ rule: r, rank: 0 })))) {
        if (rule.ports.known) continue;
        const proto = rule.protocol.known ? `${rule.protocol.value.kind === 'number' ? `protocol ${rule.protocol.value.number}` : rule.protocol.value.kind} ` : '';
        ctx.report({
          target: { rule, group },
          message: `The ${proto}${rule.direction} rule of security group ${group.address} has an invalid port range: ${rule.ports.reason}`,
          key: 'ports',
        });
      }
    }
  },
});
