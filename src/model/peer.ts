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

/**
 * A peer's identity, free of display text: the canonical CIDR ("10.20.0.0/16" however it was written), "sg:<ref>"
 * (with "@<owner>" for a cross-account group), "pl:<id>", "none". Equal exactly when AWS sees the same peer.
 */
export function canonicalPeer(peer: Peer): string {
  switch (peer.kind) {
    case 'cidr':
      return peer.cidr;
    case 'security-group':
      return `sg:${peer.ref}${peer.ownerId !== undefined ? `@${peer.ownerId}` : ''}`;
    case 'prefix-list':
      return `pl:${peer.id}`;
    case 'vpc-range':
      return `${peer.scope}-range:${peer.ref}`;
    case 'none':
      return 'none';
  }
}
