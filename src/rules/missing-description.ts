/** Notes security groups and rules without a description, or with Terraform's placeholder "Managed by Terraform". */
import type { SgRule, Value } from '../model/types';
import { defineRule } from './api';
import { peerText } from './kit/peers';
import { describeTraffic } from './kit/traffic';
import { preferredVariants } from './kit/variants';

/** Options of `missing-description`. */
export interface MissingDescriptionOptions {
  groups: boolean;
  rules: boolean;
  placeholders: string[];
}

/** Why a description is missing ("no description", "the placeholder ..."), or undefined when it is fine or unknown. */
function problem(description: Value<string | undefined>, placeholders: readonly string[]): string | undefined {
  if (!description.known) return undefined;
  const text = description.value?.trim() ?? '';
  if (text === '') return 'has no description';
  const placeholder = placeholders.find((p) => p.toLowerCase() === text.toLowerCase());
  return placeholder === undefined ? undefined : `has only the placeholder description "${placeholder}"`;
}

/** Rules written by the author and readable at all (an unreadable entry is reported by the invalid-* rules). */
function isDescribable(rule: SgRule): boolean {
  return rule.declaredAs !== 'implicit' && (rule.protocol.known || rule.peer.known);
}

function ruleLabel(rule: SgRule): string {
  const peer = rule.direction === 'ingress' ? `from ${peerText(rule)}` : `to ${peerText(rule)}`;
  return `${rule.direction === 'ingress' ? 'Ingress' : 'Egress'} rule ${describeTraffic(rule)} ${peer}`;
}

export default defineRule<MissingDescriptionOptions>({
  meta: {
    id: 'missing-description',
    description: 'Require a description on every security group and rule',
    defaultSeverity: 'note',
    tags: ['hygiene'],
    recommended: false,
    fix: 'Add a description that says who needs the access and why',
    references: {
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
    },
    options: {
      groups: {
        schema: { type: 'boolean' },
        default: true,
        description: 'Check group descriptions (default groups and groups defined outside the input are skipped)',
      },
      rules: {
        schema: { type: 'boolean' },
        default: true,
        description: "Check rule descriptions (CloudFormation's implicit default egress is skipped)",
      },
      placeholders: {
        schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        default: ['Managed by Terraform'],
        description: 'Descriptions that say nothing (compared case-insensitively); Terraform fills in "Managed by Terraform" when a group has none',
      },
    },
  },
  check(ctx) {
    const { placeholders } = ctx.options;
    for (const group of ctx.groups) {
      if (ctx.options.groups && group.kind === 'standard') {
        const why = problem(group.description, placeholders);
        if (why) ctx.report({ target: { group }, message: `Security group ${group.address} ${why}`, key: 'group' });
      }
      if (!ctx.options.rules) continue;
      for (const variant of preferredVariants([...group.ingress, ...group.egress].filter(isDescribable))) {
        const rule = variant[0];
        const why = rule && problem(rule.description, placeholders);
        if (rule && why) ctx.report({ target: { rule, group }, message: `${ruleLabel(rule)} of security group ${group.address} ${why}`, key: 'rule' });
      }
    }
  },
});
