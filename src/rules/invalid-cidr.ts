/** Flags a peer CIDR that is not a valid block (error) or that has host bits set, e.g. 10.1.2.3/8 (note). */
import { parseCidr } from '../model/cidr';
import { describeTraffic, worstPerEntry } from '../model/relations';
import type { CidrPeer, SgRule } from '../model/types';
import { defineRule } from './define';

/** Options of `invalid-cidr`. */
export interface InvalidCidrOptions {
  reportHostBits: boolean;
}

/** True when the address as written is not the network address of its block ("10.1.2.3/8"). */
export function hasHostBits(peer: CidrPeer): boolean {
  const address = peer.raw.trim().split('/')[0] ?? '';
  const host = parseCidr(`${address}/${peer.family === 4 ? 32 : 128}`);
  return host.ok && host.peer.first !== peer.first;
}

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
    for (const group of ctx.groups) {
      const rules = [...group.ingress, ...group.egress];
      const invalid = rules.filter((r) => !r.peer.known && r.peer.reason.startsWith('invalid:'));
      const hostBits = rules.filter((r) => r.peer.known && r.peer.value.kind === 'cidr' && hasHostBits(r.peer.value));
      const candidates = [...invalid, ...(ctx.options.reportHostBits ? hostBits : [])];
      for (const { rule } of worstPerEntry(candidates.map((r) => ({ rule: r, rank: invalid.includes(r) ? 0 : 1 })))) {
        const peer = rule.peer;
        if (!peer.known && peer.reason.startsWith('invalid:')) {
          ctx.report({ target: { rule, group }, message: `${label(rule, group.address)} has an invalid peer: ${peer.reason.slice('invalid:'.length).trim()}`, key: 'invalid' });
        } else if (peer.known && peer.value.kind === 'cidr' && hasHostBits(peer.value)) {
          const c = peer.value;
          ctx.report({
            target: { rule, group },
            severity: 'note',
            message: `${label(rule, group.address)} is written ${c.raw.trim()}, which has host bits set: AWS uses ${c.cidr} (${c.prefix === 0 ? 'the whole internet' : `prefix /${c.prefix}`})`,
            key: `host-bits ${c.cidr}`,
          });
        }
      }
    }
  },
});
