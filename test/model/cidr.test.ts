import { isPrivateCidr, isPublic, isWorld, NON_PUBLIC_BLOCKS, parseCidr, unionCoversFamily } from '../../src/model/cidr';
import type { CidrPeer } from '../../src/model/types';

function cidr(text: string): CidrPeer {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.peer;
}

describe('parseCidr', () => {
  it('normalizes host bits and keeps what was written', () => {
    expect(cidr('10.1.2.3/8')).toMatchObject({ family: 4, cidr: '10.0.0.0/8', raw: '10.1.2.3/8', prefix: 8 });
    expect(cidr('2001:db8::1/32')).toMatchObject({ family: 6, cidr: '2001:db8::/32', prefix: 32 });
    expect(cidr('1.2.3.4/0')).toMatchObject({ cidr: '0.0.0.0/0', prefix: 0 });
  });

  it('refuses what is not a CIDR block', () => {
    expect(parseCidr('10.0.0.1')).toEqual({ ok: false, error: '"10.0.0.1" is not a CIDR block (expected address/prefix, e.g. 10.0.0.0/16)' });
    expect(parseCidr('10.0.0.300/8')).toEqual({ ok: false, error: '"10.0.0.300/8" is not a valid CIDR block' });
    expect(parseCidr('10.0.0.0/33').ok).toBe(false);
  });
});

describe('address classes', () => {
  it('computes the built-in non-public blocks exactly as ip-num parses them', () => {
    const written: [number, string][] = [
      [0, '10.0.0.0/8'],
      [13, '240.0.0.0/4'],
      [14, 'fc00::/7'],
      [15, 'fe80::/10'],
      [16, '::1/128'],
      [17, '2001:db8::/32'],
      [18, 'ff00::/8'],
    ];
    for (const [index, text] of written) {
      const block = NON_PUBLIC_BLOCKS[index];
      const parsed = cidr(text);
      expect({ first: block?.first, last: block?.last, family: block?.family }).toEqual({
        first: parsed.first,
        last: parsed.last,
        family: parsed.family,
      });
    }
  });

  it('tells world, public and private apart', () => {
    expect(isWorld(cidr('::/0'))).toBe(true);
    expect(isWorld(cidr('0.0.0.0/1'))).toBe(false);
    expect(isPrivateCidr(cidr('10.1.0.0/16'))).toBe(true);
    expect(isPrivateCidr(cidr('10.0.0.0/7'))).toBe(false);
    expect(isPrivateCidr(cidr('100.64.1.0/24'))).toBe(true);
    expect(isPrivateCidr(cidr('fd12:3456::/48'))).toBe(true);
    expect(isPublic(cidr('81.2.69.0/24'))).toBe(true);
    expect(isPublic(cidr('2600:1f18::/32'))).toBe(true);
  });

  it('sees the whole internet in a union of halves, and not in a union with a gap', () => {
    expect(unionCoversFamily([cidr('0.0.0.0/1'), cidr('128.0.0.0/1')], 4)).toBe(true);
    expect(unionCoversFamily([cidr('0.0.0.0/1'), cidr('128.0.0.0/2')], 4)).toBe(false);
    expect(unionCoversFamily([cidr('::/1'), cidr('8000::/1')], 6)).toBe(true);
  });
});
