/**
 * Flags two rules of one group and direction that admit the same traffic from the same peer. AWS rejects the second
 * (InvalidPermission.Duplicate, or InvalidParameterValue within one request), except for duplicates inside one
 * CloudFormation AWS::EC2::SecurityGroup: CloudFormation ignores that failure and creates the rule once, which later
 * makes removing either copy delete the rule (cloudformation-coverage-roadmap#612, #1532, #1534).
 */
import type { SgRule } from '../model/types';
import { defineRule } from './api';
import { listElementOf, ruleKey, sameRuleKey, sameRulePlace, whereWritten } from './kit/containment';
import { assumptionSuffix } from './kit/messages';
import { peerText } from './kit/peers';
import { describeTraffic } from './kit/traffic';
import { anyConditional, canCoexist } from './kit/variants';

/** Lists up to this long (nearly every group's) are compared pairwise; longer ones by key. */
const PAIRWISE_LIMIT = 8;

/**
 * For each rule, the earlier rule it duplicates (the first one found), in input order. Rules are bucketed by
 * `sameRuleKey`, so a rule is compared only with the earlier rules identical to it, and only until one of them can
 * coexist with it: linear in practice, quadratic only when many identical rules are alternatives of each other
 * (different Fn::If branches of one entry, contradicting conditions).
 */
export function findDuplicates(rules: readonly SgRule[]): { rule: SgRule; original: SgRule }[] {
  const out: { rule: SgRule; original: SgRule }[] = [];
  if (rules.length <= PAIRWISE_LIMIT) {
    // The first earlier rule with the same key that can exist together with this one, as below, found by pairs.
    for (let i = 1; i < rules.length; i++) {
      const rule = rules[i] as SgRule;
      for (let j = 0; j < i; j++) {
        const original = rules[j] as SgRule;
        if (sameRulePlace(original, rule) && canCoexist(original, rule)) {
          out.push({ rule, original });
          break;
        }
      }
    }
    return out;
  }
  const earlier = new Map<string, SgRule[]>();
  for (const rule of rules) {
    const key = sameRuleKey(rule);
    if (key === undefined) continue;
    const same = earlier.get(key);
    if (!same) {
      earlier.set(key, [rule]);
      continue;
    }
    const original = same.find((a) => canCoexist(a, rule));
    if (original) out.push({ rule, original });
    same.push(rule);
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'duplicate-rule',
    description: 'Disallow two rules in one security group and direction with the same protocol, ports and peer',
    defaultSeverity: 'error',
    tags: ['correctness', 'deploy'],
    recommended: true,
    fix: 'Delete one of the two identical rules',
    references: {
      urls: [
        'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html',
        'https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1534',
        'https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/612',
      ],
    },
    options: {},
  },
  check(ctx) {
    for (const group of ctx.groups) {
      for (const direction of ['ingress', 'egress'] as const) {
        // Every rule of the direction, the implicit egress included (writtenRules(group, direction, true), uncopied).
        for (const { rule, original } of findDuplicates(direction === 'ingress' ? group.ingress : group.egress)) {
          const both = [original, rule];
          const what = `the ${direction} rule ${describeTraffic(rule)} ${direction === 'ingress' ? 'from' : 'to'} ${peerText(rule)}`;
          const verb = anyConditional(both) ? 'can have' : 'has';
          const inline = rule.declaredAs === 'inline' && original.declaredAs === 'inline';
          const cloudFormation = ctx.format.startsWith('cloudformation') || ctx.format === 'cdk';
          const consequence = !inline
            ? 'AWS rejects the deployment with InvalidPermission.Duplicate'
            : cloudFormation
              ? 'CloudFormation creates the rule once and ignores the copy, so the stack drifts and removing either copy later deletes the rule'
              : 'AWS rejects the deployment (InvalidParameterValue: the same permission must not appear multiple times)';
          const message = `Security group ${group.address} ${verb} ${what} twice (${original.declaredAs === 'implicit' ? 'the first is' : 'first at'} ${whereWritten(original, group)})${assumptionSuffix(both)}: ${consequence}`;
          // Inline duplicates in CloudFormation deploy (one rule is created); everywhere else the deployment fails.
          const element = listElementOf(rule, group);
          ctx.report({
            target: { rule, group },
            message,
            key: ruleKey(rule),
            ...(element ? { location: element } : {}),
            ...(inline && cloudFormation ? { severity: 'warning' as const } : {}),
          });
        }
      }
    }
  },
});
