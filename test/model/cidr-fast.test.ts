// The CIDR fast paths (plain arithmetic for canonically written blocks) against ip-num, the reader they stand in for:
// whenever a fast path accepts an input, ip-num must accept it with the same normalized block, and parseCidr must give
// what ip-num gives on every input, accepted or not.
import { parseCidr, parseIPv4Fast, parseIPv6Fast, parseWithIpNum } from '../../src/model/cidr';
import { rng } from '../helpers/rng';

const r = rng(20261206);
const int = (n: number): number => Math.floor(r() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;

function octet(): string {
  switch (int(8)) {
    case 0:
      return String(int(1000)); // often above 255
    case 1:
      return `0${int(300)}`; // leading zero
    case 2:
      return pick(['0', '255', '256', '00', '000', '1', '']);
    default:
      return String(int(256));
  }
}

function prefix(max: number): string {
  switch (int(6)) {
    case 0:
      return `0${int(max + 1)}`; // leading zero
    case 1:
      return String(max + int(5)); // at and above the maximum
    case 2:
      return pick(['0', '00', '000', String(max)]);
    default:
      return String(int(max + 1));
  }
}

function ipv4(): string {
  const n = int(10) === 0 ? pick([3, 5]) : 4;
  return `${Array.from({ length: n }, octet).join('.')}/${prefix(32)}`;
}

function group(): string {
  switch (int(10)) {
    case 0:
      return Math.floor(r() * 0x100000).toString(16); // up to five digits
    case 1:
      return `000${int(16).toString(16)}`;
    case 2:
      return '0';
    case 3:
      return pick(['FFFF', 'DB8', 'aBcD', '0000', 'g1', '']);
    default:
      return int(0x10000).toString(16);
  }
}

function ipv6(): string {
  const zeroes = int(3) === 0;
  const n = zeroes ? int(9) : pick([8, 8, 8, 7, 9]);
  const groups = Array.from({ length: n }, () => (int(3) === 0 ? '0' : group()));
  let text: string;
  if (zeroes) {
    const at = int(n + 1);
    text = `${groups.slice(0, at).join(':')}::${groups.slice(at).join(':')}`;
    if (int(20) === 0) text += '::1';
  } else {
    text = groups.join(':');
  }
  if (int(15) === 0) text = `${text.replace(/:[^:]*$/, '')}:${ipv4().split('/')[0]}`; // IPv4 tail
  if (int(30) === 0) text = pick([`:${text}`, `${text}:`, text.replace('::', ':::')]);
  return `${text}/${prefix(128)}`;
}

const EDGES = [
  '0.0.0.0/0',
  '255.255.255.255/32',
  '255.255.255.255/0',
  '1.2.3.4/31',
  '10.1.2.3/8',
  '128.0.0.0/1',
  '192.168.1.1/24',
  '01.2.3.4/8',
  '1.2.3.4/08',
  '1.2.3/8',
  '1.2.3.4.5/8',
  '1..3.4/8',
  '.1.2.3/8',
  '1.2.3.4./8',
  '256.0.0.0/8',
  '1.2.3.4/33',
  '1.2.3.4/',
  '::/0',
  '::/128',
  '::1/128',
  '::/00',
  '0::/0',
  '::0/0',
  '0:0:0:0:0:0:0:0/0',
  'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128',
  'FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF/64',
  '2001:db8::/32',
  '2001:DB8::1/32',
  '2001:db8:0:0:1:0:0:1/128',
  '2001:0:0:1:0:0:0:1/128',
  '1:0:0:2:0:0:3:4/128',
  '1:0:2:0:3:0:4:0/128',
  '1:2:3:4:5:6:7::/128',
  '::2:3:4:5:6:7:8/128',
  '1:2:3:4:5:6:7:8::/64',
  '1::2::3/64',
  ':::/0',
  '1:::2/64',
  ':1::/64',
  '1::2:/64',
  '::ffff:10.0.0.1/128',
  '::ffff:10.0.0.1/96',
  'fe80::/10',
  'fc00::/7',
  '2600:1f18::/129',
  '00000::/0',
  '0000:0000::/16',
  '1:2:3:4:5:6:7:8/127',
];

function expectSame(text: string): void {
  const reference = parseWithIpNum(text, text);
  const fast = text.includes(':') ? parseIPv6Fast(text, text) : parseIPv4Fast(text, text);
  if (fast !== undefined) expect({ text, result: fast }).toEqual({ text, result: reference });
  if (/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(text)) expect({ text, result: parseCidr(text) }).toEqual({ text, result: reference });
}

describe('CIDR fast paths', () => {
  it('agree with ip-num on edge cases', () => {
    for (const text of EDGES) expectSame(text);
  });

  it('take the canonical forms of both families', () => {
    for (const text of ['0.0.0.0/0', '10.1.2.3/8', '255.255.255.255/32']) expect(parseIPv4Fast(text, text)?.ok).toBe(true);
    for (const text of ['::/0', '2001:db8::1/32', 'FFFF::/16', '1:2:3:4:5:6:7:8/64']) expect(parseIPv6Fast(text, text)?.ok).toBe(true);
    for (const text of ['01.2.3.4/8', '1.2.3.4/08', '::ffff:10.0.0.1/128', '::/00', '00000::/0', '1.2.3.4/33']) {
      expect(text.includes(':') ? parseIPv6Fast(text, text) : parseIPv4Fast(text, text)).toBeUndefined();
    }
  });

  it('agree with ip-num on 10,000 random IPv4 blocks', () => {
    let fast = 0;
    for (let k = 0; k < 10000; k++) {
      const text = ipv4();
      expectSame(text);
      if (parseIPv4Fast(text, text)) fast++;
    }
    expect(fast).toBeGreaterThan(1000); // the comparison covered the fast path, not only the fallback
  });

  it('agree with ip-num on 10,000 random IPv6 blocks', () => {
    let fast = 0;
    for (let k = 0; k < 10000; k++) {
      const text = ipv6();
      expectSame(text);
      if (parseIPv6Fast(text, text)) fast++;
    }
    expect(fast).toBeGreaterThan(1000);
  });

  it('agree with ip-num on every prefix length of fixed addresses', () => {
    for (let p = 0; p <= 34; p++) {
      expectSame(`203.0.113.77/${p}`);
      expectSame(`255.255.255.255/${p}`);
    }
    for (let p = 0; p <= 130; p++) {
      expectSame(`2001:db8:85a3:8d3:1319:8a2e:370:7348/${p}`);
      expectSame(`ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/${p}`);
      expectSame(`1:0:0:2:0:0:3:4/${p}`);
    }
  });
});
