/**
 * Flags a peer CIDR that is not a valid block (error) or that has host bits set, e.g. 10.1.2.3/8: a note where AWS
 * accepts it (CloudFormation, CDK), an error where the tool refuses it (`terraform validate`).
 */
import { parseCidr } from '../model/cidr';
import type { CidrPeer, SgRule } from '../model/types';
import { defineRule } from './api';
import { describeTraffic } from './kit/traffic';
import { worstPerEntry } from './kit/variants';
import type { Ranked } from './kit/variants';

/** Options of `invalid-cidr`. */
export interface InvalidCidrOptions {
  reportHostBits: boolean;
}

/** True when the address as written is not the network address of its block ("10.1.2.3/8"). */
export function hasHostBits(peer: CidrPeer): boolean {
  // Written in canonical form: nothing to parse (parsing is the costly part for groups of thousands of rules).
  if (peer.raw.trim() === peer.cidr) return false;
  const address = peer.raw.trim().split('/')[0] ?? '';
  const host = parseCidr(`${address}/${peer.family === 4 ? 32 : 128}`);
  return host.ok && host.peer.first !== peer.first;
}

/** A rule to report: an invalid peer with the reason, or a CIDR with host bits set. */
type Candidate = Ranked & ({ reason: string } | { cidr: CidrPeer });

function label(rule: SgRule, group: string): string {
  return `The ${rule.direction} rule ${describeTraffic(rule)} of security group ${group}`;
}

export default defineRule<InvalidCidrOptions>({
  meta: {
    id: 'invalid-cidr',
    description: 'Disallow invalid CIDR blocks and CIDR blocks with host bits set',
    defaultSeverity: 'error',
    tags: ['correctness', 'deploy'],
    recommended: true,
    fix: 'Write the network address with host bits cleared (10.1.0.0/16, not 10.1.2.3/16), or fix the typo',
    locate: 'peer',
    references: {
      urls: ['https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html'],
    },
    options: {
      reportHostBits: {
        schema: { type: 'boolean' },
        default: true,
        description: 'Also note CIDRs whose address has host bits set (10.1.2.3/8 means 10.0.0.0/8), which often hides a wrong prefix length',
      },
    },
  },
  check(ctx) {
    // AWS accepts a block with host bits and uses its network address; `terraform validate` refuses it (see
    // docs/rules/invalid-cidr.md), so in Terraform inputs it is a deploy error, not a note.
    const rejectsHostBits = ctx.format.startsWith('terraform');
    for (const group of ctx.groups) {
      // One pass over the rules: invalid peers (rank 0) before host bits (rank 1), as worstPerEntry keeps list order.
      const invalid: Candidate[] = [];
      const hostBits: Candidate[] = [];
      for (const rule of [...group.ingress, ...group.egress]) {
        const peer = rule.peer;
        if (!peer.known) {
          if (peer.invalid) invalid.push({ rule, rank: 0, reason: peer.reason });
        } else if ((ctx.options.reportHostBits || rejectsHostBits) && peer.value.kind === 'cidr' && hasHostBits(peer.value)) {
          hostBits.push({ rule, rank: 1, cidr: peer.value });
        }
      }
      for (const found of worstPerEntry([...invalid, ...hostBits])) {
        const rule = found.rule;
        if ('reason' in found) {
          ctx.report({ target: { rule, group }, message: `${label(rule, group.address)} has an invalid peer: ${found.reason}`, key: 'invalid' });
          continue;
        }
        const c = found.cidr;
        if (rejectsHostBits) {
          ctx.report({
            target: { rule, group },
            message: `${label(rule, group.address)} is written ${c.raw.trim()}, which has host bits set: terraform validate rejects it (write ${c.cidr})`,
            key: `host-bits ${c.cidr}`,
          });
          continue;
        }
        ctx.report({
          target: { rule, group },
          severity: 'note',
          message: `${label(rule, group.address)} is written ${c.raw.trim()}, which has host bits set: AWS uses ${c.cidr} (${c.prefix === 0 ? 'the whole internet' : `prefix /${c.prefix}`})`,
          key: `host-bits ${c.cidr}`,
        });
      }
    }
  },
});
