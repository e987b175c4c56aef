/** IP network functions: cidrhost cidrnetmask cidrsubnet cidrsubnets (IPv4 and IPv6, exact with BigInt). */
import type { TfVal } from '../value';
import { list, str } from '../value';
import type { FnDef } from './args';
import { asInteger, asString, fail } from './args';

interface Net {
  v6: boolean;
  addr: bigint;
  bits: number;
}

function parseIp(s: string): { v6: boolean; addr: bigint } | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255) || s.split('.').some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
    return { v6: false, addr: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':')) return undefined;
  let text = s;
  let tail: bigint[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const ip = parseIp(v4[1] ?? '');
    if (!ip || ip.v6) return undefined;
    tail = [ip.addr >> 16n, ip.addr & 0xffffn];
    text = `${text.slice(0, v4.index)}:`;
    if (text.endsWith('::')) text += '';
    else text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = group(halves[0] ?? '');
  const rest = halves.length === 2 ? group(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const total = head.length + rest.length + tail.length;
  if (halves.length === 1 && total !== 8) return undefined;
  if (total > 8 || (halves.length === 2 && total === 8)) return undefined;
  const groups = [...head, ...Array<bigint>(8 - total).fill(0n), ...rest, ...tail];
  return { v6: true, addr: groups.reduce((a, g) => (a << 16n) | g, 0n) };
}

function parseNet(s: string, name: string): Net {
  const m = /^([^/]+)\/(\d+)$/.exec(s);
  const ip = m ? parseIp(m[1] ?? '') : undefined;
  const bits = Number(m?.[2]);
  if (!m || !ip || bits > (ip.v6 ? 128 : 32)) return fail(`invalid CIDR expression: invalid CIDR address: ${s}`);
  void name;
  const width = ip.v6 ? 128 : 32;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
  return { v6: ip.v6, addr: ip.addr & mask, bits };
}

/** An address as Go prints it: dotted quad, or RFC 5952 IPv6 (longest run of zero groups as `::`). */
export function ipText(v6: boolean, addr: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((addr >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_x, i) => Number((addr >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function subnet(net: Net, newbits: number, netnum: bigint): Net {
  const width = net.v6 ? 128 : 32;
  const newlen = net.bits + newbits;
  if (newlen < 0) fail(`cannot shorten prefix of ${net.bits} by ${-newbits}`);
  if (newbits < 0) {
    const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - newlen)) - 1n);
    return { v6: net.v6, addr: net.addr & mask, bits: newlen };
  }
  if (newlen > width) fail(`insufficient address space to extend prefix of ${net.bits} by ${newbits}`);
  if (netnum < 0n || netnum >= 1n << BigInt(newbits)) fail(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  return { v6: net.v6, addr: net.addr | (netnum << BigInt(width - newlen)), bits: newlen };
}

export const IPNET: Record<string, FnDef> = {
  cidrhost: {
    params: ['prefix', 'hostnum'],
    impl: ([p, h]) => {
      const net = parseNet(asString(p, 'prefix'), 'prefix');
      const width = net.v6 ? 128 : 32;
      const size = 1n << BigInt(width - net.bits);
      let n = BigInt(asInteger(h, 'hostnum'));
      if (n < 0n) n += size;
      if (n < 0n || n >= size) return fail(`prefix of ${net.bits} does not accommodate a host numbered ${asInteger(h, 'hostnum')}`);
      return str(ipText(net.v6, net.addr + n));
    },
  },
  cidrnetmask: {
    params: ['prefix'],
    impl: ([p]) => {
      const net = parseNet(asString(p, 'prefix'), 'prefix');
      if (net.v6) return fail('IPv6 addresses cannot have a netmask');
      const mask = ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - net.bits)) - 1n);
      return str(ipText(false, mask));
    },
  },
  cidrsubnet: {
    params: ['prefix', 'newbits', 'netnum'],
    impl: ([p, b, n]) => {
      const net = parseNet(asString(p, 'prefix'), 'prefix');
      const s = subnet(net, asInteger(b, 'newbits'), BigInt(asInteger(n, 'netnum')));
      return str(`${ipText(s.v6, s.addr)}/${s.bits}`);
    },
  },
  cidrsubnets: {
    params: ['prefix'],
    variadic: 'newbits',
    impl: ([p, ...bs]) => {
      const net = parseNet(asString(p, 'prefix'), 'prefix');
      const width = BigInt(net.v6 ? 128 : 32);
      const out: TfVal[] = [];
      let next = net.addr;
      const end = net.addr + (1n << (width - BigInt(net.bits)));
      for (const b of bs) {
        const newbits = asInteger(b, 'newbits');
        if (newbits < 1) fail('must extend prefix by at least one bit');
        const len = net.bits + newbits;
        if (len > Number(width)) fail(`would extend prefix to ${len} bits, which is too long for an IPv${net.v6 ? 6 : 4} address`);
        const size = 1n << (width - BigInt(len));
        const start = ((next + size - 1n) / size) * size;
        if (start + size > end) fail(`not enough remaining address space for a subnet with a prefix of ${len} bits after ${out.length > 0 ? (out[out.length - 1] as { value: string }).value : 'the start'}`);
        out.push(str(`${ipText(net.v6, start)}/${len}`));
        next = start + size;
      }
      return list(out);
    },
  },
};
