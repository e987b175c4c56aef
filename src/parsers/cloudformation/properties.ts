/**
 * The properties CloudFormation accepts on security groups and their rules (AWS::EC2::SecurityGroup, its Ingress and
 * Egress property types, AWS::EC2::SecurityGroupIngress and AWS::EC2::SecurityGroupEgress, from the CloudFormation
 * resource reference). CloudFormation's template validation rejects any other property name, so a misspelled
 * `CidrIP` or `SecurityGroupIngres` is a deploy error, not a rule that silently does nothing.
 */
import type { DeployProblem } from '../../model/types';
import type { MapNode } from '../shared/tree';
import type { Template } from './template';

const RULE_COMMON = ['IpProtocol', 'FromPort', 'ToPort', 'Description', 'CidrIp', 'CidrIpv6'];
const INGRESS_ENTRY = [...RULE_COMMON, 'SourcePrefixListId', 'SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourceSecurityGroupOwnerId'];
const EGRESS_ENTRY = [...RULE_COMMON, 'DestinationPrefixListId', 'DestinationSecurityGroupId'];

/** Property names by what they belong to. */
export const PROPERTIES = {
  'AWS::EC2::SecurityGroup': new Set(['GroupDescription', 'GroupName', 'SecurityGroupEgress', 'SecurityGroupIngress', 'Tags', 'VpcId']),
  'AWS::EC2::SecurityGroupIngress': new Set([...INGRESS_ENTRY, 'GroupId', 'GroupName']),
  'AWS::EC2::SecurityGroupEgress': new Set([...EGRESS_ENTRY, 'GroupId']),
  ingress: new Set(INGRESS_ENTRY),
  egress: new Set(EGRESS_ENTRY),
} as const;

/**
 * A deploy problem for each key of `node` that is not one of `allowed`, at the key, naming the property it most likely
 * means. `what` names the owner in messages ("an ingress rule entry", "AWS::EC2::SecurityGroup").
 */
export function unknownProperties(tpl: Template, node: MapNode, allowed: ReadonlySet<string>, what: string): DeployProblem[] {
  const out: DeployProblem[] = [];
  for (const entry of node.entries.values()) {
    if (allowed.has(entry.key)) continue;
    const meant = closest(entry.key, allowed);
    out.push({
      message: `${entry.key} is not a property of ${what}${meant ? ` (did you mean ${meant}?)` : ''}: CloudFormation rejects the template`,
      location: tpl.keyLoc(entry),
    });
  }
  return out;
}

/** The allowed name `key` is most likely a misspelling of: same letters ignoring case, or at most 2 edits away. */
function closest(key: string, allowed: ReadonlySet<string>): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of allowed) {
    if (name.toLowerCase() === lower) return name;
    const d = editDistance(lower, name.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, answering `cap` as soon as it is certain to reach it (keys are short). */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let min = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < min) min = v;
    }
    if (min >= cap) return cap;
    prev = row;
  }
  return Math.min(prev[b.length] ?? cap, cap);
}
