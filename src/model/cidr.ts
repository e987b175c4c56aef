import type { IPv4CidrRange as IPv4CidrRangeType, IPv6CidrRange as IPv6CidrRangeType, collapseIPv6Number as CollapseType } from 'ip-num';
import type { CidrPeer, Peer } from './types';
import { quoteInput } from './quote';

/** Result of parsing a CIDR as written. */
export type CidrParse = { ok: true; peer: CidrPeer } | { ok: false; error: string };

const cache = new Map<string, CidrParse>();

/**
 * Parses an IPv4 or IPv6 CIDR. Host bits are accepted and cleared ("10.1.2.3/8" becomes "10.0.0.0/8", with `raw`
 * keeping what was written), as the EC2 API does. A bare address without a prefix is an error.
 *
 * Canonically written blocks (decimal octets without leading zeros; hexadecimal groups of 1-4 digits with at most one
 * `::`; a prefix without leading zeros) are read by plain arithmetic below; everything else (leading zeros, an IPv4
 * tail in IPv6, errors) goes to ip-num, which is loaded only then. Both give the same result for every input the fast
 * path accepts (test/model/cidr-fast.test.ts compares them on random and edge inputs).
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
    return { ok: false, error: `${quoteInput(raw)} is not a CIDR block (expected address/prefix, e.g. 10.0.0.0/16)` };
  }
  return (text.includes(':') ? parseIPv6Fast(text, raw) : parseIPv4Fast(text, raw)) ?? parseWithIpNum(text, raw);
}

/** Parses a CIDR with ip-num (the reference for what the fast paths accept, and the reader of everything else). */
export function parseWithIpNum(text: string, raw: string): CidrParse {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ipNum = require('ip-num') as { IPv4CidrRange: typeof IPv4CidrRangeType; IPv6CidrRange: typeof IPv6CidrRangeType; collapseIPv6Number: typeof CollapseType };
  try {
    const family = text.includes(':') ? 6 : 4;
    const range = family === 6 ? ipNum.IPv6CidrRange.fromCidr(text) : ipNum.IPv4CidrRange.fromCidr(text);
    const prefix = Number(range.getPrefix().getValue());
    const first = range.getFirst();
    const address = family === 6 ? ipNum.collapseIPv6Number(first.toString()) : first.toString();
    return {
      ok: true,
      peer: { kind: 'cidr', family, cidr: `${address}/${prefix}`, raw, prefix, first: first.getValue(), last: range.getLast().getValue() },
    };
  } catch {
    return { ok: false, error: `${quoteInput(raw)} is not a valid CIDR block` };
  }
}

/** The prefix after the slash at `start` when written without leading zeros and at most `max`; otherwise undefined. */
function canonicalPrefix(text: string, start: number, max: number): number | undefined {
  if (start >= text.length || (text.charCodeAt(start) === 48 && start + 1 < text.length)) return undefined;
  let n = 0;
  for (let i = start; i < text.length; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n <= max ? n : undefined;
}

/** `a.b.c.d/p` with decimal octets 0-255 without leading zeros and a canonical prefix 0-32; undefined otherwise. */
export function parseIPv4Fast(text: string, raw: string): CidrParse | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return undefined;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c === 47) {
      break;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  value = value * 256 + octet;
  const prefix = canonicalPrefix(text, i + 1, 32);
  if (prefix === undefined) return undefined;
  const size = 2 ** (32 - prefix);
  const first = value - (value % size);
  const address = `${Math.floor(first / 16777216)}.${Math.floor(first / 65536) % 256}.${Math.floor(first / 256) % 256}.${first % 256}`;
  return {
    ok: true,
    peer: { kind: 'cidr', family: 4, cidr: `${address}/${prefix}`, raw, prefix, first: BigInt(first), last: BigInt(first + size - 1) },
  };
}

/**
 * `h:h:...:h/p` with eight groups of 1-4 hexadecimal digits, or fewer with one `::`, and a canonical prefix 0-128;
 * undefined otherwise (an IPv4 tail, more digits, a stray colon).
 */
export function parseIPv6Fast(text: string, raw: string): CidrParse | undefined {
  const slash = text.indexOf('/');
  const head: number[] = [];
  const tail: number[] = [];
  let groups = head;
  let gap = false;
  let i = 0;
  if (text.startsWith('::')) {
    gap = true;
    groups = tail;
    i = 2;
  }
  while (i < slash) {
    let n = 0;
    let digits = 0;
    for (; i < slash; i++) {
      const c = text.charCodeAt(i);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) break;
      n = n * 16 + d;
      digits++;
    }
    if (digits === 0 || digits > 4) return undefined;
    groups.push(n);
    if (i === slash) break;
    if (text.charCodeAt(i) !== 58) return undefined;
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gap) return undefined;
      gap = true;
      groups = tail;
      i++;
    } else if (i === slash) {
      return undefined;
    }
  }
  const count = head.length + tail.length;
  if (gap ? count > 7 : count !== 8) return undefined;
  const prefix = canonicalPrefix(text, slash + 1, 128);
  if (prefix === undefined) return undefined;
  const hextets = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  let first = 0n;
  for (let k = 0; k < 8; k++) {
    const keep = Math.min(16, Math.max(0, prefix - 16 * k));
    const masked = keep === 0 ? 0 : (hextets[k] ?? 0) & ((0xffff << (16 - keep)) & 0xffff);
    hextets[k] = masked;
    first = (first << 16n) | BigInt(masked);
  }
  return {
    ok: true,
    peer: { kind: 'cidr', family: 6, cidr: `${collapse(hextets)}/${prefix}`, raw, prefix, first, last: first | ((1n << BigInt(128 - prefix)) - 1n) },
  };
}

/** Eight groups as text: lower-case hexadecimal, the longest run of two or more zero groups (the first of equals) as `::`. */
function collapse(hextets: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let k = 0; k < 8; ) {
    if (hextets[k] !== 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < 8 && hextets[end] === 0) end++;
    if (end - k > bestLength) {
      bestStart = k;
      bestLength = end - k;
    }
    k = end;
  }
  const hex = (from: number, to: number): string => hextets.slice(from, to).map((h) => h.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
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
