/** Flags a group whose rules in one direction exceed a threshold, or AWS's per-family rules quota. */
import type { Direction, SecurityGroup, SgRule } from '../model/types';
import { defineRule } from './api';
import { countRules, prefixListWeight } from './kit/quota';

/** Options of `excessive-rules`. */
export interface ExcessiveRulesOptions {
  threshold: number;
  quota: number;
}

function rulesOf(group: SecurityGroup, direction: Direction): SgRule[] {
  return direction === 'ingress' ? group.ingress : group.egress;
}

export default defineRule<ExcessiveRulesOptions>({
  meta: {
    id: 'excessive-rules',
    description: 'Enforce a maximum number of rules per security group, direction and address family',
    defaultSeverity: 'warning',
    tags: ['quota', 'hygiene'],
    recommended: true,
    fix: 'Merge adjacent CIDRs and port ranges, use a managed prefix list, or split the group by purpose',
    references: {
      urls: [
        'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups',
        'https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html#aws-managed-prefix-list-weights',
      ],
    },
    options: {
      threshold: {
        schema: { type: 'integer', minimum: 1 },
        default: 50,
        description: 'More rules than this in one group, direction and family is a warning',
      },
      quota: {
        schema: { type: 'integer', minimum: 1 },
        default: 60,
        description: "More rules than this is an error: AWS's default quota of inbound or outbound rules per group and family (raise it if your account's quota is higher)",
      },
    },
  },
  check(ctx) {
    const { threshold, quota } = ctx.options;
    for (const group of ctx.groups) {
      for (const direction of ['ingress', 'egress'] as const) {
        const rules = rulesOf(group, direction);
        const count = countRules(rules);
        // Prefix lists of unknown weight matter only to a group near the threshold: looked for only then.
        const near = count.ipv4 > threshold / 2 || count.ipv6 > threshold / 2;
        const unweighed = near
          ? [...new Set(rules.flatMap((r) => (r.peer.known && r.peer.value.kind === 'prefix-list' && prefixListWeight(r.peer.value) === undefined ? [r.peer.value.id] : [])))]
          : [];
        if (unweighed.length > 0 && near) {
          ctx.report({
            target: { group },
            severity: 'note',
            key: `${direction}/prefix-list-weight`,
            message: `Security group ${group.address} counts prefix list ${unweighed.join(', ')} as one ${direction} rule each; AWS counts a prefix list at its maximum entries, which the input does not say, so the ${direction} rules may exceed the quota`,
          });
        }
        for (const [family, n] of [['IPv4', count.ipv4], ['IPv6', count.ipv6]] as const) {
          const key = `${direction}/${family.toLowerCase()}`;
          const head = `Security group ${group.address} has ${n} ${family} ${direction} rules`;
          if (n > quota) {
            ctx.report({ target: { group }, severity: 'error', key, message: `${head}, more than AWS's quota of ${quota} per group, direction and family: the deployment fails unless the quota is raised` });
          } else if (n > threshold) {
            ctx.report({ target: { group }, key, message: `${head}, more than the threshold of ${threshold} (AWS's quota is ${quota})` });
          }
        }
      }
    }
  },
});
