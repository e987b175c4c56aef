/** Flags a resource that attaches more security groups than AWS allows per network interface, or breaks the rules x groups limit. */
import type { GroupUser, SecurityGroup } from '../model/types';
import { defineRule } from './api';
import { countRules } from './kit/quota';

/** Options of `too-many-groups-per-resource`. */
export interface TooManyGroupsPerResourceOptions {
  maxGroups: number;
  maxRulesTimesGroups: number;
}

/** The largest rule count of one direction and family among the resource's groups in the input. */
export function largestRuleCount(user: GroupUser, groups: ReadonlyMap<string, SecurityGroup>): { count: number; group: string; what: string } {
  let best = { count: 0, group: '', what: '' };
  for (const ref of user.groups) {
    const group = ref.known ? groups.get(ref.value) : undefined;
    if (!group) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      const c = countRules(direction === 'ingress' ? group.ingress : group.egress);
      for (const [family, n] of [['IPv4', c.ipv4], ['IPv6', c.ipv6]] as const) {
        if (n > best.count) best = { count: n, group: group.address, what: `${family} ${direction}` };
      }
    }
  }
  return best;
}

export default defineRule<TooManyGroupsPerResourceOptions>({
  meta: {
    id: 'too-many-groups-per-resource',
    description: 'Enforce AWS limits on security groups per network interface and on rules per group times groups per interface',
    defaultSeverity: 'error',
    tags: ['quota', 'deploy'],
    recommended: true,
    fix: 'Attach fewer groups (merge groups with the same purpose) or raise the quota',
    references: {
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups'],
    },
    options: {
      maxGroups: {
        schema: { type: 'integer', minimum: 1, maximum: 16 },
        default: 5,
        description: "Most security groups one resource (network interface) may attach: AWS's default quota is 5, adjustable up to 16",
      },
      maxRulesTimesGroups: {
        schema: { type: 'integer', minimum: 1 },
        default: 1000,
        description: 'Limit on rules per group times groups per network interface, which no quota increase can lift',
      },
    },
  },
  check(ctx) {
    const byAddress = new Map(ctx.groups.map((g) => [g.address, g]));
    for (const user of ctx.users) {
      const n = user.groups.length;
      const head = `${user.resource} (${user.type}) attaches ${n} security groups`;
      if (n > ctx.options.maxGroups) {
        ctx.report({ target: { user }, key: 'groups', message: `${head}, more than the ${ctx.options.maxGroups} allowed per network interface: the deployment fails unless the quota is raised` });
      }
      const largest = largestRuleCount(user, byAddress);
      const product = largest.count * n;
      if (product > ctx.options.maxRulesTimesGroups) {
        ctx.report({
          target: { user },
          key: 'rules-x-groups',
          message: `${head} and ${largest.group} has ${largest.count} ${largest.what} rules: ${largest.count} x ${n} = ${product} exceeds AWS's limit of ${ctx.options.maxRulesTimesGroups} rules per group x groups per network interface`,
        });
      }
    }
  },
});
