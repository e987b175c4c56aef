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
    // Indexed loops and one call per direction: no iterator objects in code that runs per group before V8 optimises it.
    const groups = ctx.groups;
    for (let g = 0; g < groups.length; g++) {
      checkDirection(groups[g] as SecurityGroup, 'ingress');
      checkDirection(groups[g] as SecurityGroup, 'egress');
    }

    function checkDirection(group: SecurityGroup, direction: Direction): void {
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
      // Most groups are under the threshold in both families: nothing is built for them.
      if (count.ipv4 > threshold || count.ipv4 > quota) report(group, direction, 'IPv4', count.ipv4);
      if (count.ipv6 > threshold || count.ipv6 > quota) report(group, direction, 'IPv6', count.ipv6);
    }

    function report(group: SecurityGroup, direction: Direction, family: 'IPv4' | 'IPv6', n: number): void {
      const key = `${direction}/${family.toLowerCase()}`;
      const head = `Security group ${group.address} has ${n} ${family} ${direction} rules`;
      if (n > quota) {
        ctx.report({ target: { group }, severity: 'error', key, message: `${head}, more than AWS's quota of ${quota} per group, direction and family: the deployment fails unless the quota is raised` });
      } else {
        ctx.report({ target: { group }, key, message: `${head}, more than the threshold of ${threshold} (AWS's quota is ${quota})` });
      }
    }
  },
});
