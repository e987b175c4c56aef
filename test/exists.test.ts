// Rules fire only where the thing exists (issue #14): a Terraform rule resource with count = 0 is not created, and a
// CloudFormation rule entry behind an Fn::If whose condition can never hold is not deployed; neither gives a finding.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../src/engine/lint';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-lint-exists-'));
  writeFileSync(
    join(dir, 'main.tf'),
    [
      'resource "aws_security_group" "a" {',
      '  name        = "a"',
      '  description = "a"',
      '}',
      'resource "aws_security_group_rule" "no_peer" {',
      '  count             = 0',
      '  type              = "ingress"',
      '  security_group_id = aws_security_group.a.id',
      '  from_port         = 22',
      '  to_port           = 22',
      '  protocol          = "tcp"',
      '}',
      'resource "aws_security_group_rule" "ssh" {',
      '  count             = 0',
      '  type              = "ingress"',
      '  security_group_id = aws_security_group.a.id',
      '  from_port         = 22',
      '  to_port           = 22',
      '  protocol          = "tcp"',
      '  cidr_blocks       = ["0.0.0.0/0"]',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'stack.yaml'),
    [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Conditions:',
      '  Never: !Equals [a, b]',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: x',
      '      SecurityGroupIngress:',
      '        - !If',
      '          - Never',
      '          - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }',
      '          - !Ref AWS::NoValue',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULES = ['rule-without-peer', 'open-admin-port', 'open-all-ports', 'no-dedicated-ssh-group'];

describe('rules fire only where the thing exists', () => {
  it('Terraform: no finding for a rule resource whose count is 0', async () => {
    const result = await lint(['main.tf'], { cwd: dir, config: false, preset: 'all', terraform: { env: {} } });
    expect(result.errors).toEqual([]);
    expect(result.findings.filter((f) => RULES.includes(f.ruleId))).toEqual([]);
  });

  it('CloudFormation: no finding for an entry behind a condition that can never hold', async () => {
    const result = await lint(['stack.yaml'], { cwd: dir, config: false, preset: 'all' });
    expect(result.errors).toEqual([]);
    expect(result.findings.filter((f) => RULES.includes(f.ruleId))).toEqual([]);
  });
});
