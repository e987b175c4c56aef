import type { Peer } from './types';

/** How a peer is named in messages: "0.0.0.0/0", "group WebSg", "prefix list pl-123", "the VPC range data.aws_vpc.main.cidr_block", "no peer". */
export function describePeer(peer: Peer): string {
  switch (peer.kind) {
    case 'cidr':
      return peer.raw !== peer.cidr ? `${peer.cidr} (written ${peer.raw})` : peer.cidr;
    case 'security-group':
      return peer.self ? 'the group itself' : `group ${peer.ref}`;
    case 'prefix-list':
      return `prefix list ${peer.id}`;
    case 'vpc-range':
      return `the ${peer.scope === 'vpc' ? 'VPC' : 'subnet'} range ${peer.ref}`;
    case 'none':
      return 'no peer';
  }
}
