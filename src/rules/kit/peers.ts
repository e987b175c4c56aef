/** Who a rule's peer is: its class (world, public, private, trusted, ...) and how messages name it. */
import type { TrustedNetwork } from '../api';
import { cidrContains, isPrivateCidr } from '../../model/cidr';
import { describePeer } from '../../model/peer';
import type { CidrPeer, Peer, SgRule, Value } from '../../model/types';

/** How far a rule's peer reaches. */
export type PeerClass =
  | 'world'
  | 'near-world'
  | 'public'
  | 'private'
  | 'trusted'
  | 'group'
  | 'prefix-list'
  | 'none'
  | 'unknown';

/** Public CIDRs with this prefix length or shorter (a /8 or wider) are near-world by default. */
export const DEFAULT_NEAR_WORLD_PREFIX = 8;

/** Settings for peer classification. */
export interface ClassifyOptions {
  /** Public CIDRs whose prefix is at most this are `near-world` (default 8). */
  nearWorldPrefix?: number;
  /** Configured trusted networks: CIDRs inside one are `trusted`. */
  trustedNetworks?: readonly TrustedNetwork[];
}

/** The trusted network that contains the CIDR, if any. */
export function trustedNetworkOf(cidr: CidrPeer, networks: readonly TrustedNetwork[]): TrustedNetwork | undefined {
  return networks.find((n) => n.cidrs.some((c) => cidrContains(c, cidr)));
}

/**
 * Classifies a peer. Order of precedence: unknown, none, group, prefix-list, a VPC's or subnet's range (private); for
 * CIDRs world (prefix 0, either family, whatever the host bits), trusted, private (non-public space), near-world
 * (public and at least as wide as `nearWorldPrefix`), public.
 */
export function classifyPeer(peer: Value<Peer>, options: ClassifyOptions = {}): PeerClass {
  if (!peer.known) return 'unknown';
  const p = peer.value;
  switch (p.kind) {
    case 'none':
      return 'none';
    case 'security-group':
      return 'group';
    case 'prefix-list':
      return 'prefix-list';
    case 'vpc-range':
      // A VPC's or subnet's own range (at most a /16): traffic from inside the VPC, never the internet.
      return 'private';
    case 'cidr':
      return classifyCidr(p, options);
  }
}

function classifyCidr(c: CidrPeer, options: ClassifyOptions): PeerClass {
  if (c.prefix === 0) return 'world';
  if (trustedNetworkOf(c, options.trustedNetworks ?? [])) return 'trusted';
  if (isPrivateCidr(c)) return 'private';
  return c.prefix <= (options.nearWorldPrefix ?? DEFAULT_NEAR_WORLD_PREFIX) ? 'near-world' : 'public';
}

/** True for classes that include publicly routable addresses: world, near-world, public. */
export function isExposedClass(c: PeerClass): boolean {
  return c === 'world' || c === 'near-world' || c === 'public';
}

/** The rule's peer when it is a known CIDR. */
export function knownCidr(rule: SgRule): CidrPeer | undefined {
  return rule.peer.known && rule.peer.value.kind === 'cidr' ? rule.peer.value : undefined;
}

/** "the whole internet (0.0.0.0/0)", "the whole internet (1.2.3.4/0, i.e. 0.0.0.0/0)", "public range 8.8.8.0/24". */
export function describeExposedPeer(peer: Peer, cls: PeerClass): string {
  if (peer.kind !== 'cidr') return describePeer(peer);
  const cidr = peer.raw !== peer.cidr ? `${peer.raw}, i.e. ${peer.cidr}` : peer.cidr;
  switch (cls) {
    case 'world':
      return `the whole internet (${cidr})`;
    case 'near-world':
      return `the very wide public range ${cidr}`;
    case 'public':
      return `the public range ${cidr}`;
    default:
      return cidr;
  }
}

/** "the whole internet (0.0.0.0/0)"-free peer text: "10.0.0.0/8", "group AppSg", "an unknown peer". */
export function peerText(rule: SgRule): string {
  return rule.peer.known ? describePeer(rule.peer.value) : `an unknown peer (${rule.peer.reason})`;
}

/** True when the two known peers are the same peer as AWS compares them (canonical CIDR, group, prefix list). */
export function samePeer(a: Peer, b: Peer): boolean {
  return peerContains(a, b) && peerContains(b, a);
}

/**
 * True when peer `outer` includes every source or destination that `inner` names. CIDRs compare as ranges of the
 * same family; groups by reference and owner; prefix lists by id; VPC ranges by what names them (a range whose
 * addresses are not known contains no CIDR and is in none). A missing peer contains nothing.
 */
export function peerContains(outer: Peer, inner: Peer): boolean {
  if (outer.kind === 'cidr' && inner.kind === 'cidr') return cidrContains(outer, inner);
  if (outer.kind === 'security-group' && inner.kind === 'security-group') {
    return outer.ref === inner.ref && (outer.ownerId ?? '') === (inner.ownerId ?? '');
  }
  if (outer.kind === 'prefix-list' && inner.kind === 'prefix-list') return outer.id === inner.id;
  if (outer.kind === 'vpc-range' && inner.kind === 'vpc-range') return outer.ref === inner.ref;
  return false;
}
