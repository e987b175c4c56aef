import { isIcmp, protocolIgnoresPorts } from './protocol';
import { headOf, MAX_QUOTED_LENGTH, quoteInput } from './quote';
import type { IcmpMatch, PortRange, Protocol } from './types';

/** Every port. */
export const ALL_PORTS: PortRange = Object.freeze({ from: 0, to: 65535 });

/** Result of normalizing FromPort/ToPort for a protocol. */
export type PortsParse =
  | { ok: true; ports: PortRange | null; icmp?: IcmpMatch }
  | { ok: false; error: string };

/**
 * Reads a port as written: a number or a numeric string ("22"). Returns undefined when absent, NaN when malformed.
 */
export function readPort(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : Number.NaN;
  if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) return Number(raw);
  return Number.NaN;
}

/**
 * Normalizes the port fields of a rule the way AWS applies them:
 * - protocol -1 or a number other than tcp/udp/icmp/icmpv6: all ports, whatever FromPort/ToPort say;
 * - tcp/udp: the inclusive range, -1 (or absent) on both sides meaning all ports (Terraform/EC2 accept -1 there);
 * - icmp/icmpv6: no ports; FromPort/ToPort are the ICMP type and code, -1 = any.
 * Invalid ranges (FromPort > ToPort, out of 0-65535) are errors so a rule can report them.
 */
export function normalizePorts(protocol: Protocol, fromRaw: unknown, toRaw: unknown): PortsParse {
  const from = readPort(fromRaw);
  const to = readPort(toRaw);
  if (Number.isNaN(from) || Number.isNaN(to)) {
    return { ok: false, error: `port must be a whole number, got ${describePort(Number.isNaN(from) ? fromRaw : toRaw)}` };
  }
  if (protocolIgnoresPorts(protocol)) return { ok: true, ports: ALL_PORTS };
  // An empty string (an optional-port parameter left at its '' default) is not "all ports": AWS rejects it.
  if (fromRaw === '' || toRaw === '') return { ok: false, error: 'port is an empty string (""), not a whole number' };
  if (isIcmp(protocol)) {
    return { ok: true, ports: null, icmp: { type: from ?? -1, code: to ?? -1 } };
  }
  if (from === undefined && to === undefined) return { ok: true, ports: ALL_PORTS };
  if (from === -1 && (to === -1 || to === undefined)) return { ok: true, ports: ALL_PORTS };
  const lo = from ?? to ?? 0;
  const hi = to ?? from ?? 65535;
  if (lo < 0 || hi > 65535 || lo > 65535 || hi < 0) {
    return { ok: false, error: `port range ${lo}-${hi} is outside 0-65535` };
  }
  if (lo > hi) return { ok: false, error: `FromPort ${lo} is greater than ToPort ${hi}` };
  return { ok: true, ports: { from: lo, to: hi } };
}

/** A malformed port as a message quotes it: a string quoted (at most 100 characters of it), any other value as JSON. */
function describePort(raw: unknown): string {
  if (typeof raw === 'string') return quoteInput(raw, { json: true });
  const json = JSON.stringify(raw) ?? String(raw);
  return json.length <= MAX_QUOTED_LENGTH ? json : `${headOf(json, MAX_QUOTED_LENGTH)}… (${json.length} characters of JSON)`;
}

/** True when the range includes `port`. */
export function portInRange(range: PortRange, port: number): boolean {
  return range.from <= port && port <= range.to;
}

/** True when the two ranges share at least one port. */
export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** Number of ports in the range. */
export function rangeSize(r: PortRange): number {
  return r.to - r.from + 1;
}

/** "22", "20-23", "all ports". */
export function formatPorts(r: PortRange | null): string {
  if (r === null) return 'no ports';
  if (r.from === 0 && r.to === 65535) return 'all ports';
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}
