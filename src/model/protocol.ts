import { quoteInput } from './quote';
import type { Protocol } from './types';

/** Result of normalizing a protocol as written: the protocol, or why it is invalid. */
export type ProtocolParse = { ok: true; protocol: Protocol } | { ok: false; error: string };

/** Names and numbers AWS accepts, keyed by input text: a `Map`, so `constructor` or `__proto__` is just unknown text. */
const NAMED: ReadonlyMap<string, Protocol> = new Map<string, Protocol>([
  ['-1', { kind: 'all' }],
  ['all', { kind: 'all' }],
  ['tcp', { kind: 'tcp' }],
  ['6', { kind: 'tcp' }],
  ['udp', { kind: 'udp' }],
  ['17', { kind: 'udp' }],
  ['icmp', { kind: 'icmp' }],
  ['1', { kind: 'icmp' }],
  ['icmpv6', { kind: 'icmpv6' }],
  ['58', { kind: 'icmpv6' }],
]);

/**
 * Normalizes an IP protocol as AWS accepts it: `-1`/`all`, names in any case, or an IANA number (string or number).
 * Any other number 0-255 is `{ kind: 'number' }`, which AWS treats as all ports of that protocol.
 */
export function parseProtocol(raw: unknown): ProtocolParse {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return { ok: false, error: `protocol must be a name or number, got ${describeRaw(raw)}` };
  }
  const text = String(raw).trim().toLowerCase();
  const named = NAMED.get(text);
  if (named) return { ok: true, protocol: named };
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n >= 0 && n <= 255) return { ok: true, protocol: { kind: 'number', number: n } };
  }
  return { ok: false, error: `unknown protocol ${quoteInput(String(raw))}` };
}

/** True when the protocol matches every port regardless of FromPort/ToPort (`-1` or a number other than 6/17/1/58). */
export function protocolIgnoresPorts(p: Protocol): boolean {
  return p.kind === 'all' || p.kind === 'number';
}

/** True for ICMP and ICMPv6, whose FromPort/ToPort are type and code. */
export function isIcmp(p: Protocol): boolean {
  return p.kind === 'icmp' || p.kind === 'icmpv6';
}

/** Short name used in messages: "tcp", "udp", "icmp", "all protocols", "protocol 50". */
export function protocolName(p: Protocol): string {
  switch (p.kind) {
    case 'all':
      return 'all protocols';
    case 'number':
      return `protocol ${p.number}`;
    default:
      return p.kind;
  }
}

/** True when traffic of protocol `p` is matched by a rule with protocol `rule`. */
export function protocolMatches(rule: Protocol, p: 'tcp' | 'udp' | 'icmp' | 'icmpv6'): boolean {
  return rule.kind === 'all' || rule.kind === p;
}

function describeRaw(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  return typeof raw === 'object' ? 'an object' : typeof raw;
}
