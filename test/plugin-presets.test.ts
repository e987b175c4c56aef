// Plugin presets: `extends: acme/strict` loads the preset `strict` of the plugin named `acme` (its `presets` export):
// its rule settings and policies apply in order, after the presets it extends, and the configuration's own rules and
// policies override them; an unknown plugin or preset, a cycle or a bad preset is one located line and exit 2.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli';
import { EXAMPLE_PLUGIN, examplePluginConfig, project } from './helpers/project';

const EXAMPLE = EXAMPLE_PLUGIN;

// A database group that admits a CIDR block (acme/database-from-groups-only), 8080 from the internet
// (acme/no-public-8080), and no owner tag (acme/owner-tag).
const TEMPLATE = `Resources:
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Database
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.0.0.0/8
        - IpProtocol: tcp
          FromPort: 8080
          ToPort: 8080
          CidrIp: 0.0.0.0/0
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      VPCSecurityGroups: [!GetAtt DbSg.GroupId]
`;

/** A project whose .sg-lint.yaml names the example plugin (by a relative path) and then says `config`. */
function withExample(config: string): string {
  const dir = project({ 'db.yaml': TEMPLATE });
  writeFileSync(path.join(dir, '.sg-lint.yaml'), examplePluginConfig(dir, config));
  return dir;
}

interface Report {
  findings: { ruleId: string; severity: string; line: number; message: string; foldedRuleIds?: string[] }[];
  rules: { id: string; origin: string; helpUri?: string; plugin?: { name: string; version: string } }[];
}

async function report(dir: string, args: string[] = []): Promise<Report> {
  const r = await runCli(['db.yaml', '--format', 'json', ...args], dir);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Report;
}

/** `ruleId severity` of the plugin rules' and policies' findings (namespaced ids), in report order. */
function namespaced(r: Report): string[] {
  return r.findings.filter((f) => f.ruleId.includes('/')).map((f) => `${f.line} ${f.ruleId} ${f.severity}`);
}

describe('extends: a plugin preset', () => {
  it('applies the preset, the presets it extends, and their policies', async () => {
    const recommended = await report(withExample('extends: acme/recommended\n'));
    expect(namespaced(recommended)).toEqual(['12 acme/database-from-groups-only warning', '16 acme/database-from-groups-only warning', '16 acme/no-public-8080 warning']);

    const strict = await report(withExample('extends: acme/strict\n'));
    // acme/strict extends strict and acme/recommended: its own severities win over acme/recommended's, and it adds a policy.
    expect(namespaced(strict)).toEqual([
      '2 acme/owner-tag warning',
      '12 acme/database-from-groups-only error',
      '16 acme/database-from-groups-only error',
      '16 acme/no-public-8080 error',
    ]);
    // The built-in preset strict comes with it: world-ingress-unexpected-port is tagged security, not recommended. On
    // this group, which guards a database, its finding is folded into exposed-database-group's (issue #14).
    const ruleIds = (r: Report): string[] => r.findings.flatMap((f) => [f.ruleId, ...(f.foldedRuleIds ?? [])]);
    expect(ruleIds(strict)).toContain('world-ingress-unexpected-port');
    expect(ruleIds(recommended)).not.toContain('world-ingress-unexpected-port');
    // The presets' policies say which plugin brought them.
    const acme = { name: 'acme', version: '1.0.0' };
    expect(strict.rules.filter((r) => r.origin === 'policy').map((r) => [r.id, r.helpUri, r.plugin])).toEqual([
      ['acme/no-public-8080', 'https://github.com/sg-lint/sg-lint/blob/main/examples/plugin/README.md#presets', acme],
      ['acme/owner-tag', 'https://github.com/sg-lint/sg-lint/blob/main/examples/plugin/README.md#presets', acme],
    ]);
  });

  it('lets the configuration override the preset: severities, options, off, and a policy with the same id', async () => {
    const dir = withExample(`extends: [acme/strict]
rules:
  acme/database-from-groups-only:
    severity: note
    options: { allowCidrs: [10.0.0.0/8] }
  acme/owner-tag: off
policies:
  - id: acme/no-public-8080
    message: Port 8080 is public only through the load balancer
    severity: note
    forbid: { ports: [8080], peers: world }
`);
    const r = await report(dir);
    expect(r.rules.find((x) => x.id === 'acme/no-public-8080')).not.toHaveProperty('plugin');
    // The configuration's policy replaces the preset's; acme/strict's setting for that id (error) still grades it.
    expect(namespaced(r)).toEqual(['16 acme/database-from-groups-only note', '16 acme/no-public-8080 error']);
    expect(r.findings.find((f) => f.ruleId === 'acme/no-public-8080')?.message).toBe(
      'Port 8080 is public only through the load balancer: security group DbSg allows tcp/8080 from the whole internet (0.0.0.0/0)',
    );
    const printed = JSON.parse((await runCli(['--print-config', 'db.yaml'], dir)).stdout) as { extends: string; presets: string[]; rules: Record<string, { severity: string }> };
    expect(printed.extends).toBe('strict');
    expect(printed.presets).toEqual(['acme/recommended', 'acme/strict']);
    expect(printed.rules['acme/owner-tag']).toBeUndefined();
    expect(printed.rules['acme/database-from-groups-only']).toEqual({ severity: 'note', options: { allowCidrs: ['10.0.0.0/8'] } });
  });

  it('keeps the widest built-in preset of the chain, and --preset replaces only that', async () => {
    const dir = withExample('extends: [all, acme/recommended]\n');
    const printed = JSON.parse((await runCli(['--print-config', 'db.yaml'], dir)).stdout) as { extends: string; presets: string[] };
    expect([printed.extends, printed.presets]).toEqual(['all', ['acme/recommended']]);
    const overridden = JSON.parse((await runCli(['--print-config', 'db.yaml', '--preset', 'recommended'], dir)).stdout) as { extends: string; presets: string[] };
    expect([overridden.extends, overridden.presets]).toEqual(['recommended', ['acme/recommended']]);
    expect(namespaced(await report(dir, ['--preset', 'recommended']))).toContain('16 acme/no-public-8080 warning');
  });

  it('finds the presets of a plugin given with --plugin', async () => {
    const dir = project({ 'db.yaml': TEMPLATE, '.sg-lint.yaml': 'extends: acme/recommended\n' });
    const r = await report(dir, ['--plugin', path.relative(dir, EXAMPLE)]);
    expect(namespaced(r)).toContain('16 acme/no-public-8080 warning');
  });
});

/** A plugin `team` with the given presets and one rule, team/every-group (note). */
function teamPlugin(presets: string): string {
  return `module.exports = {
  meta: { name: 'team', version: '0.1.0' },
  rules: [{
    meta: { id: 'every-group', description: 'Report every group', defaultSeverity: 'note', tags: ['hygiene'], recommended: false, options: {} },
    check(ctx) { for (const group of ctx.groups) ctx.report({ target: { group }, message: 'group ' + group.address }); },
  }],
  presets: ${presets},
};
`;
}

async function withTeam(presets: string, config: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = project({ 'db.yaml': TEMPLATE, 'team.js': teamPlugin(presets), '.sg-lint.yaml': `plugins: [./team.js]\n${config}` });
  return runCli(['db.yaml', '--format', 'json'], dir);
}

describe('the order of presets', () => {
  const PRESETS = `{
    loud: { rules: { 'team/every-group': 'error' } },
    quiet: { rules: { 'team/every-group': 'note' } },
    off: { rules: { 'team/every-group': 'off' } },
  }`;

  it.each([
    ['[team/loud, team/quiet]', 'note'],
    ['[team/quiet, team/loud]', 'error'],
    ['[team/loud, team/off]', undefined],
    ['[team/off, team/loud]', 'error'],
  ])('extends: %s gives %s', async (list, severity) => {
    const r = await withTeam(PRESETS, `extends: ${list}\n`);
    expect(r.stderr).toBe('');
    const findings = (JSON.parse(r.stdout) as Report).findings.filter((f) => f.ruleId === 'team/every-group');
    expect(findings.map((f) => f.severity)).toEqual(severity === undefined ? [] : [severity]);
  });

  it('applies a preset reached twice once, where it is first reached', async () => {
    const presets = `{ base: { rules: { 'team/every-group': 'warning' } }, top: { extends: 'team/base', rules: { 'team/every-group': 'error' } } }`;
    const r = await withTeam(presets, 'extends: [team/top, team/base]\n');
    expect((JSON.parse(r.stdout) as Report).findings.filter((f) => f.ruleId === 'team/every-group').map((f) => f.severity)).toEqual(['error']);
  });
});

describe('a wrong extends', () => {
  const cases: [string, string, string][] = [
    ['an unknown plugin', 'extends: [strict, acm/strict]\n', '.sg-lint.yaml:2:19: extends[1]: unknown plugin "acm" (loaded: acme); did you mean "acme/strict"?'],
    ['an unknown preset', 'extends: acme/strictt\n', '.sg-lint.yaml:2:10: extends: unknown preset "acme/strictt": plugin acme has acme/recommended, acme/strict; did you mean "acme/strict"?'],
    ['the ESLint form', 'extends: plugin:acme/strict\n', '.sg-lint.yaml:2:10: extends: write a plugin\'s preset as "acme/strict", without "plugin:"'],
    [
      'a misspelt built-in preset',
      'extends: [strickt]\n',
      '.sg-lint.yaml:2:11: extends[0]: must be one of recommended, strict, all, or a plugin\'s preset such as acme/strict (got "strickt"); did you mean "strict"?',
    ],
    [
      'neither a name nor a list',
      'extends: { acme: strict }\n',
      '.sg-lint.yaml:2:10: extends: must be a preset name or a list of preset names: recommended, strict, all, or a plugin\'s preset such as acme/strict (got an object)',
    ],
  ];

  it.each(cases)('%s is one located line and exit 2', async (_name, config, line) => {
    const dir = withExample(config);
    const r = await runCli(['db.yaml'], dir);
    expect([r.code, r.stderr]).toEqual([2, `sg-lint: ${line}\n`]);
  });

  it('names the plugin when no plugin is loaded', async () => {
    const dir = project({ 'db.yaml': TEMPLATE, '.sg-lint.yaml': 'extends: acme/strict\n' });
    const r = await runCli(['db.yaml'], dir);
    expect([r.code, r.stderr]).toEqual([2, 'sg-lint: .sg-lint.yaml:1:10: extends: unknown plugin "acme": no plugin is loaded; name it under plugins (or with --plugin)\n']);
  });

  it('reports presets that extend each other in a cycle', async () => {
    const presets = `{ a: { extends: ['strict', 'team/b'] }, b: { extends: 'team/c' }, c: { extends: 'team/a' } }`;
    const r = await withTeam(presets, 'extends: team/a\n');
    expect([r.code, r.stderr]).toEqual([2, 'sg-lint: .sg-lint.yaml:2:10: extends: presets extend each other in a cycle: team/a → team/b → team/c → team/a\n']);
  });

  it('reports what is wrong inside a preset at the entry that brought it in', async () => {
    const presets = `{
      base: { rules: { 'team/every-grup': 'error', 'open-db-port': { options: { ports: 5432 } } } },
      top: { extends: 'team/base', policies: [{ id: 'team/p', message: 'm' }] },
      nested: { extends: 'team/missing' },
    }`;
    const r = await withTeam(presets, 'extends:\n  - team/top\n  - team/nested\n');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      'sg-lint: .sg-lint.yaml:3:5: extends[0]: preset team/base: rules.open-db-port.options.ports: must be array (got number 5432)',
      'sg-lint: .sg-lint.yaml:3:5: extends[0]: preset team/top: policies[0]: a policy has exactly one of allow, forbid, limits, require (got none)',
      'sg-lint: .sg-lint.yaml:3:5: extends[0]: preset team/base: rules.team/every-grup: unknown rule; did you mean "team/every-group"?',
      'sg-lint: .sg-lint.yaml:4:5: extends[1]: preset team/nested extends "team/missing": unknown preset "team/missing": plugin team has team/base, team/nested, team/top',
      '',
    ]);
  });

  it('refuses a plugin whose presets are malformed, naming the plugin', async () => {
    const r = await withTeam(`{ strict: { rules: [] , extend: 'x' } }`, '');
    expect([r.code, r.stderr]).toEqual([2, 'sg-lint: plugin "./team.js" (.sg-lint.yaml): presets.strict: unknown key "extend"; allowed keys are extends, rules, policies\n']);
  });
});
