import { collapseIPv6Number, IPv4CidrRange, IPv6CidrRange } from 'ip-num';
import type { CidrPeer, Peer } from './types';

/** Result of parsing a CIDR as written. */
export type CidrParse = { ok: true; peer: CidrPeer } | { ok: false; error: string };

const cache = new Map<string, CidrParse>();

/**
 * Parses an IPv4 or IPv6 CIDR with ip-num. Host bits are accepted and cleared ("10.1.2.3/8" becomes "10.0.0.0/8",
 * with `raw` keeping what was written), as the EC2 API does. A bare address without a prefix is an error.
 */
export function parseCidr(raw: string): CidrParse {
  const hit = cache.get(raw);
  if (hit) return hit;
  const result = parseUncached(raw);
  if (cache.size > 10000) cache.clear();
  cache.set(raw, result);
  return result;
}

function parseUncached(raw: string): CidrParse {
  const text = raw.trim();
  if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(text)) {
    return { ok: false, error: `"${raw}" is not a CIDR block (expected address/prefix, e.g. 10.0.0.0/16)` };
  }
  try {
    const family = text.includes(':') ? 6 : 4;
    const range = family === 6 ? IPv6CidrRange.fromCidr(text) : IPv4CidrRange.fromCidr(text);
    const prefix = Number(range.getPrefix().getValue());
    const first = range.getFirst();
    const address = family === 6 ? collapseIPv6Number(first.toString()) : first.toString();
    return {
      ok: true,
      peer: { kind: 'cidr', family, cidr: `${address}/${prefix}`, raw, prefix, first: first.getValue(), last: range.getLast().getValue() },
    };
  } catch {
    return { ok: false, error: `"${raw}" is not a valid CIDR block` };
  }
}

interface Block {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  label: string;
}

/** A built-in IPv4 block from dotted notation; plain arithmetic, so loading this module parses nothing. */
function v4(cidr: string, label: string): Block {
  const [address = '', prefix = '0'] = cidr.split('/');
  const first = address.split('.').reduce((n, octet) => n * 256n + BigInt(octet), 0n);
  return { family: 4, first, last: first + (1n << BigInt(32 - Number(prefix))) - 1n, label };
}

/** A built-in IPv6 block from its leading 16-bit groups ([0xfc00] for fc00::/7). */
function v6(groups: readonly number[], prefix: number, label: string): Block {
  const first = groups.reduce((n, g, i) => n | (BigInt(g) << BigInt(112 - 16 * i)), 0n);
  return { family: 6, first, last: first + (1n << BigInt(128 - prefix)) - 1n, label };
}

/** Address space that is not reachable from the public internet (RFC 1918, CGNAT, loopback, link-local, ULA, ...). */
export const NON_PUBLIC_BLOCKS: readonly Block[] = [
  v4('10.0.0.0/8', 'private (RFC 1918)'),
  v4('172.16.0.0/12', 'private (RFC 1918)'),
  v4('192.168.0.0/16', 'private (RFC 1918)'),
  v4('100.64.0.0/10', 'carrier-grade NAT (RFC 6598)'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('0.0.0.0/8', '"this network"'),
  v4('192.0.0.0/24', 'IETF protocol assignments'),
  v4('192.0.2.0/24', 'documentation (TEST-NET-1)'),
  v4('198.51.100.0/24', 'documentation (TEST-NET-2)'),
  v4('203.0.113.0/24', 'documentation (TEST-NET-3)'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
  v6([0xfc00], 7, 'unique local (ULA)'),
  v6([0xfe80], 10, 'link-local'),
  v6([0, 0, 0, 0, 0, 0, 0, 1], 128, 'loopback'),
  v6([0x2001, 0x0db8], 32, 'documentation'),
  v6([0xff00], 8, 'multicast'),
];

/** True for a CIDR with prefix length 0 in either family: the whole internet. */
export function isWorldCidr(c: CidrPeer): boolean {
  return c.prefix === 0;
}

/** True for a peer that is a CIDR covering the whole address space of its family (0.0.0.0/0, ::/0, 1.2.3.4/0). */
export function isWorld(peer: Peer): boolean {
  return peer.kind === 'cidr' && peer.prefix === 0;
}

/** True when the CIDR lies entirely inside non-public address space. */
export function isPrivateCidr(c: CidrPeer): boolean {
  return NON_PUBLIC_BLOCKS.some((b) => b.family === c.family && b.first <= c.first && c.last <= b.last);
}

/** True when the CIDR includes at least one publicly routable address. */
export function isPublicCidr(c: CidrPeer): boolean {
  return !isPrivateCidr(c);
}

/** True when the peer is a CIDR that includes public addresses (group references and prefix lists are not). */
export function isPublic(peer: Peer): boolean {
  return peer.kind === 'cidr' && isPublicCidr(peer);
}

/** True when CIDR `inner` lies inside `outer` (same family). */
export function cidrContains(outer: CidrPeer, inner: CidrPeer): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/**
 * True when the union of the blocks covers the whole address space of `family` (e.g. 0.0.0.0/1 + 128.0.0.0/1).
 * Sorts and merges [first, last] intervals; linear after the sort.
 */
export function unionCoversFamily(cidrs: readonly CidrPeer[], family: 4 | 6): boolean {
  const max = family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
  const ranges = cidrs.filter((c) => c.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let next = 0n;
  for (const r of ranges) {
    if (r.first > next) return false;
    if (r.last + 1n > next) next = r.last + 1n;
    if (next > max) return true;
  }
  return next > max;
}
