/**
 * Reports what the parser found written in a way AWS or the input's own tool refuses at deploy time: unknown or
 * misspelled property names, several peers in one rule entry, a mapping where a list of rule entries belongs, a
 * missing GroupDescription. One finding per problem, where it is written; the exposure of what was written is still
 * judged by the other rules.
 */
import type { DeployProblem } from '../model/types';
import { defineRule } from './api';

export default defineRule({
  meta: {
    id: 'invalid-property',
    description: 'Disallow security-group properties that AWS rejects at deploy time, such as misspelled names or several peers in one rule',
    defaultSeverity: 'error',
    tags: ['correctness', 'deploy'],
    recommended: true,
    fix: 'Remove or rename the property AWS rejects, or split the value as the resource type expects',
    references: {
      urls: [
        'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html',
        'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupingress.html',
      ],
    },
    options: {},
  },
  check(ctx) {
    const seen = new Set<string>();
    const once = (p: DeployProblem): boolean => {
      const key = `${p.location.line}:${p.location.column}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    for (const group of ctx.groups) {
      for (const p of group.deployProblems ?? []) {
        if (once(p)) ctx.report({ target: { group }, message: `Security group ${group.address}: ${p.message}`, location: p.location, key: p.message });
      }
      for (const rule of [...group.ingress, ...group.egress]) {
        for (const p of rule.deployProblems ?? []) {
          if (once(p)) ctx.report({ target: { rule, group }, message: `Security group ${group.address}: ${p.message}`, location: p.location, key: p.message });
        }
      }
    }
  },
});
