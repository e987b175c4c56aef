import excessiveRules from '../src/rules/excessive-rules';
import noDedicatedSshGroup from '../src/rules/no-dedicated-ssh-group';
import openAdminPort from '../src/rules/open-admin-port';
import openDbPort from '../src/rules/open-db-port';
import { getRule, RULES } from '../src/rules';
import { PORT_SPEC_PATTERN } from '../src/model/catalog';
import { group, known, rule, run, trusted } from './model/build';
import type { SgRule } from '../src/model/types';
import { nearWorldPrefixOption, portListOption } from '../src/rules/kit/options';
import { DEFAULT_NEAR_WORLD_PREFIX } from '../src/rules/kit/peers';
import { countRules } from '../src/rules/kit/quota';

function messages(reports: { message: string }[]): string[] {
  return reports.map((r) => r.message);
}

describe('registry', () => {
  it('is sorted by id and finds rules by id', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['excessive-rules', 'no-dedicated-ssh-group', 'open-admin-port', 'open-db-port']));
    expect(getRule('open-db-port')).toBe(openDbPort);
    expect(getRule('nope')).toBeUndefined();
  });
});

describe('shared option declarations', () => {
  const options = RULES.flatMap((r) => Object.entries(r.meta.options as Record<string, { schema: Record<string, unknown>; default: unknown }>).map(([name, o]) => ({ id: r.meta.id, name, ...o })));

  it('every port-list option accepts the same "protocol/port" syntax', () => {
    const portLists = options.filter((o) => o.schema.type === 'array' && (o.schema.items as { pattern?: string }).pattern !== undefined);
    expect(portLists.map((o) => `${o.id}.${o.name}`)).toEqual([
      'open-admin-port.ports',
      'open-db-port.ports',
      'open-sensitive-port.ports',
      'world-ingress-unexpected-port.allowedPorts',
    ]);
    for (const o of portLists) expect(o.schema).toEqual({ type: 'array', items: { type: 'string', pattern: PORT_SPEC_PATTERN }, uniqueItems: true });
  });

  it('every nearWorldPrefix option is a prefix length 0-128 defaulting to /8', () => {
    const nearWorld = options.filter((o) => o.name === 'nearWorldPrefix');
    expect(nearWorld.map((o) => o.id)).toEqual(['exposed-database-group', 'open-all-ports', 'open-sensitive-port', 'wide-port-range']);
    for (const o of nearWorld) {
      expect(o.schema).toEqual({ type: 'integer', minimum: 0, maximum: 128 });
      expect(o.default).toBe(DEFAULT_NEAR_WORLD_PREFIX);
    }
    expect(nearWorldPrefixOption('why')).toEqual({ schema: { type: 'integer', minimum: 0, maximum: 128 }, default: 8, description: 'why' });
  });

  it('a port-list option owns its default list', () => {
    const defaults = ['tcp/22'];
    const option = portListOption(defaults, 'SSH');
    option.default.push('tcp/23');
    expect(defaults).toEqual(['tcp/22']);
  });
});

describe('open-admin-port', () => {
  it('reports SSH from 0.0.0.0/0 on the rule, keyed by port', () => {
    const r = rule({ from: 22, to: 22 });
    const g = group('WebSg', [r]);
    const reports = run(openAdminPort, [g]);
    expect(reports).toEqual([
      { target: { rule: r, group: g }, key: 'tcp/22', message: 'Security group WebSg allows SSH (tcp/22) from the whole internet (0.0.0.0/0)', includes: ['SSH'] },
    ]);
  });

  it('reports SSH and RDP in one finding for protocol -1, and names the written CIDR', () => {
    const g = group('WebSg', [rule({ proto: '-1', peer: '1.2.3.4/0', assumptions: ['via parameter AdminCidr default'] })]);
    expect(messages(run(openAdminPort, [g]))).toEqual([
      'Security group WebSg allows SSH and RDP (all protocols) from the whole internet (1.2.3.4/0, i.e. 0.0.0.0/0) via parameter AdminCidr default',
    ]);
  });

  it('reports RDP over UDP and ranges that include 3389', () => {
    const g = group('WinSg', [rule({ proto: 'udp', from: 3389, to: 3389, peer: '::/0' }), rule({ from: 3000, to: 4000 })]);
    expect(messages(run(openAdminPort, [g]))).toEqual([
      'Security group WinSg allows RDP (udp/3389) from the whole internet (::/0)',
      'Security group WinSg allows RDP (range 3000-4000 includes tcp/3389) from the whole internet (0.0.0.0/0)',
    ]);
  });

  it('ignores UDP/22, ICMP, other protocol numbers, non-world CIDRs and unknown peers', () => {
    const g = group('WebSg', [
      rule({ proto: 'udp', from: 22, to: 22 }),
      rule({ proto: 'icmp', from: -1, to: -1 }),
      rule({ proto: 47 }),
      rule({ from: 22, to: 22, peer: '203.0.113.9/32' }),
      rule({ from: 22, to: 22, peer: '0.0.0.0/1' }),
      rule({ from: 22, to: 22, peer: 'unknown' }),
    ]);
    expect(run(openAdminPort, [g])).toEqual([]);
  });

  it('reports a union of rules that covers the internet at the group', () => {
    const g = group('WebSg', [rule({ from: 22, to: 22, peer: '0.0.0.0/1' }), rule({ from: 22, to: 22, peer: '128.0.0.0/1' })]);
    expect(run(openAdminPort, [g])).toEqual([
      { target: { group: g }, key: 'tcp/22 ipv4-union', message: 'Security group WebSg allows SSH (tcp/22) from the whole internet (IPv4: 0.0.0.0/1 + 128.0.0.0/1 together)', includes: ['SSH'] },
    ]);
  });

  it('uses the ports option', () => {
    const g = group('WinSg', [rule({ from: 5985, to: 5986 })]);
    expect(messages(run(openAdminPort, [g], { ports: ['tcp/5985-5986'] }))).toEqual([
      'Security group WinSg allows WinRM (tcp/5985-5986) from the whole internet (0.0.0.0/0)',
    ]);
  });
});

describe('open-db-port', () => {
  it('reports the world as error and other public CIDRs as warning', () => {
    const g = group('DbSg', [rule({ from: 5432, to: 5432 }), rule({ from: 3306, to: 3306, peer: '198.51.100.0/22' })]);
    const reports = run(openDbPort, [g]);
    expect(reports.map((r) => [r.severity, r.key, r.message])).toEqual([
      ['warning', 'tcp/3306', 'Security group DbSg allows MySQL/Aurora (tcp/3306) from the public range 198.51.100.0/22'],
      ['error', 'tcp/5432', 'Security group DbSg allows PostgreSQL (tcp/5432) from the whole internet (0.0.0.0/0)'],
    ]);
  });

  it('accepts private ranges, group references and prefix lists, and honours reportPublic', () => {
    const g = group('DbSg', [
      rule({ from: 6379, to: 6379, peer: '10.0.0.0/8' }),
      rule({ from: 6379, to: 6379, peer: { kind: 'security-group', ref: 'AppSg', inModel: true, self: false } }),
      rule({ from: 6379, to: 6379, peer: { kind: 'prefix-list', id: 'pl-1' } }),
      rule({ from: 6379, to: 6379, peer: '8.8.8.0/24' }),
    ]);
    expect(run(openDbPort, [g]).map((r) => r.severity)).toEqual(['warning']);
    expect(run(openDbPort, [g], { reportPublic: false })).toEqual([]);
  });

  it('accepts public ranges inside a configured trusted network', () => {
    const g = group('DbSg', [rule({ from: 5432, to: 5432, peer: '198.51.7.0/24' })]);
    expect(run(openDbPort, [g])).toHaveLength(1);
    expect(run(openDbPort, [g], {}, [trusted('partner', '198.51.0.0/16')])).toEqual([]);
  });

  it('reports one finding per rule entry naming every database service a wide range reaches', () => {
    const g = group('DbSg', [rule({ from: 26000, to: 28000, peer: '::/0' })]);
    expect(messages(run(openDbPort, [g]))).toEqual([
      'Security group DbSg allows CockroachDB (range 26000-28000 includes tcp/26257) and MongoDB (range 26000-28000 includes tcp/27017-27019) from the whole internet (::/0)',
    ]);
  });

  it('names three services and counts the rest when protocol -1 reaches many', () => {
    const g = group('DbSg', [rule({ proto: '-1', peer: '0.0.0.0/0' })]);
    const [message] = messages(run(openDbPort, [g]));
    expect(message).toMatch(/^Security group DbSg allows [^,]+, [^,]+, [^,]+ and \d+ more services \(all protocols\) from the whole internet \(0\.0\.0\.0\/0\)$/);
  });
});

describe('no-dedicated-ssh-group', () => {
  it('reports a group mixing SSH with other ingress, at the group', () => {
    const g = group('AppSg', [
      rule({ from: 22, to: 22, peer: '10.0.0.0/8' }),
      rule({ from: 443, to: 443 }),
      rule({ proto: '-1', peer: { kind: 'security-group', ref: 'LbSg', inModel: true, self: false } }),
      rule({ proto: 'icmp', from: -1, to: -1 }),
    ]);
    expect(run(noDedicatedSshGroup, [g])).toEqual([
      { target: { group: g }, message: 'Security group AppSg admits SSH (tcp/22) together with other ingress: tcp/443 from 0.0.0.0/0, all protocols from group LbSg' },
    ]);
  });

  it('accepts an SSH-only group, ICMP beside SSH, and ranges that merely include 22', () => {
    expect(run(noDedicatedSshGroup, [group('Bastion', [rule({ from: 22, to: 22 }), rule({ from: 22, to: 22, peer: '::/0' }), rule({ proto: 'icmpv6', peer: '::/0' })])])).toEqual([]);
    expect(run(noDedicatedSshGroup, [group('Wide', [rule({ from: 0, to: 65535 }), rule({ from: 443, to: 443 })])])).toEqual([]);
  });

  it('counts ICMP when ignoreIcmp is false, and lists at most three others', () => {
    const g = group('AppSg', [rule({ from: 22, to: 22 }), rule({ proto: 'icmp', from: 8, to: -1 })]);
    expect(messages(run(noDedicatedSshGroup, [g], { ignoreIcmp: false }))).toEqual([
      'Security group AppSg admits SSH (tcp/22) together with other ingress: icmp from 0.0.0.0/0',
    ]);
    const many = group('AppSg', [22, 80, 443, 8080, 8443].map((p) => rule({ from: p, to: p })));
    expect(messages(run(noDedicatedSshGroup, [many]))[0]).toMatch(/tcp\/80 from 0\.0\.0\.0\/0, tcp\/443 from 0\.0\.0\.0\/0, tcp\/8080 from 0\.0\.0\.0\/0 and 1 more$/);
  });
});

describe('excessive-rules', () => {
  function cidrs(n: number, family: 4 | 6, extra: Partial<Parameters<typeof rule>[0]> = {}): SgRule[] {
    return Array.from({ length: n }, (_, i) => rule({ from: 443, to: 443, peer: family === 4 ? `10.0.${i}.0/24` : `fd00:${i.toString(16)}::/64`, ...extra }));
  }

  it('counts per family, with group references and prefix lists in both, and maxEntries for customer lists', () => {
    const sg = rule({ peer: { kind: 'security-group', ref: 'X', inModel: false, self: false } });
    const pl = rule({ peer: { kind: 'prefix-list', id: 'pl-1', maxEntries: 10 } });
    const none = rule({ peer: { kind: 'none' } });
    expect(countRules([...cidrs(3, 4), ...cidrs(2, 6), sg, pl, none])).toEqual({ ipv4: 14, ipv6: 13 });
  });

  it('counts variants of one entry once, at the largest, and per-peer expansions of an entry all', () => {
    const a = rule({ entry: 'x', peer: '10.0.0.0/8', assumptions: ['when condition C is true'] });
    const b = rule({ entry: 'x', peer: '::/0', assumptions: ['when condition C is false'] });
    const c1 = rule({ entry: 'y', peer: '10.0.0.0/8' });
    const c2 = rule({ entry: 'y', peer: '10.1.0.0/16' });
    expect(countRules([a, b, c1, c2])).toEqual({ ipv4: 3, ipv6: 1 });
  });

  it('warns above the threshold and errors above the quota, per direction and family', () => {
    const g = group('BigSg', [...cidrs(51, 4), ...cidrs(61, 6), ...cidrs(50, 4, { direction: 'egress' })]);
    const reports = run(excessiveRules, [g]);
    expect(reports.map((r) => [r.severity, r.key, r.message])).toEqual([
      [undefined, 'ingress/ipv4', 'Security group BigSg has 51 IPv4 ingress rules, more than the threshold of 50 (AWS\'s quota is 60)'],
      ['error', 'ingress/ipv6', "Security group BigSg has 61 IPv6 ingress rules, more than AWS's quota of 60 per group, direction and family: the deployment fails unless the quota is raised"],
    ]);
    expect(run(excessiveRules, [g], { threshold: 100, quota: 100 })).toEqual([]);
  });

  it('ignores unknown values it cannot count more precisely, counting them once as IPv4', () => {
    expect(countRules([{ ...rule(), peer: { known: false, reason: 'x' } }, { ...rule(), peer: known({ kind: 'none' as const }) }])).toEqual({ ipv4: 1, ipv6: 0 });
  });
});
