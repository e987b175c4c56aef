/** Flags a rule entry that names no CIDR, group or prefix list: it allows nothing (CloudFormation silently skips it). */
import { defineRule } from './api';
import { describeTraffic } from './kit/traffic';
import { preferredVariants } from './kit/variants';

export default defineRule({
  meta: {
    id: 'rule-without-peer',
    description: 'Require every rule to name a CIDR, a security group or a prefix list',
    defaultSeverity: 'warning',
    tags: ['correctness'],
    recommended: true,
    fix: 'Name a CIDR, a security group or a prefix list in the rule, or delete it',
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
        const side = rule.direction === 'ingress' ? 'source' : 'destination';
        ctx.report({
          target: { rule, group },
          message: `The ${rule.direction} rule ${describeTraffic(rule)} of security group ${group.address} names no ${side} (no CIDR, security group or prefix list): it allows nothing`,
          key: rule.direction,
        });
      }
    }
  },
});
