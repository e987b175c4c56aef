import {
  CATALOG,
  PORT_SPEC_PATTERN,
  entriesForSpecs,
  entriesIn,
  formatReach,
  formatService,
  parsePortSpec,
  portSpecsOf,
  servicesOn,
} from '../../src/model/catalog';
import type { Protocol } from '../../src/model/types';

const TCP: Protocol = { kind: 'tcp' };
const UDP: Protocol = { kind: 'udp' };
const ALL: Protocol = { kind: 'all' };

function ids(protocol: Protocol, from: number, to: number): string[] {
  return servicesOn(protocol, { from, to }).map((m) => `${m.protocol}:${m.entry.id}`);
}

describe('catalog data', () => {
  it('has unique ids and valid, sorted port ranges', () => {
    const seen = new Set<string>();
    let last = -1;
    for (const e of CATALOG) {
      expect(seen.has(e.id)).toBe(false);
      seen.add(e.id);
      expect(e.ports.from).toBeLessThanOrEqual(e.ports.to);
      expect(e.ports.from).toBeGreaterThanOrEqual(last);
      last = e.ports.from;
      expect(e.protocols.length).toBeGreaterThan(0);
    }
  });

  it('contains every port of the Security Hub EC2.19 high-risk list', () => {
    const ec219 = [20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300];
    for (const port of ec219) expect(servicesOn(TCP, { from: port, to: port }).length).toBeGreaterThan(0);
  });

  it('contains every port of the KICS and Prowler sensitive-port lists', () => {
    const union = [20, 21, 22, 23, 25, 53, 80, 88, 110, 115, 135, 137, 138, 139, 143, 161, 389, 443, 445, 464, 636, 749, 750, 1433,
      1434, 1521, 1522, 2049, 2375, 2376, 2382, 2383, 2483, 2484, 3000, 3020, 3306, 3389, 4333, 4505, 4506, 5000, 5432, 5500, 5601,
      5900, 5985, 6379, 7000, 7001, 7199, 8000, 8020, 8080, 8088, 8140, 8888, 9000, 9042, 9090, 9092, 9160, 9200, 9300, 11211,
      11214, 11215, 27017, 27018, 50070, 50470, 61620, 61621];
    const missing = union.filter((port) => servicesOn(TCP, { from: port, to: port }).length === 0);
    expect(missing).toEqual([]);
  });

  it('contains the control-plane, broker and amplification ports no peer lists', () => {
    const tcp = [6443, 10250, 2379, 2380, 2181, 5672, 15672, 8500, 5984, 9100, 5985, 5986, 111, 873, 2375, 2376, 2377, 1883, 8883];
    for (const port of tcp) expect(servicesOn(TCP, { from: port, to: port }).length).toBeGreaterThan(0);
    for (const port of [123, 1900, 161, 11211]) expect(servicesOn(UDP, { from: port, to: port }).length).toBeGreaterThan(0);
  });

  it('classifies every required database port as database, cache or search', () => {
    const dbSpecs = portSpecsOf(entriesIn(['database', 'cache', 'search']));
    for (const s of ['tcp/3306', 'tcp/5432', 'tcp/1433', 'udp/1434', 'tcp/1521', 'tcp/2483-2484', 'tcp/27017-27019', 'tcp/6379',
      'tcp/11211', 'tcp/9200', 'tcp/9300', 'tcp/7000-7001', 'tcp/9042', 'tcp/9160', 'tcp/5439', 'tcp/5984', 'tcp/7474', 'tcp/7687', 'tcp/26257']) {
      expect(dbSpecs).toContain(s);
    }
    expect(dbSpecs).not.toContain('tcp/22');
  });
});

describe('servicesOn', () => {
  it('finds SSH on tcp/22 but not on udp/22', () => {
    expect(ids(TCP, 22, 22)).toEqual(['tcp:ssh']);
    expect(ids(UDP, 22, 22)).toEqual([]);
  });

  it('finds every service a range overlaps, in catalog order', () => {
    expect(ids(TCP, 20, 23)).toEqual(['tcp:ftp-data', 'tcp:ftp', 'tcp:ssh', 'tcp:telnet']);
    expect(ids(TCP, 27018, 27018)).toEqual(['tcp:mongodb']);
  });

  it('reaches tcp and udp entries for protocol all, and nothing for ICMP or other protocol numbers', () => {
    expect(ids(ALL, 0, 65535)).toContain('udp:rdp');
    expect(ids(ALL, 0, 65535)).toContain('tcp:rdp');
    expect(servicesOn({ kind: 'icmp' }, null)).toEqual([]);
    expect(servicesOn({ kind: 'number', number: 50 }, { from: 0, to: 65535 })).toEqual([]);
  });
});

describe('formatting', () => {
  const [redis] = servicesOn(TCP, { from: 6379, to: 6379 });
  const [ssh] = servicesOn(TCP, { from: 22, to: 22 });

  it('formats a service and how a rule reaches it', () => {
    if (!redis || !ssh) throw new Error('catalog lookup failed');
    expect(formatService(redis)).toBe('tcp/6379 (Redis)');
    expect(formatReach(TCP, { from: 6379, to: 6379 }, redis)).toBe('tcp/6379 (Redis)');
    expect(formatReach(TCP, { from: 20, to: 23 }, ssh)).toBe('tcp/20-23 (includes tcp/22 SSH)');
    expect(formatReach(ALL, { from: 0, to: 65535 }, ssh)).toBe('all protocols (includes tcp/22 SSH)');
  });

  it('parses port specs and rejects malformed ones', () => {
    expect(parsePortSpec('tcp/22')).toEqual({ protocol: 'tcp', ports: { from: 22, to: 22 } });
    expect(parsePortSpec('UDP/1000-2000')).toEqual({ protocol: 'udp', ports: { from: 1000, to: 2000 } });
    expect(parsePortSpec('tcp/70000')).toBeUndefined();
    expect(parsePortSpec('tcp/30-20')).toBeUndefined();
    expect(parsePortSpec('icmp/8')).toBeUndefined();
  });

  it('names option specs after the catalog entry that contains them', () => {
    const specs = ['tcp/5985', 'tcp/12345'].map((s) => parsePortSpec(s)).filter((s) => s !== undefined);
    expect(entriesForSpecs(specs).map((m) => formatService(m))).toEqual(['tcp/5985 (WinRM)', 'tcp/12345 (configured port)']);
  });
});

describe('port-list options', () => {
  it('the schema pattern admits the specs parsePortSpec reads and refuses the malformed ones', () => {
    const pattern = new RegExp(PORT_SPEC_PATTERN);
    for (const text of ['tcp/22', 'udp/3389', 'tcp/0-65535', 'tcp/27017-27019']) {
      expect([text, pattern.test(text), parsePortSpec(text) !== undefined]).toEqual([text, true, true]);
    }
    for (const text of ['icmp/3', 'tcp:22', 'tcp/22,23', 'tcp/22-', 'tcp/']) {
      expect([text, pattern.test(text), parsePortSpec(text) !== undefined]).toEqual([text, false, false]);
    }
  });
});
