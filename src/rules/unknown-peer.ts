/** Notes a peer, protocol or port that sg-lint cannot know (ImportValue, SSM parameter, unknown plan value). */
import { describeConditions, isConditionalCondition } from '../model/conditions';
import { protocolName } from '../model/protocol';
import type { SgRule, Value } from '../model/types';
import { defineRule } from './api';
import { describeTraffic } from './kit/traffic';
import { conditionsOf, worstPerEntry } from './kit/variants';

/** Options of `unknown-peer`. */
export interface UnknownPeerOptions {
  includePorts: boolean;
}

type Field = 'peer' | 'protocol' | 'ports';

/** The reason a field is unknown, unless it is known or invalid (invalid values belong to the invalid-* rules). */
function unknownReason(value: Value<unknown>): string | undefined {
  return value.known || value.invalid ? undefined : value.reason;
}

function unknownFields(rule: SgRule, includePorts: boolean): [Field, string][] {
  const out: [Field, string][] = [];
  const peer = unknownReason(rule.peer);
  if (peer !== undefined) out.push(['peer', peer]);
  if (!includePorts) return out;
  const protocol = unknownReason(rule.protocol);
  if (protocol !== undefined) out.push(['protocol', protocol]);
  const ports = unknownReason(rule.ports);
  if (ports !== undefined && rule.protocol.known) out.push(['ports', ports]);
  return out;
}

/** True when some rule has a peer, protocol or ports that is not known (a superset of what `unknownFields` reports). */
function anyUnknown(rules: readonly SgRule[]): boolean {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as SgRule;
    if (!r.peer.known || !r.protocol.known || !r.ports.known) return true;
  }
  return false;
}

/** "The peer of the ingress rule tcp/22", "The ports of the tcp ingress rule", "The protocol of an egress rule". */
function subjectOf(field: Field, rule: SgRule): string {
  if (field === 'peer') return `The peer of the ${rule.direction} rule ${describeTraffic(rule)}`;
  if (field === 'ports' && rule.protocol.known) return `The ports of the ${protocolName(rule.protocol.value)} ${rule.direction} rule`;
  return `The protocol of an ${rule.direction} rule`;
}

export default defineRule<UnknownPeerOptions>({
  meta: {
    id: 'unknown-peer',
    description: 'Require peers and ports to be known to sg-lint so that no rule passes unchecked',
    defaultSeverity: 'note',
    tags: ['visibility'],
    recommended: true,
    fix: 'Give sg-lint the value (a parameter default, --parameters, --var-file) or accept the rule after checking it by hand',
    references: {
      urls: ['https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html'],
    },
    options: {
      includePorts: {
        schema: { type: 'boolean' },
        default: true,
        description: 'Also report unknown protocols and ports, not only unknown peers',
      },
    },
  },
  check(ctx) {
    for (const group of ctx.groups) {
      // Most groups know every peer, protocol and port: nothing to look for field by field.
      if (!anyUnknown(group.ingress) && !anyUnknown(group.egress)) continue;
      for (const field of ['peer', 'protocol', 'ports'] as const) {
        const rules = [...group.ingress, ...group.egress].filter((r) => unknownFields(r, ctx.options.includePorts).some(([f]) => f === field));
        for (const { rule } of worstPerEntry(rules.map((r) => ({ rule: r, rank: 0 })))) {
          const reason = unknownFields(rule, ctx.options.includePorts).find(([f]) => f === field)?.[1] ?? '';
          const conditional = conditionsOf(rule, group).filter(isConditionalCondition);
          const when = conditional.length > 0 ? ` ${describeConditions(conditional).join(', ')}` : '';
          ctx.report({
            target: { rule, group },
            message: `${subjectOf(field, rule)} of security group ${group.address} ${field === 'ports' ? 'are' : 'is'} not known to sg-lint (${reason})${when}: its exposure is not checked`,
            key: field,
            ...(rule.fieldLocations?.[field] !== undefined ? { location: rule.fieldLocations[field] } : {}),
          });
        }
      }
    }
  },
});
