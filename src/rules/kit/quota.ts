/** Security-group rules counted as AWS counts them against its per-group quota. */
import type { SgRule } from '../../model/types';
import { byEntry } from './variants';

/** Rules of one group and direction as AWS counts them, per address family. */
export interface RuleCount {
  ipv4: number;
  ipv6: number;
}

/**
 * What one rule costs against the quota: a CIDR counts once in its family; a group reference or prefix list counts
 * once in both families (a customer-managed prefix list at its `maxEntries` when known); an unknown peer counts once
 * as IPv4; a rule without a peer (dropped by CloudFormation) costs nothing.
 */
export function ruleCost(rule: SgRule): RuleCount {
  if (!rule.peer.known) return { ipv4: 1, ipv6: 0 };
  const p = rule.peer.value;
  switch (p.kind) {
    case 'cidr':
      return p.family === 4 ? { ipv4: 1, ipv6: 0 } : { ipv4: 0, ipv6: 1 };
    case 'security-group':
      return { ipv4: 1, ipv6: 1 };
    case 'vpc-range':
      return { ipv4: 1, ipv6: 0 };
    case 'prefix-list': {
      const weight = prefixListWeight(p) ?? 1;
      return { ipv4: weight, ipv6: weight };
    }
    case 'none':
      return { ipv4: 0, ipv6: 0 };
  }
}

/**
 * Weights of AWS-managed prefix lists, from the Amazon VPC User Guide ("AWS-managed prefix list weight"): a reference
 * counts against the rules quota as this many rules. Keyed by list name; `{region}` is any Region.
 */
const MANAGED_WEIGHTS: readonly (readonly [RegExp, number])[] = [
  [/^com\.amazonaws\.global\.(?:ipv6\.)?cloudfront\.origin-facing$/, 55],
  [/^com\.amazonaws\.[a-z0-9-]+\.(?:ipv6\.)?route53-healthchecks$/, 25],
  [/^com\.amazonaws\.[a-z0-9-]+\.(?:ipv6\.)?vpc-lattice$/, 10],
  [/^com\.amazonaws\.[a-z0-9-]+\.s3express$/, 6],
  [/^com\.amazonaws\.global\.groundstation$/, 5],
  [/^com\.amazonaws\.[a-z0-9-]+\.(?:ipv6\.)?ec2-instance-connect$/, 2],
  [/^com\.amazonaws\.[a-z0-9-]+\.(?:s3|dynamodb)$/, 1],
];

/**
 * How many rules a prefix-list reference costs: a customer-managed list's `MaxEntries` when the input declares it, an
 * AWS-managed list's documented weight when the input names it; undefined when the input does not say.
 */
export function prefixListWeight(p: { id: string; maxEntries?: number }): number | undefined {
  if (p.maxEntries !== undefined) return p.maxEntries;
  // Every managed list's name starts so; a `pl-...` id (nearly every input) needs none of the patterns.
  if (!p.id.startsWith('com.amazonaws.')) return undefined;
  return MANAGED_WEIGHTS.find(([name]) => name.test(p.id))?.[1];
}

/**
 * Counts rules as AWS does, per family. Variants of one written entry (Fn::If branches, AllowedValues) count once,
 * at the largest variant per family; per-peer expansions of one entry (same assumptions) all count.
 */
export function countRules(rules: readonly SgRule[]): RuleCount {
  const total: RuleCount = { ipv4: 0, ipv6: 0 };
  // Rules that rest on no condition (nearly every group) are each entry's one variant: the count is their sum.
  let conditional = false;
  for (let i = 0; i < rules.length && !conditional; i++) conditional = (rules[i] as SgRule).conditions.length > 0;
  if (!conditional) {
    for (let i = 0; i < rules.length; i++) {
      const cost = ruleCost(rules[i] as SgRule);
      total.ipv4 += cost.ipv4;
      total.ipv6 += cost.ipv6;
    }
    return total;
  }
  // forEach and an indexed loop: no iterator objects in code not optimised yet (this runs per group and direction).
  byEntry(rules).forEach((variants) => {
    let v4 = 0;
    let v6 = 0;
    variants.forEach((list) => {
      let ipv4 = 0;
      let ipv6 = 0;
      for (let i = 0; i < list.length; i++) {
        const cost = ruleCost(list[i] as SgRule);
        ipv4 += cost.ipv4;
        ipv6 += cost.ipv6;
      }
      v4 = Math.max(v4, ipv4);
      v6 = Math.max(v6, ipv6);
    });
    total.ipv4 += v4;
    total.ipv6 += v6;
  });
  return total;
}
