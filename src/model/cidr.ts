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
    if (text.includes(':')) {
      const range = IPv6CidrRange.fromCidr(text);
      const prefix = Number(range.getPrefix().getValue());
      const first = range.getFirst();
      return {
        ok: true,
        peer: {
          kind: 'cidr',
          family: 6,
          cidr: `${collapseIPv6Number(first.toString())}/${prefix}`,
          raw,
          prefix,
          first: first.getValue(),
          last: range.getLast().getValue(),
        },
      };
    }
    const range = IPv4CidrRange.fromCidr(text);
    const prefix = Number(range.getPrefix().getValue());
    const first = range.getFirst();
    return {
      ok: true,
      peer: {
        kind: 'cidr',
        family: 4,
        cidr: `${first.toString()}/${prefix}`,
        raw,
        prefix,
        first: first.getValue(),
        last: range.getLast().getValue(),
      },
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

function block(cidr: string, label: string): Block {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(`bad built-in CIDR ${cidr}`);
  return { family: parsed.peer.family, first: parsed.peer.first, last: parsed.peer.last, label };
}

/** Address space that is not reachable from the public internet (RFC 1918, CGNAT, loopback, link-local, ULA, ...). */
export const NON_PUBLIC_BLOCKS: readonly Block[] = [
  block('10.0.0.0/8', 'private (RFC 1918)'),
  block('172.16.0.0/12', 'private (RFC 1918)'),
  block('192.168.0.0/16', 'private (RFC 1918)'),
  block('100.64.0.0/10', 'carrier-grade NAT (RFC 6598)'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local'),
  block('0.0.0.0/8', '"this network"'),
  block('192.0.0.0/24', 'IETF protocol assignments'),
  block('192.0.2.0/24', 'documentation (TEST-NET-1)'),
  block('198.51.100.0/24', 'documentation (TEST-NET-2)'),
  block('203.0.113.0/24', 'documentation (TEST-NET-3)'),
  block('198.18.0.0/15', 'benchmarking'),
  block('224.0.0.0/4', 'multicast'),
  block('240.0.0.0/4', 'reserved'),
  block('fc00::/7', 'unique local (ULA)'),
  block('fe80::/10', 'link-local'),
  block('::1/128', 'loopback'),
  block('2001:db8::/32', 'documentation'),
  block('ff00::/8', 'multicast'),
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

/** Number of addresses in the CIDR. */
export function cidrSize(c: CidrPeer): bigint {
  return c.last - c.first + 1n;
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
