// Located where the fix goes (issue #14): the primary location is the offending value, and related locations point
// at what produced it (parameter default, AllowedValues entry, Fn::If branch, variable default, module call).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../src/engine/lint';
import type { Finding } from '../src/engine/types';

const ROOT = join(__dirname, '..');

let dir: string;
const put = (name: string, text: string): void => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-lint-related-'));
  put(
    'stack.yaml',
    [
      'Parameters:',
      '  AdminCidr:',
      '    Type: String',
      '    Default: 0.0.0.0/0',
      '  Vendor:',
      '    Type: String',
      '    Default: 10.0.0.0/8',
      '    AllowedValues: [10.0.0.0/8, 0.0.0.0/0]',
      'Conditions:',
      "  IsDev: !Equals [!Ref 'AWS::StackName', dev]",
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: admin',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref AdminCidr }',
      '        - { IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !Ref Vendor }',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIpv6: !If [IsDev, "::/0", "fd00::/8"] }',
      '',
    ].join('\n'),
  );
  put(
    'stack.json',
    JSON.stringify(
      {
        Parameters: { AdminCidr: { Type: 'String', Default: '0.0.0.0/0' } },
        Resources: {
          Sg: {
            Type: 'AWS::EC2::SecurityGroup',
            Properties: {
              GroupDescription: 'admin',
              SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: { Ref: 'AdminCidr' } }],
            },
          },
        },
      },
      null,
      2,
    ),
  );
  put(
    'hcl/main.tf',
    [
      'variable "admin_cidr" {',
      '  default = "0.0.0.0/0"',
      '}',
      'resource "aws_security_group" "admin" {',
      '  name        = "admin"',
      '  description = "admin"',
      '  ingress {',
      '    from_port   = 22',
      '    to_port     = 22',
      '    protocol    = "tcp"',
      '    cidr_blocks = [var.admin_cidr]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  put(
    'json/main.tf.json',
    JSON.stringify(
      {
        variable: { admin_cidr: { default: '0.0.0.0/0' } },
        resource: {
          aws_security_group: {
            admin: {
              name: 'admin',
              description: 'admin',
              ingress: [
                {
                  from_port: 22,
                  to_port: 22,
                  protocol: 'tcp',
                  cidr_blocks: ['${var.admin_cidr}'],
                  description: null,
                  ipv6_cidr_blocks: null,
                  prefix_list_ids: null,
                  security_groups: null,
                  self: null,
                },
              ],
            },
          },
        },
      },
      null,
      2,
    ),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const admin = async (input: string): Promise<Finding[]> =>
  (await lint([input], { cwd: dir, config: false, rules: { 'no-dedicated-ssh-group': 'off' } })).findings.filter((f) => f.ruleId === 'open-admin-port');

/** "line:column text" of a location in one of the files written above. */
function at(file: string, line: number, column: number, text: string): string {
  return `${file}:${line}:${column} ${text}`;
}

describe('related locations', () => {
  it('CloudFormation YAML: the parameter default, the AllowedValues entry, the Fn::If branch', async () => {
    const findings = await admin('stack.yaml');
    expect(findings.map((f) => [at(f.file, f.line, f.column, f.message.slice(0, 22)), f.related?.map((r) => at(r.file, r.line, r.column, r.message))])).toEqual([
      [at('stack.yaml', 17, 64, 'Security group Sg allo'), [at('stack.yaml', 4, 14, 'parameter AdminCidr default')]],
      [at('stack.yaml', 18, 68, 'Security group Sg: RDP'), [at('stack.yaml', 8, 33, 'parameter Vendor AllowedValues entry 0.0.0.0/0')]],
      [at('stack.yaml', 19, 66, 'Security group Sg: SSH'), [at('stack.yaml', 19, 78, 'Fn::If branch when condition IsDev is true')]],
    ]);
  });

  it('CloudFormation JSON: the parameter default', async () => {
    const [f] = await admin('stack.json');
    expect(f?.related?.map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual(['5:18 parameter AdminCidr default']);
  });

  it('Terraform HCL and JSON: the variable default', async () => {
    const [hcl] = await admin('hcl');
    expect([hcl?.line, hcl?.column, hcl?.related?.map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)]).toEqual([
      11,
      20,
      ['hcl/main.tf:2:13 variable admin_cidr default'],
    ]);
    const [json] = await admin('json');
    expect(json?.related?.map((r) => `${r.file} ${r.message}`)).toEqual(['json/main.tf.json variable admin_cidr default']);
  });

  // The project fixtures of fixtures/terraform/ (module calls, variables files, Terragrunt inputs).
  const related = async (input: string, ruleId: string): Promise<string[][]> =>
    (await lint([input], { cwd: ROOT, config: false, terraform: { env: {} } })).findings
      .filter((f) => f.ruleId === ruleId)
      .map((f) => [`${f.file}:${f.line}`, ...(f.related ?? []).map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)]);

  it('Terraform: the argument of the module call that passed the value', async () => {
    expect(await related('fixtures/terraform/local', 'open-admin-port')).toEqual([
      ['fixtures/terraform/local/envs/prod/main.tf:24'],
      ['fixtures/terraform/local/modules/web-sg/main.tf:23', 'fixtures/terraform/local/envs/prod/main.tf:4:17 module module.web argument admin_cidrs'],
    ]);
  });

  it('Terraform: the line of the variables file (HCL and JSON) that set the value', async () => {
    expect(await related('fixtures/terraform/tfvars', 'open-admin-port')).toEqual([
      ['fixtures/terraform/tfvars/main.tf:10', 'fixtures/terraform/tfvars/terraform.tfvars:1:12 variable ssh_cidr value'],
    ]);
    expect(await related('fixtures/terraform/tfvars', 'open-db-port')).toEqual([
      ['fixtures/terraform/tfvars/main.tf:26', 'fixtures/terraform/tfvars/b.auto.tfvars.json:2:15 variable db_cidrs value'],
    ]);
  });

  it('Terragrunt: the inputs entry of the terragrunt.hcl that set the value', async () => {
    const rows = await related('fixtures/terraform/terragrunt', 'open-admin-port');
    expect(rows).toContainEqual(['fixtures/terraform/terragrunt/modules/sg/main.tf:14', 'fixtures/terraform/terragrunt/live/prod/terragrunt.hcl:11:16 variable admin_cidr input']);
  });

  it('CloudFormation: the value in the parameter file that set it, not the unused Default', async () => {
    const dir = 'fixtures/cloudformation/parameters';
    const result = await lint([`${dir}/stack.yaml`], { cwd: ROOT, config: false, parameterFiles: [`${dir}/cli-form.json`] });
    const ssh = result.findings.find((f) => f.ruleId === 'open-admin-port');
    // [{"ParameterKey": "AdminCidr", "ParameterValue": "0.0.0.0/0"}, ...]: the value starts at column 50 of line 1.
    expect(ssh?.related?.map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)).toEqual([`${dir}/cli-form.json:1:50 parameter AdminCidr value`]);
  });

  it('no related locations for a literal value, and none for findings about another field', async () => {
    const result = await lint(['stack.yaml'], { cwd: dir, config: false, preset: 'all' });
    const description = result.findings.filter((f) => f.ruleId === 'missing-description');
    expect(description.length).toBeGreaterThan(0);
    for (const f of description) expect(f.related).toBeUndefined();
  });
});
