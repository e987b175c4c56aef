/** Notes egress to the whole internet on every port or protocol, including CloudFormation's implicit default egress. */
import { defineRule } from './api';
import { egressMessage } from './kit/messages';
import { isUnrestrictedEgress, trafficKey } from './kit/traffic';
import { worstPerEntry } from './kit/variants';

/** Options of `unrestricted-egress`. */
export interface UnrestrictedEgressOptions {
  includeImplicit: boolean;
}

export default defineRule<UnrestrictedEgressOptions>({
  meta: {
    id: 'unrestricted-egress',
    description: 'Disallow egress to the whole internet on all ports and protocols',
    defaultSeverity: 'note',
    tags: ['security', 'egress'],
    securitySeverity: '2.0',
    recommended: false,
    fix: 'Allow egress only to the destinations and ports the workload needs',
    locate: 'peer',
    references: {
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html'],
    },
    options: {
      includeImplicit: {
        schema: { type: 'boolean' },
        default: true,
        description: "Also report CloudFormation's implicit allow-all egress of groups that declare no egress rule",
      },
    },
  },
  check(ctx) {
    for (const group of ctx.groups) {
      const rules = group.egress.filter((r) => isUnrestrictedEgress(r) && (ctx.options.includeImplicit || r.declaredAs !== 'implicit'));
      for (const { rule } of worstPerEntry(rules.map((rule) => ({ rule, rank: 0 })))) {
        ctx.report({ target: { rule, group }, message: egressMessage(group, rule, `Security group ${group.address}`), key: trafficKey(rule) });
      }
    }
  },
});
