// sg-lint/testing: the tester plugin authors use, here on a built-in rule in three formats, and its failure messages.
import { RuleTester } from 'sg-lint/testing';
import { getRule } from '../src/rules';

const rule = getRule('open-admin-port');
if (!rule) throw new Error('open-admin-port is missing');
const tester = new RuleTester();

const CFN = `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0 # expect: open-admin-port
`;

// The tester registers its own describe/it blocks, as a plugin's test file does.
tester.run(rule, {
  valid: [{ filename: 'ok.tf', code: 'resource "aws_security_group" "a" {\n  description = "a"\n}\n' }],
  invalid: [
    { name: 'CloudFormation YAML', filename: 'bad.yaml', code: CFN },
    {
      name: 'Terraform JSON',
      filename: 'bad.tf.json',
      code: JSON.stringify({
        resource: { aws_security_group: { web: { '//': 'expect: open-admin-port', description: 'web', ingress: [{ from_port: 3389, to_port: 3389, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false, description: 'rdp' }] } } },
      }),
    },
    { name: 'options reach the rule', filename: 'bad.tf', options: { ports: ['tcp/2222'] }, code: 'resource "aws_security_group" "a" {\n  description = "a"\n  ingress {\n    from_port   = 2222\n    to_port     = 2222\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"] # expect: open-admin-port\n  }\n}\n' },
  ],
});

describe('RuleTester failures', () => {
  it('lists missing and unexpected findings', async () => {
    const wrong = CFN.replace('# expect: open-admin-port', '').replace('GroupDescription: web', 'GroupDescription: web # expect: open-admin-port');
    await expect(tester.check(rule, { filename: 'bad.yaml', code: wrong })).rejects.toThrow(
      'open-admin-port: bad.yaml: findings differ from the expect markers\n  missing:    open-admin-port @ line 5\n  unexpected: open-admin-port @ line 10: Security group Sg allows SSH (tcp/22) from the whole internet (0.0.0.0/0)',
    );
  });

  it('refuses an option the rule does not declare, and an input that cannot be parsed', async () => {
    await expect(tester.check(rule, { filename: 'x.yaml', code: CFN, options: { port: [] } })).rejects.toThrow('rule open-admin-port has no option "port"');
    await expect(tester.check(rule, { filename: 'x.tf', code: 'resource "a" {' })).rejects.toThrow(/^the input could not be read: x\.tf:1: /);
  });
});
