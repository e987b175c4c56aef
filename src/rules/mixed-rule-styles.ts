/** Flags a Terraform group managed both by inline ingress/egress blocks and by separate rule resources. */
import { defineRule } from './api';

export default defineRule({
  meta: {
    id: 'mixed-rule-styles',
    description: 'Disallow managing one security group with both inline rule blocks and separate rule resources',
    defaultSeverity: 'warning',
    tags: ['correctness', 'terraform'],
    recommended: true,
    fix: 'Manage the group\'s rules either inline or as separate rule resources, not both',
    references: {
      urls: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group'],
    },
    options: {},
  },
  check(ctx) {
    for (const group of ctx.groups) {
      if (!group.mixedRuleStyles) continue;
      const rules = [...group.ingress, ...group.egress];
      const separate = [...new Set(rules.filter((r) => r.declaredAs === 'standalone').map((r) => r.resource))];
      const listed = separate.length > 0 ? ` (${separate.slice(0, 3).join(', ')}${separate.length > 3 ? ` and ${separate.length - 3} more` : ''})` : '';
      ctx.report({
        target: { group },
        message: `Security group ${group.address} has inline rules and is also managed by separate rule resources${listed}: each apply removes what the other added (a perpetual diff)`,
      });
    }
  },
});
