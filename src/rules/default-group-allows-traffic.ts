/**
 * Flags a VPC default security group that keeps or adds any rule: Terraform's aws_default_security_group, and in
 * CloudFormation rules added to `Fn::GetAtt <Vpc>.DefaultSecurityGroup`.
 */
import type { SecurityGroup } from '../model/types';
import { defineRule } from './api';
import { peerText } from './kit/peers';
import { describeTraffic } from './kit/traffic';

/** True for a VPC default group defined outside the input that the input adds rules to (CloudFormation). */
function isExternalDefaultGroup(group: SecurityGroup): boolean {
  return group.kind === 'external' && group.vpcDefault === true;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export default defineRule({
  meta: {
    id: 'default-group-allows-traffic',
    description: 'Require the default security group of a VPC to allow no traffic',
    defaultSeverity: 'error',
    tags: ['security', 'cis'],
    securitySeverity: '7.0',
    recommended: true,
    fix: 'Remove every rule from the VPC\'s default security group and give resources groups of their own',
    references: {
      cis: ['5.4'],
      securityHub: ['EC2.2'],
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html'],
    },
    options: {},
  },
  check(ctx) {
    for (const group of ctx.groups) {
      if (isExternalDefaultGroup(group)) {
        for (const rule of [...group.ingress, ...group.egress]) {
          const prep = rule.direction === 'ingress' ? 'from' : 'to';
          ctx.report({
            target: { rule, group },
            message: `Rule ${describeTraffic(rule)} ${prep} ${peerText(rule)} is added to the default security group of a VPC (${group.address}): the default group should have no rules`,
          });
        }
        continue;
      }
      if (group.kind !== 'default') continue;
      const ingress = group.ingress.length;
      const egress = group.egress.length;
      if (ingress + egress === 0) continue;
      ctx.report({
        target: { group },
        message: `Default security group ${group.address} allows traffic (${plural(ingress, 'ingress rule')}, ${plural(egress, 'egress rule')}): the default group of a VPC should have no rules, so resources that fall back to it get no access`,
      });
    }
  },
});
