// Policies in the configuration: checked by the schema and by what the schema cannot say, one line per problem.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli';

const TEMPLATE = `Resources:
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: App
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 8080
          ToPort: 8080
          CidrIp: 0.0.0.0/0
`;

async function withConfig(config: string, args: string[] = ['app.yaml']): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-lint-policies-'));
  writeFileSync(path.join(dir, 'app.yaml'), TEMPLATE);
  writeFileSync(path.join(dir, '.sg-lint.yaml'), config);
  return runCli(args, dir);
}

describe('policies in the configuration', () => {
  it('report through the engine: severity, suppression by id in overrides, listed with the rules', async () => {
    const config = 'policies:\n  - id: acme/no-public-8080\n    message: Port 8080 is never public\n    severity: warning\n    url: https://wiki.example.com/8080\n    forbid: { ports: [8080], peers: public }\n';
    const r = await withConfig(config, ['app.yaml', '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string; message: string }[] }).findings.filter((f) => f.ruleId.includes('/'));
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'acme/no-public-8080',
        severity: 'warning',
        message: 'Port 8080 is never public: security group AppSg allows tcp/8080 from the whole internet (0.0.0.0/0)',
      }),
    ]);
    expect((JSON.parse(r.stdout) as { rules: { id: string }[] }).rules.find((x) => x.id === 'acme/no-public-8080')).toEqual({
      id: 'acme/no-public-8080',
      description: 'Port 8080 is never public',
      defaultSeverity: 'warning',
      tags: ['policy'],
      helpUri: 'https://wiki.example.com/8080',
      origin: 'policy',
    });
    const sarif = JSON.parse((await withConfig(config, ['app.yaml', '--format', 'sarif'])).stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] };
    expect(sarif.runs[0]?.tool.driver.rules.find((d) => d.id === 'acme/no-public-8080')?.helpUri).toBe('https://wiki.example.com/8080');
    const off = await withConfig(`${config}rules:\n  acme/no-public-8080: off\n`, ['app.yaml', '--format', 'json']);
    expect((JSON.parse(off.stdout) as { findings: { ruleId: string }[] }).findings.filter((f) => f.ruleId.includes('/'))).toEqual([]);
    const list = await withConfig(config, ['--list-rules']);
    expect(list.stdout).toMatch(/^acme\/no-public-8080 +warning +recommended +Port 8080 is never public$/m);
  });

  it('name every problem with its line, column and path', async () => {
    const r = await withConfig(
      [
        'policies:',
        '  - id: no-namespace',
        '    message: x',
        '    limits: { maxRulesPerGroup: 3 }',
        '  - id: acme/two-kinds',
        '    message: x',
        '    limits: { maxRulesPerGroup: 3 }',
        "    require: { ruleDescription: '([' }",
        '  - id: acme/bad-ports',
        '    message: x',
        "    allow: { ports: ['30-20'], peer: [vpn] }",
        '  - id: acme/none',
        '    message: x',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'sg-lint: .sg-lint.yaml:2:9: policies[0].id: must be a namespaced id such as acme/ssh-from-vpn: lowercase words joined by "-", one "/" (got "no-namespace")',
      'sg-lint: .sg-lint.yaml:11:12: policies[2].allow: missing required key "peers"',
      'sg-lint: .sg-lint.yaml:11:32: policies[2].allow.peer: unknown key; allowed keys are direction, protocols, ports, peers; did you mean "peers"?',
    ]);
    const semantic = await withConfig(
      [
        'policies:',
        '  - id: acme/two-kinds',
        '    message: x',
        '    limits: { maxRulesPerGroup: 3 }',
        "    require: { ruleDescription: '([' }",
        '  - id: acme/bad-ports',
        '    message: x',
        "    allow: { ports: ['30-20'], peers: [vpn] }",
        '  - id: acme/none',
        '    message: x',
        '  - id: acme/bad-ports',
        '    message: again',
        '    forbid: { peers: world }',
        '',
      ].join('\n'),
    );
    expect(semantic.code).toBe(2);
    expect(semantic.stderr.split('\n').filter(Boolean)).toEqual([
      'sg-lint: .sg-lint.yaml:2:5: policies[0]: a policy has exactly one of allow, forbid, limits, require (got limits, require)',
      expect.stringMatching(/^sg-lint: \.sg-lint\.yaml:5:33: policies\[0\]\.require\.ruleDescription: not a valid regular expression \(RE2 syntax\): /),
      'sg-lint: .sg-lint.yaml:8:22: policies[1].allow.ports[0]: "30-20" is not a port range from-to with from <= to <= 65535',
      'sg-lint: .sg-lint.yaml:9:5: policies[2]: a policy has exactly one of allow, forbid, limits, require (got none)',
      'sg-lint: .sg-lint.yaml:11:9: policies[3].id: "acme/bad-ports" is already the id of a rule or another policy',
    ]);
  });
});

// A description comes from the input; a team's pattern with nested repetition made JavaScript's backtracking RegExp
// take exponential time on a description of 30 words and a "!" (issue #18). Patterns are RE2: linear time.
describe('a require pattern with nested repetition', () => {
  it('is matched in linear time against a hostile description, and reports it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sg-lint-policies-'));
    const description = `${'word '.repeat(30)}!`;
    writeFileSync(path.join(dir, 'app.yaml'), TEMPLATE.replace('          CidrIp: 0.0.0.0/0\n', `          CidrIp: 0.0.0.0/0\n          Description: '${description}'\n`));
    writeFileSync(path.join(dir, '.sg-lint.yaml'), "policies:\n  - id: acme/words\n    message: Descriptions are words\n    require: { ruleDescription: '^(\\w+\\s?)*$' }\n");
    const r = await runCli(['app.yaml', '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; line: number; message: string }[] }).findings.filter((f) => f.ruleId === 'acme/words');
    expect(findings).toEqual([
      expect.objectContaining({
        line: 7, // the rule entry, as for every require policy (fixtures/policies/require)
        message: `Descriptions are words: ingress rule tcp/8080 of security group AppSg has description ${JSON.stringify(description)}, which does not match /^(\\w+\\s?)*$/`,
      }),
    ]);
  });
});
