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
  // Indexed loops, and the description built once at the end: this runs for every resource that uses groups.
  let count = 0;
  let group = '';
  /** Which count won: 0 ingress IPv4, 1 ingress IPv6, 2 egress IPv4, 3 egress IPv6. */
  let what = -1;
  const refs = user.groups;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i] as GroupUser['groups'][number];
    const g = ref.known ? groups.get(ref.value) : undefined;
    if (!g) continue;
    const ingress = countRules(g.ingress);
    const egress = countRules(g.egress);
    // In the order ingress IPv4, ingress IPv6, egress IPv4, egress IPv6; only a larger count replaces the best.
    for (let k = 0; k < 4; k++) {
      const c = k < 2 ? ingress : egress;
      const n = k % 2 === 0 ? c.ipv4 : c.ipv6;
      if (n <= count) continue;
      count = n;
      group = g.address;
      what = k;
    }
  }
  return { count, group, what: what < 0 ? '' : `${what % 2 === 0 ? 'IPv4' : 'IPv6'} ${what < 2 ? 'ingress' : 'egress'}` };
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
      const head = (): string => `${user.resource} (${user.type}) attaches ${n} security groups`;
      if (n > ctx.options.maxGroups) {
        ctx.report({ target: { user }, key: 'groups', message: `${head()}, more than the ${ctx.options.maxGroups} allowed per network interface: the deployment fails unless the quota is raised` });
      }
      const largest = largestRuleCount(user, byAddress);
      const product = largest.count * n;
      if (product > ctx.options.maxRulesTimesGroups) {
        ctx.report({
          target: { user },
          key: 'rules-x-groups',
          message: `${head()} and ${largest.group} has ${largest.count} ${largest.what} rules: ${largest.count} x ${n} = ${product} exceeds AWS's limit of ${ctx.options.maxRulesTimesGroups} rules per group x groups per network interface`,
        });
      }
    }
  },
});
