import { servicesOn } from '../../src/model/catalog';
import type { ServiceMatch } from '../../src/model/catalog';
import { cidr, fromText, group, known, rule, UNKNOWN } from './build';
import { analyzeGroup, exposureFindings, findWorldUnion } from '../../src/rules/kit/exposure';
import { classifyPeer } from '../../src/rules/kit/peers';
import { covers, describeReach } from '../../src/rules/kit/traffic';
import { preferredVariants } from '../../src/rules/kit/variants';
import { canHoldTogether, describeConditions } from '../../src/model/conditions';
import { openMessage } from '../../src/rules/kit/messages';

const [SSH] = servicesOn({ kind: 'tcp' }, { from: 22, to: 22 }) as [ServiceMatch];

describe('classifyPeer', () => {
  it.each([
    ['0.0.0.0/0', 'world'],
    ['::/0', 'world'],
    ['1.2.3.4/0', 'world'],
    ['3.0.0.0/8', 'near-world'],
    ['0.0.0.0/1', 'near-world'],
    ['203.0.114.7/32', 'public'],
    ['2600:1f18::/32', 'public'],
    ['10.0.0.0/8', 'private'],
    ['192.168.1.0/24', 'private'],
    ['fd00::/8', 'private'],
  ])('classifies %s as %s', (text, expected) => {
    expect(classifyPeer(known(cidr(text)))).toBe(expected);
  });

  it('classifies non-CIDR peers and unknowns', () => {
    expect(classifyPeer(known({ kind: 'security-group', ref: 'LbSg', inModel: true, self: false }))).toBe('group');
    expect(classifyPeer(known({ kind: 'prefix-list', id: 'pl-123' }))).toBe('prefix-list');
    expect(classifyPeer(known({ kind: 'none' }))).toBe('none');
    expect(classifyPeer(UNKNOWN)).toBe('unknown');
  });

  it('honours trusted networks and the near-world threshold', () => {
    const office = { name: 'office', cidrs: [cidr('198.51.0.0/16')] } as never;
    expect(classifyPeer(known(cidr('198.51.7.0/24')), { trustedNetworks: [office] })).toBe('trusted');
    expect(classifyPeer(known(cidr('3.0.0.0/12')), { nearWorldPrefix: 12 })).toBe('near-world');
    expect(classifyPeer(known(cidr('3.0.0.0/12')))).toBe('public');
  });
});

describe('covers and describeReach', () => {
  it('respects protocol and range', () => {
    expect(covers(rule({ from: 20, to: 23 }), 22, 'tcp')).toBe(true);
    expect(covers(rule({ proto: 'udp', from: 22, to: 22 }), 22, 'tcp')).toBe(false);
    expect(covers(rule({ proto: -1 }), 22, 'tcp')).toBe(true);
    expect(covers(rule({ proto: 6, from: '22', to: '22' }), 22, 'tcp')).toBe(true);
    expect(covers(rule({ proto: 'icmp', from: -1, to: -1 }), 22, 'tcp')).toBe(false);
    expect(covers(rule({ proto: 50 }), 22, 'tcp')).toBe(false);
  });

  it('never covers through unknown ports', () => {
    const r = { ...rule({ from: 22, to: 22 }), ports: UNKNOWN };
    expect(covers(r, 22, 'tcp')).toBe(false);
  });

  it('describes exact, range and all-protocol reach', () => {
    expect(describeReach(rule({ from: 22, to: 22 }), SSH)).toBe('tcp/22');
    expect(describeReach(rule({ from: 0, to: 65535 }), SSH)).toBe('range 0-65535 includes tcp/22');
    expect(describeReach(rule({ proto: '-1' }), SSH)).toBe('all protocols');
    const [mongo] = servicesOn({ kind: 'tcp' }, { from: 27017, to: 27017 }) as [ServiceMatch];
    expect(describeReach(rule({ from: 27017, to: 27017 }), mongo)).toBe('tcp/27017');
    expect(describeReach(rule({ from: 27000, to: 27017 }), mongo)).toBe('range 27000-27017 includes tcp/27017-27019');
  });
});

describe('openMessage', () => {
  it('says "allows" for certain exposure and "can be opened" under a condition', () => {
    expect(openMessage('Security group WebSg', 'SSH (tcp/22)', 'from', 'the whole internet (0.0.0.0/0)', [fromText('via parameter AdminCidr default')])).toBe(
      'Security group WebSg allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via parameter AdminCidr default',
    );
    expect(openMessage('Security group WebSg', 'SSH (tcp/22)', 'from', 'the whole internet (::/0)', [fromText('when condition IsProd is true')])).toBe(
      'Security group WebSg: SSH (tcp/22) can be opened to the whole internet (::/0) when condition IsProd is true',
    );
  });
});

describe('findWorldUnion', () => {
  it('finds two halves that cover IPv4', () => {
    const a = rule({ peer: '0.0.0.0/1', from: 22, to: 22 });
    const b = rule({ peer: '128.0.0.0/1', from: 22, to: 22 });
    const u = findWorldUnion([a, b], 4);
    expect(u?.rules).toEqual([a, b]);
    expect(findWorldUnion([a, b], 6)).toBeUndefined();
  });

  it('does not report a union when a single rule is already the world, or when coverage has a gap', () => {
    expect(findWorldUnion([rule({ peer: '0.0.0.0/0' }), rule({ peer: '0.0.0.0/1' })], 4)).toBeUndefined();
    expect(findWorldUnion([rule({ peer: '0.0.0.0/1' }), rule({ peer: '128.0.0.0/2' })], 4)).toBeUndefined();
  });

  it('never combines two Fn::If branches of one entry', () => {
    const t = rule({ peer: '0.0.0.0/1', entry: 'x', assumptions: ['when condition C is true'] });
    const f = rule({ peer: '128.0.0.0/1', entry: 'x', assumptions: ['when condition C is false'] });
    expect(findWorldUnion([t, f], 4)).toBeUndefined();
  });

  it('combines one branch with other entries, and skips contradicting conditions across entries', () => {
    const t = rule({ peer: '0.0.0.0/1', entry: 'x', assumptions: ['when condition C is true'] });
    const f = rule({ peer: '10.0.0.0/8', entry: 'x', assumptions: ['when condition C is false'] });
    const other = rule({ peer: '128.0.0.0/1', entry: 'y' });
    expect(describeConditions(findWorldUnion([t, f, other], 4)?.conditions ?? [])).toEqual(['when condition C is true']);
    const contra = rule({ peer: '128.0.0.0/1', entry: 'z', assumptions: ['when condition C is false'] });
    expect(findWorldUnion([t, contra], 4)).toBeUndefined();
    expect(canHoldTogether([fromText('when condition C is true'), fromText('when condition D is false')])).toBe(true);
  });
});

describe('preferredVariants', () => {
  it('keeps one variant per entry, unconditional first', () => {
    const cond = rule({ entry: 'x', assumptions: ['when condition C is true'] });
    const plain = rule({ entry: 'x', assumptions: ['via parameter P default'] });
    expect(preferredVariants([cond, plain])).toEqual([[plain]]);
  });
});

describe('analyzeGroup and exposureFindings', () => {
  it('lists every reaching rule with its class and finds unions', () => {
    const g = group('WebSg', [
      rule({ peer: '0.0.0.0/1', from: 22, to: 22 }),
      rule({ peer: '128.0.0.0/1', from: 0, to: 1000 }),
      rule({ peer: '10.0.0.0/8', from: 22, to: 22 }),
      rule({ peer: '0.0.0.0/0', from: 443, to: 443 }),
    ]);
    const [ssh] = analyzeGroup(g, [SSH]);
    expect(ssh?.reaches.map((r) => r.peerClass)).toEqual(['near-world', 'near-world', 'private']);
    expect(ssh?.unions.map((u) => u.family)).toEqual([4]);
  });

  it('reports one finding per entry and service with the worst variant', () => {
    const g = group('WebSg', [
      rule({ peer: '10.0.0.0/8', entry: 'x', from: 22, to: 22, assumptions: ['when condition C is false'] }),
      rule({ peer: '::/0', entry: 'x', from: 22, to: 22, assumptions: ['when condition C is true'] }),
    ]);
    const found = exposureFindings(g, [SSH], { classes: ['world'] });
    expect(found.map((f) => [f.key, f.message])).toEqual([
      ['tcp/22', 'Security group WebSg: SSH (tcp/22) can be opened to the whole internet (::/0) when condition C is true'],
    ]);
  });

  it('reports a union at the group level', () => {
    const g = group('WebSg', [rule({ peer: '0.0.0.0/1', from: 22, to: 22 }), rule({ peer: '128.0.0.0/1', from: 22, to: 22 })]);
    const found = exposureFindings(g, [SSH], { classes: ['world'] });
    expect(found).toEqual([
      {
        peerClass: 'world',
        key: 'tcp/22 ipv4-union',
        keys: ['tcp/22'],
        services: ['SSH'],
        message: 'Security group WebSg allows SSH (tcp/22) from the whole internet (IPv4: 0.0.0.0/1 + 128.0.0.0/1 together)',
      },
    ]);
  });
});

describe('exposureFindings: unions and target lists', () => {
  const world = { classes: ['world'] as const };
  const keys = (found: { key: string }[]): string[] => found.map((f) => f.key);
  const [RDP_TCP] = servicesOn({ kind: 'tcp' }, { from: 3389, to: 3389 }) as [ServiceMatch];

  it('finds a union of three ranges written in any order, and none when one range opens another service', () => {
    const halves = ['128.0.0.0/1', '64.0.0.0/2', '0.0.0.0/2'];
    const covering = group('WebSg', halves.map((peer) => rule({ peer, from: 22, to: 22 })));
    expect(keys(exposureFindings(covering, [SSH], world))).toEqual(['tcp/22 ipv4-union']);
    const split = group('WebSg', halves.map((peer, i) => rule({ peer, from: i === 0 ? 3389 : 22, to: i === 0 ? 3389 : 22 })));
    expect(exposureFindings(split, [SSH, RDP_TCP], world)).toEqual([]);
  });

  it('reports the rule, not a union, when one rule already opens to the whole internet', () => {
    const g = group('WebSg', [rule({ peer: '0.0.0.0/0', from: 22, to: 22 }), rule({ peer: '0.0.0.0/1', from: 22, to: 22 }), rule({ peer: '128.0.0.0/1', from: 22, to: 22 })]);
    const found = exposureFindings(g, [SSH], world);
    expect(keys(found)).toEqual(['tcp/22']);
    expect(found[0]?.rule).toBe(g.ingress[0]);
  });

  it('judges each group on its own rules when one target list is reused, also after the list grows', () => {
    const targets: ServiceMatch[] = [SSH];
    const open = group('OpenSg', [rule({ peer: '0.0.0.0/0', from: 3389, to: 3389 }), rule({ peer: '::/0', from: 22, to: 22 })]);
    const closed = group('ClosedSg', [rule({ peer: '10.0.0.0/8', from: 22, to: 22 })]);
    expect(keys(exposureFindings(open, targets, world))).toEqual(['tcp/22']);
    expect(exposureFindings(closed, targets, world)).toEqual([]);
    targets.push(RDP_TCP);
    expect(keys(exposureFindings(open, targets, world))).toEqual(['tcp/22', 'tcp/3389']);
  });

  it('classifies with the query: trusted networks and the near-world threshold decide what is reported', () => {
    const g = group('WebSg', [rule({ peer: '198.51.7.0/24', from: 22, to: 22 }), rule({ peer: '3.0.0.0/12', from: 22, to: 22 })]);
    const publicClasses = { classes: ['world', 'near-world', 'public'] as const };
    expect(exposureFindings(g, [SSH], publicClasses).map((f) => f.peerClass)).toEqual(['public', 'public']);
    const office = { name: 'office', cidrs: [cidr('198.51.0.0/16')] } as never;
    expect(exposureFindings(g, [SSH], { ...publicClasses, trustedNetworks: [office], nearWorldPrefix: 12 }).map((f) => f.peerClass)).toEqual(['near-world']);
  });
});
