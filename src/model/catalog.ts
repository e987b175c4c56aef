/**
 * The catalog of sensitive network services: which TCP/UDP ports mean what, as data.
 *
 * It holds at least the union of the high-risk port lists of Security Hub EC2.19, KICS and Prowler, plus common
 * control-plane, broker and amplification ports none of them lists. Rules read it through `servicesOn` and the
 * formatters below; they never hard-code port numbers.
 */
import { protocolMatches } from './protocol';
import { rangesOverlap } from './ports';
import type { PortRange, Protocol } from './types';

/** What kind of service a port belongs to; rules select catalog entries by category. */
export type ServiceCategory =
  | 'remote-admin'
  | 'database'
  | 'cache'
  | 'search'
  | 'message-broker'
  | 'control-plane'
  | 'file-sharing'
  | 'directory'
  | 'mail'
  | 'legacy-plaintext'
  | 'amplification'
  | 'monitoring'
  | 'web'
  | 'big-data'
  | 'other';

/** A transport protocol that has ports. */
export type PortProtocol = 'tcp' | 'udp';

/** One sensitive service: a port or range on one or more transport protocols. */
export interface CatalogEntry {
  /** Stable kebab-case identifier: "ssh", "mysql". */
  id: string;
  /** Name used in messages: "SSH", "MySQL/Aurora". */
  service: string;
  /** Inclusive port range (usually a single port). */
  ports: PortRange;
  protocols: readonly PortProtocol[];
  category: ServiceCategory;
}

const TCP: readonly PortProtocol[] = ['tcp'];
const UDP: readonly PortProtocol[] = ['udp'];
const BOTH: readonly PortProtocol[] = ['tcp', 'udp'];

function entry(
  id: string,
  service: string,
  port: number | [number, number],
  protocols: readonly PortProtocol[],
  category: ServiceCategory,
): CatalogEntry {
  const ports = typeof port === 'number' ? { from: port, to: port } : { from: port[0], to: port[1] };
  return Object.freeze({ id, service, ports: Object.freeze(ports), protocols, category });
}

/** Every sensitive service sg-lint knows, sorted by port. */
export const CATALOG: readonly CatalogEntry[] = Object.freeze([
  entry('ftp-data', 'FTP data', 20, TCP, 'legacy-plaintext'),
  entry('ftp', 'FTP', 21, TCP, 'legacy-plaintext'),
  entry('ssh', 'SSH', 22, TCP, 'remote-admin'),
  entry('telnet', 'Telnet', 23, TCP, 'remote-admin'),
  entry('smtp', 'SMTP', 25, TCP, 'mail'),
  entry('dns', 'DNS', 53, BOTH, 'amplification'),
  entry('http', 'HTTP', 80, TCP, 'web'),
  entry('kerberos', 'Kerberos', 88, BOTH, 'directory'),
  entry('pop3', 'POP3', 110, TCP, 'mail'),
  entry('rpcbind', 'rpcbind/portmapper', 111, BOTH, 'file-sharing'),
  entry('sftp-legacy', 'Simple FTP', 115, TCP, 'legacy-plaintext'),
  entry('ntp', 'NTP', 123, UDP, 'amplification'),
  entry('msrpc', 'Microsoft RPC', 135, BOTH, 'remote-admin'),
  entry('netbios', 'NetBIOS', [137, 139], BOTH, 'file-sharing'),
  entry('imap', 'IMAP', 143, TCP, 'mail'),
  entry('snmp', 'SNMP', 161, BOTH, 'amplification'),
  entry('ldap', 'LDAP', 389, BOTH, 'directory'),
  entry('https', 'HTTPS', 443, TCP, 'web'),
  entry('smb', 'SMB', 445, TCP, 'file-sharing'),
  entry('kpasswd', 'Kerberos kpasswd', 464, BOTH, 'directory'),
  entry('ldaps', 'LDAPS', 636, TCP, 'directory'),
  entry('kerberos-admin', 'Kerberos admin', [749, 750], BOTH, 'directory'),
  entry('rsync', 'rsync', 873, TCP, 'file-sharing'),
  entry('mssql', 'SQL Server', 1433, TCP, 'database'),
  entry('mssql-browser', 'SQL Server Browser', 1434, BOTH, 'database'),
  entry('oracle', 'Oracle', 1521, TCP, 'database'),
  entry('oracle-adw', 'Oracle Autonomous DW', 1522, TCP, 'database'),
  entry('mqtt', 'MQTT', 1883, TCP, 'message-broker'),
  entry('ssdp', 'SSDP', 1900, UDP, 'amplification'),
  entry('nfs', 'NFS', 2049, BOTH, 'file-sharing'),
  entry('zookeeper', 'ZooKeeper', 2181, TCP, 'control-plane'),
  entry('docker', 'Docker Engine API', [2375, 2376], TCP, 'control-plane'),
  entry('docker-swarm', 'Docker Swarm', 2377, TCP, 'control-plane'),
  entry('etcd', 'etcd', [2379, 2380], TCP, 'control-plane'),
  entry('mssql-analysis', 'SQL Server Analysis Services', [2382, 2383], TCP, 'database'),
  entry('oracle-net', 'Oracle', [2483, 2484], TCP, 'database'),
  entry('grafana', 'Grafana/dev web server', 3000, TCP, 'monitoring'),
  entry('cifs', 'CIFS', 3020, TCP, 'file-sharing'),
  entry('mysql', 'MySQL/Aurora', 3306, TCP, 'database'),
  entry('rdp', 'RDP', 3389, BOTH, 'remote-admin'),
  entry('msql', 'mSQL', 4333, TCP, 'database'),
  entry('saltstack', 'SaltStack', [4505, 4506], TCP, 'control-plane'),
  entry('flask', 'Flask/Docker registry', 5000, TCP, 'web'),
  entry('postgresql', 'PostgreSQL', 5432, TCP, 'database'),
  entry('redshift', 'Redshift', 5439, TCP, 'database'),
  entry('vnc-listener', 'VNC listener', 5500, TCP, 'remote-admin'),
  entry('kibana', 'Kibana/OpenSearch Dashboards', 5601, TCP, 'monitoring'),
  entry('amqps', 'AMQP over TLS (Amazon MQ)', 5671, TCP, 'message-broker'),
  entry('amqp', 'RabbitMQ (AMQP)', 5672, TCP, 'message-broker'),
  entry('vnc', 'VNC', 5900, TCP, 'remote-admin'),
  entry('couchdb', 'CouchDB', 5984, TCP, 'database'),
  entry('winrm', 'WinRM', [5985, 5986], TCP, 'remote-admin'),
  entry('redis', 'Redis', 6379, TCP, 'cache'),
  entry('kubernetes-api', 'Kubernetes API', 6443, TCP, 'control-plane'),
  entry('cassandra', 'Cassandra inter-node', [7000, 7001], TCP, 'database'),
  entry('cassandra-jmx', 'Cassandra JMX', 7199, TCP, 'monitoring'),
  entry('neo4j-http', 'Neo4j', 7474, TCP, 'database'),
  entry('neo4j-bolt', 'Neo4j Bolt', 7687, TCP, 'database'),
  entry('http-alt', 'HTTP alternate', 8000, TCP, 'web'),
  entry('hdfs-rpc', 'HDFS NameNode', 8020, TCP, 'big-data'),
  entry('http-proxy', 'HTTP alternate/Jenkins', 8080, TCP, 'web'),
  entry('yarn', 'Hadoop YARN', 8088, TCP, 'big-data'),
  entry('puppet', 'Puppet', 8140, TCP, 'control-plane'),
  entry('activemq-console', 'ActiveMQ web console', [8161, 8162], TCP, 'message-broker'),
  entry('neptune', 'Neptune', 8182, TCP, 'database'),
  entry('consul', 'Consul', 8500, TCP, 'control-plane'),
  entry('mqtt-tls', 'MQTT over TLS', 8883, TCP, 'message-broker'),
  entry('jupyter', 'Jupyter/Cassandra OpsCenter', 8888, TCP, 'web'),
  entry('hdfs', 'Hadoop NameNode', 9000, TCP, 'big-data'),
  entry('cassandra-cql', 'Cassandra CQL', 9042, TCP, 'database'),
  entry('prometheus', 'Prometheus', 9090, TCP, 'monitoring'),
  entry('kafka', 'Kafka/MSK', [9092, 9098], TCP, 'message-broker'),
  entry('node-exporter', 'Prometheus node-exporter', 9100, TCP, 'monitoring'),
  entry('cassandra-thrift', 'Cassandra Thrift', 9160, TCP, 'database'),
  entry('msk-public', 'MSK public access', [9194, 9198], TCP, 'message-broker'),
  entry('elasticsearch', 'Elasticsearch/OpenSearch', 9200, TCP, 'search'),
  entry('elasticsearch-transport', 'Elasticsearch/OpenSearch transport', 9300, TCP, 'search'),
  entry('kubelet', 'kubelet', 10250, TCP, 'control-plane'),
  entry('memcached', 'Memcached', 11211, BOTH, 'cache'),
  entry('memcached-tls', 'Memcached TLS', [11214, 11215], BOTH, 'cache'),
  entry('rabbitmq-management', 'RabbitMQ management', [15671, 15672], TCP, 'message-broker'),
  entry('cockroachdb', 'CockroachDB', 26257, TCP, 'database'),
  entry('mongodb', 'MongoDB', [27017, 27019], TCP, 'database'),
  entry('hdfs-web', 'HDFS NameNode web UI', 50070, TCP, 'big-data'),
  entry('hdfs-web-tls', 'HDFS NameNode web UI (TLS)', 50470, TCP, 'big-data'),
  entry('stomp-tls', 'STOMP over TLS (ActiveMQ)', 61614, TCP, 'message-broker'),
  entry('activemq-openwire', 'ActiveMQ OpenWire', [61616, 61617], TCP, 'message-broker'),
  entry('activemq-wss', 'ActiveMQ WSS', 61619, TCP, 'message-broker'),
  entry('opscenter-agent', 'Cassandra OpsCenter agent', [61620, 61621], TCP, 'monitoring'),
]);

/** A catalog entry reached by a rule, on one transport protocol. */
export interface ServiceMatch {
  entry: CatalogEntry;
  protocol: PortProtocol;
}

/** A port or range on one protocol, as rule options name it: "tcp/22", "udp/3389", "tcp/27017-27019". */
export interface PortSpec {
  protocol: PortProtocol;
  ports: PortRange;
}

/**
 * The catalog entries that a rule with this protocol and port range reaches, one match per (entry, protocol), in
 * catalog order. Protocol `all` reaches every tcp and udp entry; ICMP and other protocol numbers reach none (they
 * carry no TCP or UDP traffic, whatever their "all ports" means).
 */
export function servicesOn(protocol: Protocol, range: PortRange | null, catalog: readonly CatalogEntry[] = CATALOG): ServiceMatch[] {
  if (range === null) return [];
  const out: ServiceMatch[] = [];
  for (const e of catalog) {
    if (!rangesOverlap(range, e.ports)) continue;
    for (const p of e.protocols) {
      if (protocolMatches(protocol, p)) out.push({ entry: e, protocol: p });
    }
  }
  return out;
}

/** Catalog entries of the given categories, in catalog order. */
export function entriesIn(categories: readonly ServiceCategory[]): CatalogEntry[] {
  return CATALOG.filter((e) => categories.includes(e.category));
}

/** The catalog entry whose id is `id`, if any. */
export function catalogEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.id === id);
}

/** "tcp/22", "tcp/27017-27019". */
export function formatPortSpec(spec: PortSpec): string {
  const { from, to } = spec.ports;
  return `${spec.protocol}/${from === to ? from : `${from}-${to}`}`;
}

/** Port specs ("tcp/22") for every protocol of the given entries, in catalog order. */
export function portSpecsOf(entries: readonly CatalogEntry[]): string[] {
  return entries.flatMap((e) => e.protocols.map((p) => formatPortSpec({ protocol: p, ports: e.ports })));
}

/** JSON Schema pattern of a port spec as options write it ("tcp/22", "udp/1000-2000"); `parsePortSpec` reads it. */
export const PORT_SPEC_PATTERN = '^(tcp|udp)/\\d{1,5}(-\\d{1,5})?$';

/** Parses "tcp/22" or "udp/1000-2000"; undefined when malformed or out of 0-65535. */
export function parsePortSpec(text: string): PortSpec | undefined {
  const m = /^(tcp|udp)\/(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const from = Number(m[2]);
  const to = m[3] === undefined ? from : Number(m[3]);
  if (from > to || to > 65535) return undefined;
  return { protocol: m[1] as PortProtocol, ports: { from, to } };
}

/**
 * Results of `entriesForPortOption` by the option's text: the exposure rules call it once per input file with the
 * same option, and each call searches the catalog for every port. Bounded: a run has a handful of distinct options.
 */
const portOptionMemo = new Map<string, readonly ServiceMatch[]>();
const PORT_OPTION_MEMO_SIZE = 64;

/**
 * The services a port-list option names ("tcp/22", "udp/3389"); entries that do not parse are skipped. The same
 * option text gives the same (shared, read-only) list.
 */
export function entriesForPortOption(option: readonly string[]): readonly ServiceMatch[] {
  const key = JSON.stringify(option);
  const hit = portOptionMemo.get(key);
  if (hit !== undefined) return hit;
  const found = entriesForSpecs(option.map(parsePortSpec).filter((s): s is PortSpec => s !== undefined));
  if (portOptionMemo.size >= PORT_OPTION_MEMO_SIZE) portOptionMemo.clear();
  portOptionMemo.set(key, found);
  return found;
}

/**
 * Catalog-style matches for port specs taken from options: a spec that equals a catalog entry's ports gets that
 * entry's service name (the first entry containing it); any other spec gets a synthetic "configured port" entry.
 */
export function entriesForSpecs(specs: readonly PortSpec[]): ServiceMatch[] {
  return specs.map((spec) => {
    const known = CATALOG.find(
      (e) =>
        e.protocols.includes(spec.protocol) && e.ports.from <= spec.ports.from && spec.ports.to <= e.ports.to,
    );
    const base = known ?? { id: formatPortSpec(spec), service: 'configured port', category: 'other' as const };
    return {
      protocol: spec.protocol,
      entry: { id: base.id, service: base.service, ports: spec.ports, protocols: [spec.protocol], category: base.category },
    };
  });
}

/** "tcp/6379 (Redis)". */
export function formatService(match: ServiceMatch): string {
  return `${formatPortSpec({ protocol: match.protocol, ports: match.entry.ports })} (${match.entry.service})`;
}

/**
 * How a rule's protocol and range reach a service: "tcp/6379 (Redis)" when the rule opens exactly the service's
 * ports, "tcp/20-23 (includes tcp/22 SSH)" for a wider range, "all protocols (includes tcp/22 SSH)" for protocol all.
 */
export function formatReach(protocol: Protocol, range: PortRange, match: ServiceMatch): string {
  const service = formatPortSpec({ protocol: match.protocol, ports: match.entry.ports });
  if (protocol.kind === 'all') return `all protocols (includes ${service} ${match.entry.service})`;
  if (range.from === match.entry.ports.from && range.to === match.entry.ports.to) return formatService(match);
  const written = formatPortSpec({ protocol: match.protocol, ports: range });
  return `${written} (includes ${service} ${match.entry.service})`;
}
