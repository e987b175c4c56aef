import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRAPH_HELP, runGraph } from '../src/cli/graph';
import { RULES } from '../src/rules';

const ROOT = join(__dirname, '..');

async function graph(argv: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runGraph(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}

describe('sg-lint graph', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-lint-graph-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the three-tier example as Mermaid: internet -> load balancer -> app -> database', async () => {
    const r = await graph(['examples/three-tier/stack.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  subgraph file["examples/three-tier/stack.yaml"]');
    expect(lines).toContain('  internet_v4 -->|"tcp/443 (HTTPS)<br/>tcp/80 (HTTP)"| sg_LoadBalancerSecurityGroup');
    expect(lines).toContain('  internet_v6 -->|"tcp/443 (HTTPS)"| sg_LoadBalancerSecurityGroup');
    expect(lines).toContain('  sg_LoadBalancerSecurityGroup -->|"tcp/8080 (HTTP alternate/Jenkins)"| sg_AppSecurityGroup');
    expect(lines).toContain('  sg_AppSecurityGroup -->|"tcp/5432 (PostgreSQL)"| sg_DatabaseSecurityGroup');
    expect(lines).toContain('  sg_DatabaseSecurityGroup ==>|"port 5432"| res_Database');
    expect(lines).toContain('  sg_LoadBalancerSecurityGroup ==> res_LoadBalancer');
    // A well-built stack: nothing flagged, nothing red.
    expect(r.stdout).not.toContain('sevError');
  });

  it('highlights what the rules flag in the mistakes example', async () => {
    const r = await graph(['examples/mistakes/legacy-stack.yaml', '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph "sg-lint" {\n')).toBe(true);
    expect(r.stdout).toMatch(/"internet_v4" -> "sg_WindowsJumpHostSecurityGroup" \[label="all traffic", color="#d32f2f"/);
    expect(r.stdout).toMatch(/"sg_WebServerSecurityGroup" \[label="WebServerSecurityGroup", [^\n]*color="#d32f2f"/);
    // Of the two Fn::If variants of the vendor rule only the one open to the world is flagged.
    expect(r.stdout).toMatch(/"internet_v4" -> "sg_DatabaseSecurityGroup" \[label="[^"]*when condition IsDev is true\]", color="#d32f2f"/);
    expect(r.stdout).toContain(
      '"cidr_81_2_69_0_24" -> "sg_DatabaseSecurityGroup" [label="tcp/3306 (MySQL/Aurora) [when condition IsDev is false]"];',
    );
  });

  it('highlights according to the configuration file: nothing when every rule is off', async () => {
    const off = Object.fromEntries(RULES.map((r) => [r.meta.id, 'off']));
    writeFileSync(join(dir, 'all-off.json'), JSON.stringify({ rules: off }));
    const r = await graph(['examples/mistakes/legacy-stack.yaml', '--config', join(dir, 'all-off.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('internet_v4 -->|"all traffic"| sg_WindowsJumpHostSecurityGroup');
    expect(r.stdout).not.toMatch(/sevError|sevWarning|linkStyle/);
    const bad = await graph(['examples/mistakes/legacy-stack.yaml', '--config', join(dir, 'missing.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^sg-lint graph: .*missing\.json/);
  });

  it('writes an SVG file chosen by the output extension', async () => {
    const r = await graph(['examples/three-tier/stack.yaml', '--output', join(dir, 'out', 'graph.svg')]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const svg = readFileSync(join(dir, 'out', 'graph.svg'), 'utf8');
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('>AppSecurityGroup</text>');
  });

  it('draws egress only when asked', async () => {
    const without = await graph(['examples/three-tier/stack.yaml']);
    const withEgress = await graph(['examples/three-tier/stack.yaml', '--egress']);
    expect(without.stdout).not.toContain('-.->');
    expect(withEgress.stdout).toContain('  sg_AppSecurityGroup -.->|"tcp/443 (HTTPS)"| internet_v4');
  });

  it('reports unreadable inputs on stderr with exit code 2 and still draws the rest', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n');
    writeFileSync(join(dir, 'ok.yaml'), readFileSync(join(ROOT, 'examples/three-tier/stack.yaml'), 'utf8'));
    const r = await graph(['broken.yaml', 'ok.yaml', 'missing.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^broken\.yaml:\d+:\d+: error: /m);
    expect(r.stderr).toMatch(/^missing\.yaml: error: /m);
    expect(r.stdout).toContain('sg_AppSecurityGroup');
  });

  it('says so when there is nothing to draw', async () => {
    writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
    const r = await graph(['package.json'], dir);
    expect(r).toEqual({
      code: 0,
      stdout: 'flowchart LR\n  empty["no security groups found"]\n',
      stderr: 'sg-lint graph: no security groups found in the inputs\n',
    });
  });

  it('matches the Mermaid source and the pictures shown in docs/integrations.md', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'integrations.md'), 'utf8');
    const block = /<!-- graph:three-tier -->\n```mermaid\n([\s\S]*?)```\n<!-- \/graph:three-tier -->/.exec(doc);
    const r = await graph(['examples/three-tier/stack.yaml']);
    // When this fails, redraw with the commands at the end of docs/integrations.md.
    expect(block?.[1]).toBe(r.stdout);
    for (const [args, image] of [
      [['examples/three-tier/stack.yaml'], 'three-tier.svg'],
      [['examples/mistakes/'], 'mistakes.svg'],
    ] as const) {
      const svg = await graph([...args, '--format', 'svg']);
      expect([image, readFileSync(join(ROOT, 'docs', 'images', image), 'utf8') === svg.stdout]).toEqual([image, true]);
    }
  });

  it('rejects bad arguments with exit code 2', async () => {
    expect(await graph(['--format', 'png', 'x.yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sg-lint graph: unknown format "png"; use one of mermaid, dot, svg\nRun "sg-lint graph --help" for usage.\n',
    });
    const unknownOption = await graph(['--egres']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toBe('sg-lint graph: unknown option --egres; did you mean "--egress"?\nRun "sg-lint graph --help" for usage.\n');
    expect((await graph(['--output'])).stderr).toBe('sg-lint graph: --output needs a value: --output <file>\nRun "sg-lint graph --help" for usage.\n');
  });

  it('prints its help', async () => {
    expect(await graph(['--help'])).toEqual({ code: 0, stdout: `${GRAPH_HELP}\n`, stderr: '' });
  });
});
