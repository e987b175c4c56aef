// The configuration file's `parameters` (issue #13): CloudFormation parameter values for the templates a configuration
// covers, globally or per glob (overrides), with the meaning of --parameter; --parameters and --parameter override them.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lint } from '../src/engine/lint';
import { ConfigError } from '../src/engine/run';

const ROOT = path.resolve(__dirname, '..');
const STACK = readFileSync(path.join(ROOT, 'fixtures/cloudformation/parameters/stack.yaml'), 'utf8');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sg-lint-config-params-'));
  mkdirSync(path.join(dir, 'prod'));
  mkdirSync(path.join(dir, 'dev'));
  writeFileSync(path.join(dir, 'prod', 'stack.yaml'), STACK);
  writeFileSync(path.join(dir, 'dev', 'stack.yaml'), STACK);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function messages(findings: { ruleId: string; file: string; message: string }[]): string[] {
  return findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => `${f.file}: ${f.message}`);
}

describe('configuration parameters', () => {
  it('gives values to every template the configuration covers, and per glob through overrides', async () => {
    writeFileSync(
      path.join(dir, '.sg-lint.yaml'),
      ['parameters:', '  DbPort: 5432', 'overrides:', "  - files: ['prod/*.yaml']", '    parameters:', '      AdminCidr: 0.0.0.0/0', ''].join('\n'),
    );
    const result = await lint(['prod/stack.yaml', 'dev/stack.yaml'], { cwd: dir, config: '.sg-lint.yaml' });
    expect(result.errors).toEqual([]);
    // dev keeps the template's Default (10.0.0.0/8): no finding; prod takes the configured value.
    expect(messages(result.findings)).toEqual([
      'prod/stack.yaml: Security group AdminSecurityGroup allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via parameter AdminCidr = 0.0.0.0/0 from .sg-lint.yaml',
    ]);
    expect(result.findings.find((f) => f.ruleId === 'open-db-port' && f.file === 'dev/stack.yaml')?.message).toContain('via parameter DbPort = 5432 from .sg-lint.yaml');
  });

  it('lets --parameters files and --parameter override the configuration', async () => {
    writeFileSync(path.join(dir, '.sg-lint.yaml'), 'parameters:\n  AdminCidr: 0.0.0.0/0\n');
    writeFileSync(path.join(dir, 'params.json'), JSON.stringify([{ ParameterKey: 'AdminCidr', ParameterValue: '192.168.0.0/16' }]));
    const fromFile = await lint(['dev/stack.yaml'], { cwd: dir, config: '.sg-lint.yaml', parameterFiles: ['params.json'] });
    expect(messages(fromFile.findings)).toEqual([]);
    const fromPair = await lint(['dev/stack.yaml'], { cwd: dir, config: '.sg-lint.yaml', parameterFiles: ['params.json'], parameters: { AdminCidr: '0.0.0.0/0' } });
    expect(fromPair.findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => f.message)).toEqual([
      expect.stringContaining('via parameter AdminCidr = 0.0.0.0/0 from --parameter'),
    ]);
  });

  it('joins a list with commas, as a CommaDelimitedList value is given', async () => {
    writeFileSync(
      path.join(dir, 'loop.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Transform: AWS::LanguageExtensions',
        'Parameters:',
        '  Envs: { Type: CommaDelimitedList, Default: dev }',
        'Resources:',
        '  Fn::ForEach::Envs:',
        '    - Env',
        '    - !Ref Envs',
        '    - Sg${Env}:',
        '        Type: AWS::EC2::SecurityGroup',
        '        Properties:',
        '          GroupDescription: !Sub ${Env}',
        '          SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }]',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, '.sg-lint.yaml'), 'parameters:\n  Envs: [qa, prod]\n');
    const result = await lint(['loop.yaml'], { cwd: dir, config: '.sg-lint.yaml' });
    expect(result.findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => f.resource)).toEqual(['Sgprod', 'Sgqa']);
  });

  it('refuses a bad parameters key with one located line per problem', async () => {
    writeFileSync(
      path.join(dir, '.sg-lint.yaml'),
      ['parameters:', '  Admin-Cidr: 0.0.0.0/0', '  AdminCidr: { cidr: 0.0.0.0/0 }', 'overrides:', "  - files: ['a']", '    parameter: {}', ''].join('\n'),
    );
    await expect(lint(['dev/stack.yaml'], { cwd: dir, config: '.sg-lint.yaml' })).rejects.toThrow(ConfigError);
    await expect(lint(['dev/stack.yaml'], { cwd: dir, config: '.sg-lint.yaml' })).rejects.toThrow(
      [
        '.sg-lint.yaml:2:3: parameters.Admin-Cidr: not a CloudFormation parameter name: letters and digits only',
        '.sg-lint.yaml:3:14: parameters.AdminCidr: a parameter value must be a string, number, boolean or a list of strings and numbers (got an object)',
        '.sg-lint.yaml:6:5: overrides[0].parameter: unknown key; allowed keys are files, rules, parameters; did you mean "parameters"?',
      ].join('\n'),
    );
  });
});
