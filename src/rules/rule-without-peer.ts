/** Flags a rule entry that names no CIDR, group or prefix list: CloudFormation silently creates nothing for it. */
import { preferredVariants } from '../model/exposure';
import { describeTraffic } from '../model/relations';
import { defineRule } from './define';

export default defineRule({
  meta: {
    id: 'rule-without-peer',
    description: 'Require every rule to name a CIDR, a security group or a prefix list',
    defaultSeverity: 'warning',
    tags: ['correctness'],
    recommended: true,
    references: {
      urls: ['https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1706'],
    },
    options: {},
  },
  check(ctx) {
    for (const group of ctx.groups) {
      const rules = [...group.ingress, ...group.egress].filter((r) => r.peer.known && r.peer.value.kind === 'none');
      for (const [rule] of preferredVariants(rules)) {
        if (!rule) continue;
        const side = rule.direction === 'ingress' ? 'source (CidrIp, CidrIpv6, SourceSecurityGroupId or SourcePrefixListId)' : 'destination (CidrIp, CidrIpv6, DestinationSecurityGroupId or DestinationPrefixListId)';
        ctx.report({
          target: { rule, group },
          message: `The ${rule.direction} rule ${describeTraffic(rule)} of security group ${group.address} names no ${side}: it allows nothing (CloudFormation silently skips it)`,
          key: rule.direction,
        });
      }
    }
  },
});
