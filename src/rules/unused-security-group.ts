/** Notes a security group that nothing in the input attaches or references. */
import type { SecurityGroup } from '../model/types';
import { defineRule } from './api';
import type { RuleContext } from './api';

/** Options of `unused-security-group`. */
export interface UnusedSecurityGroupOptions {
  countPeerReferences: boolean;
}

/** Addresses of groups the input uses: attached by a resource, or (optionally) named as the peer of another group's rule. */
function usedAddresses(ctx: RuleContext<UnusedSecurityGroupOptions>): Set<string> {
  const used = new Set<string>();
  for (const user of ctx.users) for (const g of user.groups) if (g.known) used.add(g.value);
  for (const group of ctx.groups) {
    if (group.attachments.length > 0) used.add(group.address);
    if (!ctx.options.countPeerReferences) continue;
    for (const rule of [...group.ingress, ...group.egress]) {
      const p = rule.peer;
      if (p.known && p.value.kind === 'security-group' && !p.value.self && p.value.ref !== group.address) used.add(p.value.ref);
    }
  }
  return used;
}

function isCandidate(group: SecurityGroup): boolean {
  return group.kind === 'standard';
}

export default defineRule<UnusedSecurityGroupOptions>({
  meta: {
    id: 'unused-security-group',
    description: 'Disallow security groups that nothing in the input attaches or references',
    defaultSeverity: 'note',
    tags: ['hygiene'],
    recommended: false,
    fix: 'Delete the group, or attach it where it is meant to be used',
    references: {
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/working-with-security-groups.html'],
    },
    options: {
      countPeerReferences: {
        schema: { type: 'boolean' },
        default: true,
        description: "Count a group named as the source or destination of another group's rule as used (a client group for another stack's service)",
      },
    },
  },
  check(ctx) {
    // A resource that attaches groups sg-lint cannot resolve (a variable, an import) may use any of them.
    if (ctx.users.some((u) => u.groups.some((g) => !g.known))) return;
    const used = usedAddresses(ctx);
    for (const group of ctx.groups) {
      if (!isCandidate(group) || used.has(group.address)) continue;
      ctx.report({
        target: { group },
        message: `Security group ${group.address} is not attached to any resource in this input and no other group refers to it`,
      });
    }
  },
});
