// Issue 12 §2: Terraform modules, variables and Terragrunt units resolved as Terraform resolves them. Every folder of
// fixtures/terraform is linted as a directory and its findings must match the `# expect:` comments written in its
// files (module files under .terraform/modules and .terragrunt-cache included).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { COMMENT_READER } from '../src/docs/fixtures';
import { createBaseline } from '../src/engine/baseline';
import { lintRun } from '../src/engine/lint';
import type { LintOptions } from '../src/engine/lint';
import type { Finding } from '../src/engine/types';
import { REPORTERS } from '../src/reporters';
import { emptyModule } from '../src/parsers/terraform/config';
import { addHclFile, loadParser, readHclBody } from '../src/parsers/terraform/hcl';
import { normalizeSource, readManifest, resolveModuleSource } from '../src/parsers/terraform/sources';
import type { TerraformVarSource } from '../src/parsers/terraform/variables';
import { autoVarFiles, rootVariables } from '../src/parsers/terraform/variables';
import { toPlain } from '../src/parsers/terraform/values';
import { runCli } from './helpers/cli';

const ROOT = join(__dirname, '..');
const FIXTURES = 'fixtures/terraform';

/** Every `.tf` / `.hcl` file below a folder, dot folders included. */
function configFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir)).sort()) {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...configFiles(path));
    else if (name.endsWith('.tf') || name.endsWith('.hcl')) out.push(path);
  }
  return out;
}

function expected(dir: string): string[] {
  return configFiles(dir)
    .flatMap((file) => COMMENT_READER.read(readFileSync(join(ROOT, file), 'utf8')).expectations.map((e) => `${file}:${e.line} ${e.ruleId}`))
    .sort();
}

function actual(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
}

async function lintDir(dir: string, options: LintOptions = {}): ReturnType<typeof lintRun> {
  return lintRun([dir], { cwd: ROOT, config: false, terraform: { env: {} }, ...options });
}

describe('fixtures/terraform: findings match the expect comments', () => {
  // git-module holds the module repository (source/) beside the root that installed it: tested on its own below.
  const folders = readdirSync(join(ROOT, FIXTURES))
    .filter((n) => statSync(join(ROOT, FIXTURES, n)).isDirectory() && n !== 'git-module')
    .sort();
  it.each(folders)('%s', async (folder) => {
    const { result } = await lintDir(`${FIXTURES}/${folder}`);
    expect(result.errors).toEqual([]);
    expect(actual(result.findings)).toEqual(expected(`${FIXTURES}/${folder}`));
  });
});

describe('modules installed by terraform init', () => {
  it('reads registry modules (and their nested local modules) where modules.json puts them', async () => {
    const { result } = await lintDir(`${FIXTURES}/registry`);
    // The group guards the caller's database: SSH from the internet is one exposed-database-group finding, at the
    // cidr_blocks value, with open-admin-port folded into it.
    const ssh = result.findings.find((f) => f.resource.endsWith('["22"]'));
    expect(ssh).toMatchObject({
      ruleId: 'exposed-database-group',
      foldedRuleIds: ['open-admin-port'],
      file: `${FIXTURES}/registry/.terraform/modules/web_sg/modules/rules/main.tf`,
      line: 12,
      resource: 'module.web_sg.module.rules.aws_security_group_rule.ingress["22"]',
      securityGroup: 'module.web_sg.aws_security_group.this',
    });
    // The call chain: which caller's inputs opened the port.
    expect(ssh?.message).toContain(
      `in module.web_sg.module.rules (called from ${FIXTURES}/registry/main.tf → ${FIXTURES}/registry/.terraform/modules/web_sg/main.tf)`,
    );
    // The caller's database is attached through the module output, so the group is known to guard it.
    expect(result.findings.filter((f) => f.ruleId === 'exposed-database-group')).toHaveLength(2);
  });

  it('says visibly, in every format, that a module is not installed', async () => {
    const run = await lintDir(`${FIXTURES}/registry`);
    const notice = { file: `${FIXTURES}/registry/main.tf`, line: 22, column: 1, message: 'module not_installed (terraform-aws-modules/rds/aws) is not installed: run terraform init' };
    expect(run.result.notices).toContainEqual({ ...notice, visible: true });
    const ctx = { result: run.result, source: (f: string) => run.sources.get(f), color: false, toolVersion: '0.0.0', verbose: false, docsBaseUrl: 'https://example.com/' };
    expect(REPORTERS.text(ctx)).toContain(`${notice.file}:22:1: warning: ${notice.message}\n`);
    expect(JSON.parse(REPORTERS.json(ctx)).notices).toEqual([notice]);
    const sarif = JSON.parse(REPORTERS.sarif(ctx));
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toContainEqual(
      expect.objectContaining({ level: 'warning', message: { text: notice.message }, descriptor: { id: 'input-notice' } }),
    );
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(REPORTERS.github(ctx)).toContain(`::warning file=${notice.file},line=22,col=1,title=sg-lint%3A not linted::${notice.message}\n`);
    expect(REPORTERS.markdown(ctx)).toContain(`- :warning: \`${notice.file}:22:1\` ${notice.message.replace(/_/g, '\\_')}\n`);
    expect(REPORTERS.junit(ctx)).toContain(`<skipped message="${notice.message}">`);
    expect(JSON.parse(REPORTERS.gitlab(ctx))).toContainEqual(expect.objectContaining({ check_name: 'not-linted', description: `Not linted: ${notice.message}` }));
    // The module's outputs are unknown, and say why.
    const output = run.result.findings.find((f) => f.ruleId === 'unknown-peer' && f.resource === 'aws_security_group_rule.from_rds_module');
    expect(output?.message).toContain(`(module.not_installed.db_instance_address (${notice.message}))`);
  });

  it('says it once for a module called by every instance of its caller (for_each)', async () => {
    const { result } = await lintDir(`${FIXTURES}/module-instances`);
    expect(result.notices.filter((n) => n.visible)).toEqual([
      { file: `${FIXTURES}/module-instances/m/main.tf`, line: 5, column: 1, message: 'module vpc (terraform-aws-modules/vpc/aws) is not installed: run terraform init', visible: true },
    ]);
  });

  it('reads git modules installed by a real terraform get (a //subdirectory and a nested local module)', async () => {
    const { result } = await lintDir(`${FIXTURES}/git-module/root`);
    expect(result.errors).toEqual([]);
    expect(result.notices.filter((n) => n.visible)).toEqual([]);
    expect(result.findings.map((f) => [f.ruleId, f.file, f.line, f.resource])).toEqual([
      ['open-admin-port', `${FIXTURES}/git-module/root/.terraform/modules/bastion/modules/ssh/main.tf`, 17, 'module.bastion.aws_security_group.this'],
    ]);
  });

  it('reads modules.json as terraform init writes it', () => {
    const { manifest } = readManifest(`${FIXTURES}/registry`, ROOT);
    expect([...(manifest?.values() ?? [])]).toEqual([
      { key: 'ssh_sg', source: 'registry.terraform.io/terraform-aws-modules/security-group/aws//modules/ssh', version: '5.3.0', dir: '.terraform/modules/ssh_sg/modules/ssh' },
      { key: 'web_sg', source: 'registry.terraform.io/terraform-aws-modules/security-group/aws', version: '5.3.0', dir: '.terraform/modules/web_sg' },
      { key: 'web_sg.rules', source: './modules/rules', dir: '.terraform/modules/web_sg/modules/rules' },
    ]);
    expect(readManifest('no/such/root', ROOT)).toEqual({});
  });

  it('normalizes sources as Terraform records them and notices a source changed since init', () => {
    expect(normalizeSource('terraform-aws-modules/vpc/aws')).toBe('registry.terraform.io/terraform-aws-modules/vpc/aws');
    expect(normalizeSource('terraform-aws-modules/security-group/aws//modules/ssh')).toBe('registry.terraform.io/terraform-aws-modules/security-group/aws//modules/ssh');
    expect(normalizeSource('app.terraform.io/org/vpc/aws')).toBe('app.terraform.io/org/vpc/aws');
    expect(normalizeSource('git::https://example.com/m.git//sg?ref=v1')).toBe('git::https://example.com/m.git//sg?ref=v1');
    const manifest = new Map([['sg', { key: 'sg', source: 'registry.terraform.io/a/b/aws', dir: '.terraform/modules/sg' }]]);
    const req = { callerDir: 'root', key: 'sg', address: 'module.sg' };
    expect(resolveModuleSource({ ...req, source: 'a/b/aws' }, 'root', manifest)).toMatchObject({ dir: 'root/.terraform/modules/sg' });
    expect(resolveModuleSource({ ...req, source: 'a/c/aws' }, 'root', manifest)).toEqual({
      missing: 'module sg (a/c/aws) was installed from registry.terraform.io/a/b/aws: run terraform init to install what the configuration names',
    });
    expect(resolveModuleSource({ ...req, source: './x' }, 'root', undefined)).toEqual({ dir: 'root/x' });
  });
});

describe('a module directory that scanned configurations call', () => {
  it('is linted through its callers with their inputs, and not again as a root', async () => {
    const { result } = await lintDir(`${FIXTURES}/local`);
    const inShared = result.findings.filter((f) => f.file === `${FIXTURES}/local/modules/web-sg/main.tf`);
    expect(inShared.every((f) => f.resource.startsWith('module.'))).toBe(true);
    // dev passes 10.0.0.0/8: no SSH finding for it; prod passes 0.0.0.0/0.
    expect(inShared.filter((f) => f.ruleId === 'open-admin-port').map((f) => f.message)).toEqual([
      `Security group module.web.aws_security_group.this allows SSH (tcp/22) from the whole internet (0.0.0.0/0) in module.web (called from ${FIXTURES}/local/envs/prod/main.tf), via module module.web argument admin_cidrs`,
    ]);
    expect(result.notices).toContainEqual({
      file: `${FIXTURES}/local/modules/web-sg`,
      message: `module directory linted through the configurations that call it (${FIXTURES}/local/envs/dev, ${FIXTURES}/local/envs/prod), not as a root module of its own`,
    });
  });

  it('links a rule to a group of a module instance through the module output', async () => {
    const { result } = await lintDir(`${FIXTURES}/local`);
    expect(result.findings.find((f) => f.resource === 'aws_security_group_rule.rdp')).toMatchObject({
      ruleId: 'open-admin-port',
      securityGroup: 'module.tier["admin"].aws_security_group.this',
    });
  });

  it('is a root when only it is linted', async () => {
    const { result } = await lintDir(`${FIXTURES}/local/modules/web-sg`);
    expect(result.findings.map((f) => f.resource)).not.toContainEqual(expect.stringMatching(/^module\./));
  });
});

describe('variables from tfvars files, --var-file, --var and TF_VAR_', () => {
  const dir = `${FIXTURES}/tfvars`;
  const oracle = JSON.parse(readFileSync(join(ROOT, dir, 'expected.json'), 'utf8')) as { scenarios: { name: string; values: Record<string, unknown> }[] };
  const scenarios = JSON.parse(readFileSync(join(ROOT, dir, 'scenarios.json'), 'utf8')) as { name: string; env: Record<string, string>; args: string[] }[];

  it('loads terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) by name', () => {
    expect(autoVarFiles(['z.auto.tfvars', 'terraform.tfvars.json', 'b.auto.tfvars.json', 'x.tfvars', 'terraform.tfvars', 'a.auto.tfvars'])).toEqual([
      'terraform.tfvars',
      'terraform.tfvars.json',
      'a.auto.tfvars',
      'b.auto.tfvars.json',
      'z.auto.tfvars',
    ]);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('gives what terraform console gives: %s', async (name, scenario) => {
    const parser = await loadParser();
    const decl = emptyModule(dir);
    const file = `${dir}/variables.tf`;
    expect(addHclFile(parser, decl, { file, text: readFileSync(join(ROOT, file), 'utf8') })).toEqual([]);
    const vars: TerraformVarSource[] = [];
    for (let i = 0; i < scenario.args.length; i += 2) {
      const [flag, value = ''] = [scenario.args[i], scenario.args[i + 1]];
      if (flag === '-var-file') vars.push({ file: `${dir}/${value}` });
      else vars.push({ name: value.slice(0, value.indexOf('=')), value: value.slice(value.indexOf('=') + 1) });
    }
    const got = rootVariables(decl, ROOT, { vars, env: scenario.env }, (f, text) => readHclBody(parser, { file: f, text }));
    expect(got.errors).toEqual([]);
    const values: Record<string, unknown> = {};
    for (const [v, d] of decl.variables) {
      const value = got.values.get(v);
      values[v] = value ? toPlain(value) : toPlain(d.default?.evaluate({ traverse: () => ({ kind: 'unknown', reason: '' }), nesting: { enter: () => undefined, leave: () => undefined } }) ?? { kind: 'scalar', value: null });
    }
    expect(values).toEqual(oracle.scenarios.find((s) => s.name === name)?.values);
  });

  it('says where each value came from', async () => {
    const { result } = await lintDir(dir);
    const messages = result.findings.map((f) => f.message);
    expect(messages).toContain(`Security group aws_security_group.app allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via variable ssh_cidr from ${dir}/terraform.tfvars:1`);
    expect(messages).toContain(`Security group aws_security_group.app allows PostgreSQL (tcp/5432) from the whole internet (0.0.0.0/0) via variable db_cidrs from ${dir}/b.auto.tfvars.json:2`);
    expect(messages).toContain(`Security group aws_security_group.app allows Telnet (tcp/23) from the whole internet (0.0.0.0/0) via variable telnet_cidr from ${dir}/z.auto.tfvars:2`);
  });

  it('keeps fingerprints when lines of a variables file move', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sg-lint-tfvars-'));
    try {
      cpSync(join(ROOT, dir), tmp, { recursive: true });
      const before = await lintRun(['.'], { cwd: tmp, config: false, terraform: { env: {} } });
      writeFileSync(join(tmp, 'terraform.tfvars'), `# moved down\n\n${readFileSync(join(tmp, 'terraform.tfvars'), 'utf8')}`);
      const after = await lintRun(['.'], { cwd: tmp, config: false, terraform: { env: {} } });
      expect(after.result.findings.map((f) => f.message)).toContain('Security group aws_security_group.app allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via variable ssh_cidr from terraform.tfvars:3');
      expect(after.result.findings.map((f) => f.fingerprint)).toEqual(before.result.findings.map((f) => f.fingerprint));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('command line', () => {
  const dir = `${FIXTURES}/tfvars`;

  it('--var-file and --var apply in the order given', async () => {
    const fileLast = await runCli([dir, '--var', 'ssh_cidr=0.0.0.0/0', '--var-file', `${dir}/prod.tfvars`, '-f', 'json'], ROOT);
    const varLast = await runCli([dir, '--var-file', `${dir}/prod.tfvars`, '--var', 'ssh_cidr=0.0.0.0/0', '-f', 'json'], ROOT);
    const ssh = (out: string): string[] => (JSON.parse(out) as { findings: Finding[] }).findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => f.message);
    expect(ssh(fileLast.stdout)).toEqual([]);
    expect(ssh(varLast.stdout)).toEqual(['Security group aws_security_group.app allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via variable ssh_cidr from --var']);
  });

  it('reads TF_VAR_ from the environment, below the files', async () => {
    const run = await runCli([dir, '-f', 'json'], ROOT, { TF_VAR_env_list: '["0.0.0.0/0"]', TF_VAR_ssh_cidr: '10.0.0.0/8' });
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    expect(findings.map((f) => f.message)).toContain(
      'Security group aws_security_group.app allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via variable ssh_cidr from fixtures/terraform/tfvars/terraform.tfvars:1',
    );
  });

  it('rejects a --var without a name, and a --var-file that does not exist', async () => {
    const bad = await runCli([dir, '--var', '=x'], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--var must be name=value');
    const missing = await runCli([dir, '--var-file', 'nope.tfvars'], ROOT);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('nope.tfvars: error: cannot read variables file: no such file given with --var-file');
  });

  it('naming one .tf file lints its whole module directory (pre-commit of a variable default)', async () => {
    const run = await runCli([`${FIXTURES}/single-file/variables.tf`], ROOT);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${FIXTURES}/single-file/main.tf\n  10:20  error    Security group aws_security_group.bastion allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via variable admin_cidr default  open-admin-port`);
  });
});

describe('naming a variables file', () => {
  it('lints the root module of its directory with it', async () => {
    const run = await runCli([`${FIXTURES}/tfvars/z.auto.tfvars`, '-f', 'json'], ROOT);
    expect(run.code).toBe(1);
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    expect(findings.map((f) => f.message)).toContain(
      `Security group aws_security_group.app allows Telnet (tcp/23) from the whole internet (0.0.0.0/0) via variable telnet_cidr from ${FIXTURES}/tfvars/z.auto.tfvars:2`,
    );
  });
});

describe('terragrunt', () => {
  it('lints the module a local or cached source names with the inputs, and notices the rest', async () => {
    const { result } = await lintDir(`${FIXTURES}/terragrunt`);
    expect(result.findings.map((f) => [relative(`${FIXTURES}/terragrunt`, f.file), f.message])).toEqual([
      [
        'live/remote/.terragrunt-cache/Xk3fJ0/q9Zt1w/sg/main.tf',
        `Security group aws_security_group.this allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via variable admin_cidr from ${FIXTURES}/terragrunt/live/remote/terragrunt.hcl:7`,
      ],
      [
        'modules/sg/main.tf',
        `Security group aws_security_group.this allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via variable admin_cidr from ${FIXTURES}/terragrunt/live/prod/terragrunt.hcl:11`,
      ],
      // live/staging includes live/root.hcl (source and inputs) and overrides admin_cidr.
      [
        'modules/sg/main.tf',
        `Security group aws_security_group.this allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via variable admin_cidr from ${FIXTURES}/terragrunt/live/staging/terragrunt.hcl:6`,
      ],
    ]);
    expect(result.notices.filter((n) => n.visible)).toEqual([
      {
        file: `${FIXTURES}/terragrunt/live/missing/terragrunt.hcl`,
        line: 2,
        column: 12,
        message: 'Terragrunt module tfr:///terraform-aws-modules/security-group/aws?version=5.3.0 is not downloaded (no .terragrunt-cache beside this file): run terragrunt init',
        visible: true,
      },
    ]);
  });
});

// Two Terragrunt units deploy one module that opens SSH to the world with a literal: each unit lints the module,
// and the finding, identical in everything a report shows, came out once per unit. It is one problem with one fix
// (the module's line), so it is one finding; what differs per unit (a value from the unit's inputs) stays per unit.
describe('one module deployed by several Terragrunt units', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-lint-units-'));
    const put = (rel: string, text: string): void => {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    put('modules/sg/main.tf', 'variable "db_cidr" {}\nresource "aws_security_group" "this" {\n  name = "app"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = [var.db_cidr]\n  }\n}\n');
    for (const env of ['dev', 'prod']) put(`live/${env}/terragrunt.hcl`, 'terraform {\n  source = "../../modules/sg"\n}\ninputs = {\n  db_cidr = "0.0.0.0/0"\n}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a problem written in the module once, and one that comes from each unit once per unit', async () => {
    const { result } = await lintRun(['live'], { cwd: dir, config: false, preset: 'all', terraform: { env: {} } });
    const rows = result.findings.filter((f) => ['open-admin-port', 'open-db-port', 'unused-security-group'].includes(f.ruleId)).map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.related?.map((r) => r.file).join(',') ?? ''}`);
    expect(rows).toEqual([
      'modules/sg/main.tf:2 unused-security-group ',
      'modules/sg/main.tf:8 open-admin-port ',
      'modules/sg/main.tf:14 open-db-port live/dev/terragrunt.hcl',
      'modules/sg/main.tf:14 open-db-port live/prod/terragrunt.hcl',
    ]);
  });

  it('a baseline made from that run leaves nothing new on the next run', async () => {
    const first = await lintRun(['live'], { cwd: dir, config: false, preset: 'all', terraform: { env: {} } });
    const baseline = createBaseline(first.result, 'test');
    const again = await lintRun(['live'], { cwd: dir, config: false, preset: 'all', terraform: { env: {} }, baseline });
    expect(again.result.findings.length).toBe(first.result.findings.length);
    expect(again.result.findings.filter((f) => !f.suppression)).toEqual([]);
  });
});

describe('plans: rules whose group goes through a local or a module output', () => {
  // fixtures/parsers/terraform/plan-locals: a real plan (Terraform 1.11.4, AWS provider 5.100.0) of a module written
  // as registry security-group modules are: `security_group_id = local.this_sg_id`, the output is the same local.
  const file = 'fixtures/parsers/terraform/plan-locals/plan.json';

  it('links them to the only security group of the module instance, and says so', async () => {
    const { result } = await lintRun([file], { cwd: ROOT, config: false });
    const rows = result.findings.map((f) => [f.ruleId, f.resource, f.securityGroup]);
    // One finding for the database port open to the internet: open-db-port is folded into exposed-database-group.
    expect(result.findings[0]?.foldedRuleIds).toEqual(['open-db-port']);
    expect(rows).toEqual([
      ['exposed-database-group', 'aws_security_group_rule.db_from_world', 'module.db_sg.aws_security_group.this[0]'],
      ['shadowed-rule', 'module.db_sg.aws_security_group_rule.ingress[0]', 'module.db_sg.aws_security_group.this[0]'],
      ['open-admin-port', 'module.ssh_sg.aws_security_group_rule.ingress[0]', 'module.ssh_sg.aws_security_group.this_name_prefix[0]'],
    ]);
    expect(result.findings[2]?.message).toBe(
      'Security group module.ssh_sg.aws_security_group.this_name_prefix[0] allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via local.this_sg_id (taken as the only security group of module.ssh_sg: a plan does not record locals)',
    );
  });
});
