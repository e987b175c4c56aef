// One pipeline: lintText, graph and model run the same stages as lint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lint, lintText } from '../../src/engine/lint';
import { readModel } from '../../src/engine/model';
import { runGraph } from '../../src/cli/graph';

const TEMPLATE = [
  'Resources:',
  '  WebSg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: web',
  '      SecurityGroupIngress:',
  '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }',
  '',
].join('\n');

const HCL = 'resource "aws_security_group" "web" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';

describe('one pipeline', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sg-lint-pipeline-'));
    writeFileSync(path.join(dir, 'web.yaml'), TEMPLATE);
    writeFileSync(path.join(dir, 'big.yaml'), `${TEMPLATE}# ${'x'.repeat(2000)}\n`);
    writeFileSync(path.join(dir, '.sg-lint.yaml'), 'ignorePatterns: [ignored.yaml]\nrules:\n  missing-description: off\n');
    writeFileSync(path.join(dir, 'ignored.yaml'), TEMPLATE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lintText gives the findings lint gives for the same file, with the configuration of its folder', async () => {
    const fromFile = await lint(['web.yaml'], { cwd: dir });
    const { result } = await lintText(TEMPLATE, { filename: 'web.yaml', cwd: dir });
    expect(result.findings).toEqual(fromFile.findings);
    expect(result.findings.map((f) => f.ruleId)).toContain('open-admin-port');
    expect(result.findings.map((f) => f.ruleId)).not.toContain('missing-description');
  });

  it('lintText detects the format or takes it, and refuses what it cannot lint with an error', async () => {
    const hcl = await lintText(HCL, { filename: 'main.tf', cwd: dir, config: false });
    expect(hcl.result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toContain('main.tf:6 open-admin-port');
    const forced = await lintText(HCL, { filename: 'buffer', format: 'terraform-hcl', cwd: dir, config: false });
    expect(forced.result.findings.map((f) => f.ruleId)).toContain('open-admin-port');
    const cdk = await lintText('{}', { filename: 'cdk.out', format: 'cdk', cwd: dir, config: false });
    expect(cdk.result.errors).toEqual([{ file: 'cdk.out', message: 'a cdk.out assembly is a folder: lint it by path, not as a text' }]);
    const big = await lintText(TEMPLATE, { filename: 'web.yaml', cwd: dir, config: false, maxFileSize: 10 });
    expect(big.result.errors.map((e) => e.message)).toEqual(['text is larger than --max-file-size 10 bytes; not linted']);
  });

  // Findings on a rule entry's peer are located at the CIDR element (cidr_blocks, line 6), where the fix goes.
  it('lintText reads a Terraform buffer with its module: variables declared in a sibling file on disk apply', async () => {
    const mod = mkdtempSync(path.join(tmpdir(), 'sg-lint-pipeline-tf-'));
    try {
      // variables.tf on disk declares the default; the buffer (not yet saved) stands in for main.tf.
      writeFileSync(path.join(mod, 'variables.tf'), 'variable "admin_cidr" {\n  default = "0.0.0.0/0"\n}\n');
      writeFileSync(path.join(mod, 'main.tf'), '# old contents on disk\n');
      const buffer = 'resource "aws_security_group" "web" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.admin_cidr]\n  }\n}\n';
      const { result } = await lintText(buffer, { filename: 'main.tf', cwd: mod, config: false });
      expect(result.errors).toEqual([]);
      const admin = result.findings.filter((f) => f.ruleId === 'open-admin-port');
      expect(admin.map((f) => `${f.file}:${f.line}`)).toEqual(['main.tf:6']);
      expect(admin[0]?.message).toContain('via variable admin_cidr default');
      // Only the buffer's own findings come back, never a sibling's.
      expect(new Set(result.findings.map((f) => f.file))).toEqual(new Set(['main.tf']));
    } finally {
      rmSync(mod, { recursive: true, force: true });
    }
  });

  it('lintText takes CloudFormation parameter values as lint does', async () => {
    const template = [
      'Parameters:',
      '  AdminCidr: { Type: String, Default: 10.0.0.0/8 }',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: admin',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref AdminCidr, Description: ssh }',
      '',
    ].join('\n');
    const plain = await lintText(template, { filename: 'admin.yaml', cwd: dir, config: false });
    expect(plain.result.findings.filter((f) => f.ruleId === 'open-admin-port')).toEqual([]);
    const given = await lintText(template, { filename: 'admin.yaml', cwd: dir, config: false, parameters: { AdminCidr: '0.0.0.0/0' } });
    const admin = given.result.findings.filter((f) => f.ruleId === 'open-admin-port');
    expect(admin.map((f) => `${f.file}:${f.line}`)).toEqual(['admin.yaml:9']);
    expect(admin[0]?.message).toContain('via parameter AdminCidr = 0.0.0.0/0');
  });

  it('model and graph apply the ignore patterns and the file-size cap like lint', async () => {
    const model = await readModel(['.'], { cwd: dir, maxFileSize: 1000 });
    expect(model.inputs.map((i) => i.file)).toEqual(['web.yaml']);
    expect(model.errors.map((e) => e.file)).toEqual(['big.yaml']);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runGraph(['ignored.yaml', 'web.yaml'], { cwd: dir, stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    expect(code).toBe(0);
    expect(err.join('')).toBe('ignored.yaml: not linted: matches ignorePatterns of the configuration\n');
    expect(out.join('')).toContain('WebSg');
  });
});
