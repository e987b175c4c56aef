import { buildGraph, renderDot, renderGraph, renderMermaid, ruleLabel } from '../src/graph';
import { quote } from '../src/graph/dot';
import { safeIdentifier } from '../src/graph/ids';
import { escapeMermaid } from '../src/graph/mermaid';
import type { ParsedInput } from '../src/model/types';
import { group, rule } from './model/build';
import { finding, fixtureFindings, fixtureInput, ruleIn } from './graph.fixture';

const EXPECTED_MERMAID = `flowchart LR
  internet_v4(("Internet<br/>0.0.0.0/0"))
  internet_v6(("Internet<br/>::/0"))
  cidr_203_0_113_0_24["203.0.113.0/24"]
  pl_0123abcd["prefix list<br/>pl-0123abcd"]
  subgraph file["test.yaml"]
    sg_DbSg[["DbSg"]]
    sg_WebSg[["WebSg"]]
    res_Database("Database<br/>AWS::RDS::DBInstance")
    res_WebServer("WebServer<br/>AWS::EC2::Instance")
  end
  internet_v4 -->|"tcp/3306 (MySQL/Aurora)"| sg_DbSg
  internet_v4 -->|"tcp/443 (HTTPS)<br/>tcp/80 (HTTP)"| sg_WebSg
  internet_v6 -->|"tcp/443 (HTTPS)"| sg_WebSg
  cidr_203_0_113_0_24 -->|"tcp/22 (SSH)"| sg_WebSg
  sg_WebSg -->|"tcp/5432 (PostgreSQL)"| sg_DbSg
  sg_DbSg -.->|"tcp/443 (HTTPS)"| pl_0123abcd
  sg_DbSg ==>|"port 5432"| res_Database
  sg_WebSg ==> res_WebServer
  classDef internet fill:#eceff1,stroke:#455a64,color:#263238
  classDef network fill:#f5f5f5,stroke:#9e9e9e,color:#212121
  classDef resource fill:#ede7f6,stroke:#5e35b1,color:#311b92
  classDef sevError fill:#fdecea,stroke:#d32f2f,color:#b71c1c,stroke-width:2px
  classDef sevWarning fill:#fff3e0,stroke:#f57c00,color:#e65100,stroke-width:2px
  class internet_v4,internet_v6 internet
  class cidr_203_0_113_0_24,pl_0123abcd network
  class res_Database,res_WebServer resource
  class sg_DbSg sevError
  class sg_WebSg sevWarning
  linkStyle 0 stroke:#d32f2f,stroke-width:2px,color:#b71c1c
`;

const EXPECTED_DOT = `digraph "sg-lint" {
  rankdir=LR;
  node [fontname="Helvetica", fontsize=11, margin="0.2,0.1"];
  edge [fontname="Helvetica", fontsize=10];
  "internet_v4" [label="Internet\\n0.0.0.0/0", shape="ellipse", style="filled", fillcolor="#eceff1", color="#455a64"];
  "internet_v6" [label="Internet\\n::/0", shape="ellipse", style="filled", fillcolor="#eceff1", color="#455a64"];
  "cidr_203_0_113_0_24" [label="203.0.113.0/24", shape="box", style="filled", fillcolor="#f5f5f5", color="#9e9e9e"];
  "pl_0123abcd" [label="prefix list\\npl-0123abcd", shape="box", style="filled", fillcolor="#f5f5f5", color="#9e9e9e"];
  subgraph "cluster_file" {
    label="test.yaml";
    style="rounded"; color="#bdbdbd"; fontname="Helvetica"; fontsize=10;
    "sg_DbSg" [label="DbSg", shape="box", style="rounded,filled", fillcolor="#fdecea", color="#d32f2f", fontcolor="#b71c1c", penwidth="2"];
    "sg_WebSg" [label="WebSg", shape="box", style="rounded,filled", fillcolor="#fff3e0", color="#f57c00", fontcolor="#e65100", penwidth="2"];
    "res_Database" [label="Database\\nAWS::RDS::DBInstance", shape="component", style="filled", fillcolor="#ede7f6", color="#5e35b1"];
    "res_WebServer" [label="WebServer\\nAWS::EC2::Instance", shape="component", style="filled", fillcolor="#ede7f6", color="#5e35b1"];
  }
  "internet_v4" -> "sg_DbSg" [label="tcp/3306 (MySQL/Aurora)", color="#d32f2f", fontcolor="#b71c1c", penwidth="2"];
  "internet_v4" -> "sg_WebSg" [label="tcp/443 (HTTPS)\\ntcp/80 (HTTP)"];
  "internet_v6" -> "sg_WebSg" [label="tcp/443 (HTTPS)"];
  "cidr_203_0_113_0_24" -> "sg_WebSg" [label="tcp/22 (SSH)"];
  "sg_WebSg" -> "sg_DbSg" [label="tcp/5432 (PostgreSQL)"];
  "sg_DbSg" -> "pl_0123abcd" [label="tcp/443 (HTTPS)", style="dashed"];
  "sg_DbSg" -> "res_Database" [label="port 5432", style="bold", color="#5e35b1"];
  "sg_WebSg" -> "res_WebServer" [style="bold", color="#5e35b1"];
}
`;

describe('graph renderings of the fixture', () => {
  const graph = buildGraph([fixtureInput()], fixtureFindings(), { egress: true });

  it('renders the exact Mermaid flowchart', () => {
    expect(renderMermaid(graph)).toBe(EXPECTED_MERMAID);
  });

  it('renders the exact DOT graph', () => {
    expect(renderDot(graph)).toBe(EXPECTED_DOT);
  });

  it('is deterministic whatever the order of inputs and groups', () => {
    const input = fixtureInput();
    input.groups.reverse();
    const findings = fixtureFindings().reverse();
    expect(renderMermaid(buildGraph([input], findings, { egress: true }))).toBe(EXPECTED_MERMAID);
  });

  it('renders a well-formed SVG containing the node and edge labels', async () => {
    const svg = await renderGraph(graph, 'svg');
    expect(svg.startsWith('<?xml') || svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<svg');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const text of ['WebSg', 'DbSg', 'Database', 'tcp/3306 (MySQL/Aurora)', '203.0.113.0/24', 'test.yaml']) {
      expect(svg).toContain(`>${text}</text>`);
    }
    // The error color reaches the drawing.
    expect(svg).toContain('#d32f2f');
  });
});

describe('buildGraph', () => {
  it('leaves egress out by default and never draws the implicit allow-all egress', () => {
    const withoutEgress = buildGraph([fixtureInput()]);
    expect(withoutEgress.edges.filter((e) => e.kind === 'egress')).toEqual([]);
    expect(withoutEgress.nodes.map((n) => n.id)).not.toContain('pl_0123abcd');
    const withEgress = buildGraph([fixtureInput()], [], { egress: true });
    expect(withEgress.edges.filter((e) => e.kind === 'egress')).toEqual([
      { from: 'sg_DbSg', to: 'pl_0123abcd', kind: 'egress', label: ['tcp/443 (HTTPS)'] },
    ]);
  });

  it('ignores suppressed findings', () => {
    const suppressedOnly = fixtureFindings().filter((f) => f.suppression);
    const graph = buildGraph([fixtureInput()], suppressedOnly);
    expect(graph.nodes.filter((n) => n.severity)).toEqual([]);
    expect(graph.edges.filter((e) => e.severity)).toEqual([]);
  });

  it('colors only the Fn::If variant whose field the finding points at', () => {
    const world = ruleIn('DbSg', 30, { from: 3306, to: 3306, peer: '0.0.0.0/0', entry: 'v' });
    const office = ruleIn('DbSg', 30, { from: 3306, to: 3306, peer: '81.2.69.0/24', entry: 'v' });
    world.fieldLocations = { peer: { file: 'test.yaml', line: 30, column: 20, endLine: 30, endColumn: 29 } };
    office.fieldLocations = { peer: { file: 'test.yaml', line: 30, column: 31, endLine: 30, endColumn: 43 } };
    const input: ParsedInput = { ...fixtureInput(), groups: [group('DbSg', [world, office])] };
    const f = finding({ ruleId: 'open-db-port', severity: 'error', line: 30, column: 22, securityGroup: 'DbSg', resource: 'DbSg' });
    const edges = buildGraph([input], [f]).edges.map((e) => [e.from, e.severity]);
    expect(edges).toEqual([
      ['internet_v4', 'error'],
      ['cidr_81_2_69_0_24', undefined],
    ]);
  });

  it('otherwise colors only the variant whose peer the message names', () => {
    const world = ruleIn('DbSg', 30, { from: 3306, to: 3306, peer: '0.0.0.0/0', entry: 'v' });
    const office = ruleIn('DbSg', 30, { from: 3306, to: 3306, peer: '10.0.0.0/8', entry: 'v' });
    const input: ParsedInput = { ...fixtureInput(), groups: [group('DbSg', [world, office])] };
    const severities = (message: string): unknown[] => {
      const f = finding({ ruleId: 'r', severity: 'warning', line: 30, securityGroup: 'DbSg', resource: 'DbSg', message });
      return buildGraph([input], [f]).edges.map((e) => [e.from, e.severity]);
    };
    expect(severities('MySQL open to the whole internet (0.0.0.0/0)')).toEqual([
      ['internet_v4', 'warning'],
      ['cidr_10_0_0_0_8', undefined],
    ]);
    expect(severities('MySQL open to 10.0.0.0/8 when condition X')).toEqual([
      ['internet_v4', undefined],
      ['cidr_10_0_0_0_8', 'warning'],
    ]);
    // "110.0.0.0/8" does not name 10.0.0.0/8; a message naming neither colors both.
    expect(severities('MySQL open to 110.0.0.0/8')).toEqual([
      ['internet_v4', 'warning'],
      ['cidr_10_0_0_0_8', 'warning'],
    ]);
  });

  it('draws self references, groups defined elsewhere and unknown peers', () => {
    const app = group('AppSg', [
      ruleIn('AppSg', 1, { proto: -1, peer: { kind: 'security-group', ref: 'AppSg', inModel: true, self: true } }),
      ruleIn('AppSg', 2, {
        from: 8080,
        to: 8080,
        peer: { kind: 'security-group', ref: 'sg-0abc', inModel: false, self: false, ownerId: '123456789012' },
      }),
      ruleIn('AppSg', 3, { from: 22, to: 22, peer: 'unknown' }),
      ruleIn('AppSg', 4, { from: 22, to: 22, peer: { kind: 'none' } }),
    ]);
    const graph = buildGraph([{ ...fixtureInput(), groups: [app] }]);
    expect(graph.nodes.map((n) => [n.id, n.kind, n.label])).toEqual([
      ['extsg_sg_0abc', 'external-group', ['sg-0abc', 'group in account 123456789012']],
      ['unknown_Fn_ImportValue_Shared', 'unknown', ['unknown peer', 'Fn::ImportValue Shared']],
      ['sg_AppSg', 'group', ['AppSg']],
    ]);
    expect(graph.edges.map((e) => [e.from, e.to, e.label])).toEqual([
      ['extsg_sg_0abc', 'sg_AppSg', ['tcp/8080 (HTTP alternate/Jenkins)']],
      ['unknown_Fn_ImportValue_Shared', 'sg_AppSg', ['tcp/22 (SSH)']],
      ['sg_AppSg', 'sg_AppSg', ['all traffic']],
    ]);
  });

  it('puts each file in its own cluster with prefixed ids and shares the internet node', () => {
    const a: ParsedInput = { ...fixtureInput(), file: 'b/stack.yaml', groups: [group('Sg', [rule({ from: 22, to: 22 })])] };
    const b: ParsedInput = { ...fixtureInput(), file: 'a/stack.yaml', groups: [group('Sg', [rule({ from: 80, to: 80 })])] };
    const empty: ParsedInput = { ...fixtureInput(), file: 'c/package.json', groups: [] };
    const graph = buildGraph([a, b, empty]);
    expect(graph.clusters).toEqual([
      { id: 'f1_file', label: 'a/stack.yaml' },
      { id: 'f2_file', label: 'b/stack.yaml' },
    ]);
    expect(graph.nodes.map((n) => [n.id, n.cluster])).toEqual([
      ['internet_v4', undefined],
      ['f1_sg_Sg', 'f1_file'],
      ['f2_sg_Sg', 'f2_file'],
    ]);
    expect(graph.edges.map((e) => `${e.from}->${e.to}: ${e.label.join(', ')}`)).toEqual([
      'internet_v4->f1_sg_Sg: tcp/80 (HTTP)',
      'internet_v4->f2_sg_Sg: tcp/22 (SSH)',
    ]);
  });

  it('renders an input without groups as a one-node graph', () => {
    const graph = buildGraph([{ ...fixtureInput(), groups: [] }]);
    expect(renderMermaid(graph)).toBe('flowchart LR\n  empty["no security groups found"]\n');
    expect(renderDot(graph)).toContain('"empty" [label="no security groups found", shape=plaintext];');
  });
});

describe('labels', () => {
  it('names protocols, ports and the services they reach', () => {
    const label = (spec: Parameters<typeof rule>[0]): string => ruleLabel(rule(spec));
    expect(label({ from: 22, to: 22 })).toBe('tcp/22 (SSH)');
    expect(label({ from: 27017, to: 27019 })).toBe('tcp/27017-27019 (MongoDB)');
    expect(label({ from: 20, to: 23 })).toBe('tcp/20-23 (includes FTP data, FTP, SSH, +1 more)');
    expect(label({ from: 3000, to: 3999 })).toBe('tcp/3000-3999 (includes Grafana/dev web server, CIFS, MySQL/Aurora, +1 more)');
    expect(label({ from: 40000, to: 40010 })).toBe('tcp/40000-40010');
    expect(label({ proto: 'udp', from: 0, to: 65535 })).toBe('all udp');
    expect(label({ proto: -1 })).toBe('all traffic');
    expect(label({ proto: 50 })).toBe('protocol 50');
    expect(label({ proto: 'icmp', from: -1, to: -1 })).toBe('icmp');
    expect(label({ proto: 'icmp', from: 3, to: 4 })).toBe('icmp type 3 code 4');
    expect(label({ proto: 'icmpv6', from: 128, to: -1 })).toBe('icmpv6 type 128');
    expect(label({ from: 22, to: 22, assumptions: ['via parameter AdminCidr default'] })).toBe(
      'tcp/22 (SSH) [via parameter AdminCidr default]',
    );
    expect(ruleLabel({ ...rule(), ports: { known: false, reason: 'parameter Port' } })).toBe('tcp, ports unknown');
    expect(ruleLabel({ ...rule(), protocol: { known: false, reason: 'parameter Proto' } })).toBe('unknown protocol');
  });
});

describe('escaping', () => {
  const nasty = 'a"b#c<d>e&f|g`h\\i\nj';

  it('escapes Mermaid labels with entity codes', () => {
    expect(escapeMermaid(nasty)).toBe('a#34;b#35;c#60;d#62;e#38;f#124;g#96;h\\i j');
  });

  it('escapes DOT strings', () => {
    expect(quote(nasty)).toBe('"a\\"b#c<d>e&amp;f|g`h\\\\i j"');
  });

  it('makes identifiers that are safe in both syntaxes', () => {
    expect(safeIdentifier('sg-0abc/def')).toBe('sg_0abc_def');
    expect(safeIdentifier('123')).toBe('n_123');
    expect(safeIdentifier('"";--')).toBe('x');
    expect(safeIdentifier('a'.repeat(60))).toBe('a'.repeat(48));
  });

  it('keeps hostile names inside their labels in every rendering', async () => {
    const hostile = 'Sg"]; end; click x "javascript:alert(1)';
    const graph = buildGraph([{ ...fixtureInput(), file: 'we"ird.yaml', groups: [group(hostile, [rule({ from: 22, to: 22 })])] }]);
    const mermaid = renderMermaid(graph);
    expect(mermaid).toContain('  subgraph file["we#34;ird.yaml"]');
    expect(mermaid).toContain('    sg_Sg_end_click_x_javascript_alert_1[["Sg#34;]; end; click x #34;javascript:alert(1)"]]');
    const dot = renderDot(graph);
    expect(dot).toContain('[label="Sg\\"]; end; click x \\"javascript:alert(1)", shape="box"');
    const svg = await renderGraph(graph, 'svg');
    expect(svg).toContain('Sg&quot;]; end; click x &quot;javascript:alert(1)');
  });
});
