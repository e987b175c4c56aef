// Plugins: the example plugin referenced from a .sg-lint.yaml reports like a built-in rule (text, JSON, SARIF with its
// helpUri, suppressions, baselines); a plugin that cannot be found, loaded or run is exit 2 naming it; misspelt
// plugin rule ids get "did you mean"; options are validated by the rule's own metadata.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli';
import { EXAMPLE_PLUGIN, examplePluginConfig, project } from './helpers/project';

const EXAMPLE = EXAMPLE_PLUGIN;
const RULE = 'acme/database-from-groups-only';

const DB_TEMPLATE = (metadata = ''): string => `Resources:
  DbSg:
    Type: AWS::EC2::SecurityGroup${metadata}
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
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      VPCSecurityGroups: [!GetAtt DbSg.GroupId]
`;

const exampleConfig = examplePluginConfig;

function withConfig(extra = '', template = DB_TEMPLATE()): string {
  const dir = project({ 'db.yaml': template });
  writeFileSync(path.join(dir, '.sg-lint.yaml'), exampleConfig(dir, extra));
  return dir;
}

describe('the example plugin from a .sg-lint.yaml', () => {
  it('reports its finding in text with its namespaced id', async () => {
    const r = await runCli(['db.yaml'], withConfig());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0); // the rule's default severity is warning
    expect(r.stdout).toContain(
      '12:11  warning  Security group DbSg guards database Db (AWS::RDS::DBInstance) and admits tcp/5432 from the CIDR block 10.0.0.0/8: admit the application\'s security group instead  acme/database-from-groups-only',
    );
  });

  it('reports it in JSON and in SARIF with the rule metadata and helpUri', async () => {
    const dir = withConfig(`rules:\n  ${RULE}: error\n`);
    const json = await runCli(['db.yaml', '--format', 'json'], dir);
    expect(json.code).toBe(1);
    const findings = (JSON.parse(json.stdout) as { findings: { ruleId: string; line: number; severity: string }[] }).findings;
    expect(findings.map((f) => [f.ruleId, f.line, f.severity])).toEqual([[RULE, 12, 'error']]);
    expect((JSON.parse(json.stdout) as { rules: unknown[] }).rules).toEqual([
      {
        id: RULE,
        description: 'Require security groups that guard databases to admit only other security groups, not CIDR blocks',
        defaultSeverity: 'warning',
        tags: ['security', 'database', 'ingress'],
        helpUri: 'https://github.com/sg-lint/sg-lint/blob/main/examples/plugin/README.md#acmedatabase-from-groups-only',
        origin: 'plugin',
        plugin: { name: 'acme', version: '1.0.0' },
      },
    ]);
    const sarif = await runCli(['db.yaml', '--format', 'sarif'], dir);
    const run = (JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string; properties: { tags: string[] } }[] } }; results: { ruleId: string }[] }[] }).runs[0];
    const descriptor = run?.tool.driver.rules.find((d) => d.id === RULE);
    expect(descriptor?.helpUri).toBe('https://github.com/sg-lint/sg-lint/blob/main/examples/plugin/README.md#acmedatabase-from-groups-only');
    expect(descriptor?.properties.tags).toEqual(['security', 'database', 'ingress']);
    expect(run?.results.map((x) => x.ruleId)).toEqual([RULE]);
  });

  it('is suppressed by its id in the template, and by a baseline, like a built-in rule', async () => {
    const metadata = `\n    Metadata:\n      sg-lint:\n        suppress:\n          - rule: ${RULE}\n            reason: the reporting VPC reads the replica directly`;
    const dir = withConfig('', DB_TEMPLATE(metadata));
    const r = await runCli(['db.yaml', '--format', 'json'], dir);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; suppressed?: { justification: string } }[] }).findings;
    expect(findings).toEqual([expect.objectContaining({ ruleId: RULE, suppressed: expect.objectContaining({ justification: 'the reporting VPC reads the replica directly' }) })]);

    const plain = withConfig();
    expect((await runCli(['db.yaml', '--write-baseline', 'baseline.json'], plain)).code).toBe(0);
    const baseline = JSON.parse(readFileSync(path.join(plain, 'baseline.json'), 'utf8')) as { findings: { ruleId: string }[] };
    expect(baseline.findings.map((f) => f.ruleId)).toEqual([RULE]);
    const again = await runCli(['db.yaml', '--baseline', 'baseline.json', '--format', 'json', '--fail-on', 'warning'], plain);
    expect(again.code).toBe(0);
  });

  it('is suppressed by a Terraform comment naming its id', async () => {
    const dir = project({
      'main.tf': `resource "aws_security_group" "db" {
  description = "Database"
  # sg-lint-ignore ${RULE}: the reporting VPC reads the replica directly
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_db_instance" "main" {
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  vpc_security_group_ids = [aws_security_group.db.id]
}
`,
    });
    writeFileSync(path.join(dir, '.sg-lint.yaml'), exampleConfig(dir));
    const r = await runCli(['main.tf', '--format', 'json'], dir);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; suppressed?: unknown }[] }).findings.filter((f) => f.ruleId === RULE);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.suppressed).toBeDefined();
  });

  it('takes options validated by its own metadata, and turns off like any rule', async () => {
    const allowed = await runCli(['db.yaml', '--format', 'json'], withConfig(`rules:\n  ${RULE}:\n    options:\n      allowCidrs: [10.0.0.0/8]\n`));
    expect((JSON.parse(allowed.stdout) as { findings: unknown[] }).findings).toEqual([]);
    const off = await runCli(['db.yaml', '--format', 'json'], withConfig(`rules:\n  ${RULE}: off\n`));
    expect((JSON.parse(off.stdout) as { findings: unknown[] }).findings).toEqual([]);
    const bad = await runCli(['db.yaml'], withConfig(`rules:\n  ${RULE}:\n    options:\n      allowCidrs: 10.0.0.0/8\n      allowCidr: []\n`));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      [
        `sg-lint: .sg-lint.yaml:5:19: rules.${RULE}.options.allowCidrs: must be array (got "10.0.0.0/8"); expected: CIDR blocks that may still reach databases (a VPN, a peered VPC), such as ["10.8.0.0/16"]`,
        `sg-lint: .sg-lint.yaml:6:7: rules.${RULE}.options.allowCidr: unknown option of ${RULE}; options are allowCidrs; did you mean "allowCidrs"?`,
        '',
      ].join('\n'),
    );
  });

  it('suggests the right id for a misspelt plugin rule id', async () => {
    const r = await runCli(['db.yaml'], withConfig(`rules:\n  acme/database-from-group-only: error\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sg-lint: .sg-lint.yaml:3:3: rules.acme/database-from-group-only: unknown rule; did you mean "${RULE}"?\n`);
  });

  it('is listed by --list-rules and shown by --print-config', async () => {
    const dir = withConfig();
    const list = await runCli(['--list-rules'], dir);
    expect(list.stdout).toMatch(/^acme\/database-from-groups-only +warning +recommended +Require security groups that guard databases/m);
    const printed = JSON.parse((await runCli(['--print-config', 'db.yaml'], dir)).stdout) as { plugins: { name: string; version: string }[]; rules: Record<string, unknown> };
    expect(printed.plugins.map((p) => [p.name, p.version])).toEqual([['acme', '1.0.0']]);
    expect(Object.keys(printed.rules)).toContain(RULE);
  });
});

describe('--plugin and plugins from node_modules', () => {
  it('loads a plugin given on the command line, relative to the working directory', async () => {
    const dir = project({ 'db.yaml': DB_TEMPLATE() });
    const r = await runCli(['db.yaml', '--plugin', path.relative(dir, EXAMPLE), '--format', 'json'], dir);
    expect((JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)).toContain(RULE);
  });

  it('resolves a package name from the configuration folder\'s node_modules', async () => {
    const plugin = `module.exports = { meta: { name: 'pkg', version: '2.0.0' }, rules: [{
      meta: { id: 'every-group', description: 'Report every group', defaultSeverity: 'note', tags: ['hygiene'], recommended: true, options: {} },
      check(ctx) { for (const group of ctx.groups) ctx.report({ target: { group }, message: 'group ' + group.address }); },
    }] };\n`;
    const dir = project({
      'infra/.sg-lint.yaml': 'plugins: [sg-lint-plugin-pkg]\n',
      'infra/db.yaml': DB_TEMPLATE(),
      'infra/node_modules/sg-lint-plugin-pkg/package.json': '{ "name": "sg-lint-plugin-pkg", "version": "2.0.0", "main": "main.js" }\n',
      'infra/node_modules/sg-lint-plugin-pkg/main.js': plugin,
    });
    const r = await runCli(['infra', '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; message: string }[] }).findings.filter((f) => f.ruleId.startsWith('pkg/'));
    expect(findings.map((f) => [f.ruleId, f.message])).toEqual([['pkg/every-group', 'group DbSg']]);
    // Without a helpUri of its own, a plugin rule's SARIF descriptor has none (it is not documented under docs/rules).
    const sarif = JSON.parse((await runCli(['infra', '--format', 'sarif'], dir)).stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] };
    expect(sarif.runs[0]?.tool.driver.rules.find((d) => d.id === 'pkg/every-group')).not.toHaveProperty('helpUri');
  });
});

describe('a broken plugin', () => {
  const cases: [string, string, string][] = [
    ['throws while loading', "throw new Error('boom');\n", 'sg-lint: plugin "./broken.js" (.sg-lint.yaml): failed to load: boom'],
    [
      'exports an object whose getter throws',
      "module.exports = { meta: { name: 'broken', version: '1.0.0' }, rules: [], get presets() { throw new RangeError('no presets today'); } };\n",
      'sg-lint: plugin "./broken.js" (.sg-lint.yaml): failed to load: RangeError: no presets today',
    ],
    ['exports no rules', "module.exports = { meta: { name: 'broken', version: '1.0.0' } };\n", 'sg-lint: plugin "./broken.js" (.sg-lint.yaml): must export rules: an array of rules made with defineRule'],
    [
      'has an invalid name',
      "module.exports = { meta: { name: 'Broken Plugin', version: '1.0.0' }, rules: [] };\n",
      'sg-lint: plugin "./broken.js" (.sg-lint.yaml): meta.name "Broken Plugin" must be kebab-case (letters, digits, "-"): it is the namespace of the plugin\'s rule ids',
    ],
    [
      'has a rule without a check',
      "module.exports = { meta: { name: 'broken', version: '1.0.0' }, rules: [{ meta: { id: 'x' } }] };\n",
      'sg-lint: plugin "./broken.js" (.sg-lint.yaml): rules[0]: must be { meta, check(ctx) } (use defineRule)',
    ],
    [
      'has a rule that throws',
      "module.exports = { meta: { name: 'broken', version: '1.0.0' }, rules: [{ meta: { id: 'x', description: 'x', defaultSeverity: 'error', tags: [], recommended: true, options: {} }, check() { throw new TypeError('cannot read groups'); } }] };\n",
      'sg-lint: plugin "broken": rule broken/x failed on db.yaml: TypeError: cannot read groups',
    ],
    [
      'has an async check that fails later',
      "module.exports = { meta: { name: 'broken', version: '1.0.0' }, rules: [{ meta: { id: 'x', description: 'x', defaultSeverity: 'error', tags: [], recommended: true, options: {} }, async check() { await null; throw new Error('late'); } }] };\n",
      'sg-lint: plugin "broken": rule broken/x returned a promise on db.yaml: check(ctx) must be synchronous (not async)',
    ],
    [
      'reports a finding without a message',
      "module.exports = { meta: { name: 'broken', version: '1.0.0' }, rules: [{ meta: { id: 'x', description: 'x', defaultSeverity: 'error', tags: [], recommended: true, options: {} }, check(ctx) { for (const group of ctx.groups) ctx.report({ target: { group }, message: 42 }); } }] };\n",
      'sg-lint: plugin "broken": rule broken/x made an invalid report on db.yaml: message must be a non-empty string',
    ],
    [
      'reports an unknown severity',
      "module.exports = { meta: { name: 'broken', version: '1.0.0' }, rules: [{ meta: { id: 'x', description: 'x', defaultSeverity: 'error', tags: [], recommended: true, options: {} }, check(ctx) { for (const group of ctx.groups) ctx.report({ target: { group }, message: 'm', severity: 'critical' }); } }] };\n",
      'sg-lint: plugin "broken": rule broken/x made an invalid report on db.yaml: severity must be one of error, warning, note',
    ],
    [
      'reports on a copy of a rule',
      "module.exports = { meta: { name: 'broken', version: '1.0.0' }, rules: [{ meta: { id: 'x', description: 'x', defaultSeverity: 'error', tags: [], recommended: true, options: {} }, check(ctx) { for (const group of ctx.groups) for (const rule of group.ingress) ctx.report({ target: { rule: { ...rule } }, message: 'm' }); } }] };\n",
      'sg-lint: plugin "broken": rule broken/x made an invalid report on db.yaml: target.rule must be a rule of ctx.groups (group.ingress or group.egress), one of the input\'s own objects, not a copy',
    ],
    [
      'reports on no target',
      "module.exports = { meta: { name: 'broken', version: '1.0.0' }, rules: [{ meta: { id: 'x', description: 'x', defaultSeverity: 'error', tags: [], recommended: true, options: {} }, check(ctx) { ctx.report({ target: { nope: 1 }, message: 'm' }); } }] };\n",
      'sg-lint: plugin "broken": rule broken/x made an invalid report on db.yaml: target must be { rule, group? }, { group } or { user }',
    ],
  ];
  it.each(cases)('%s: exit 2 with its name and the error', async (_name, source, message) => {
    const dir = project({ 'db.yaml': DB_TEMPLATE(), '.sg-lint.yaml': 'plugins: [./broken.js]\n', 'broken.js': source });
    const r = await runCli(['db.yaml'], dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `${message}\n`]);
  });

  it('that cannot be found: exit 2 naming it', async () => {
    const dir = project({ 'db.yaml': DB_TEMPLATE(), '.sg-lint.yaml': 'plugins: [./missing.js, sg-lint-plugin-nowhere]\n' });
    const r = await runCli(['db.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sg-lint: plugin "./missing.js" (.sg-lint.yaml): cannot find ${path.join(dir, 'missing.js')}\n`);
    const flag = await runCli(['db.yaml', '--plugin', 'sg-lint-plugin-nowhere'], project({ 'db.yaml': DB_TEMPLATE() }));
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^sg-lint: plugin "sg-lint-plugin-nowhere" \(--plugin\): cannot find package sg-lint-plugin-nowhere from /);
  });
});
