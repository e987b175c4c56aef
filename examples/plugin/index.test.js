// Tests of the example plugin with sg-lint's rule tester: one rule, inline inputs in CloudFormation YAML,
// CloudFormation JSON and Terraform, `# expect:` markers on the lines where findings must be reported.
'use strict';

const { RuleTester } = require('sg-lint/testing');
const plugin = require('./index');

const rule = plugin.rules[0];

const cfn = (ingress) => `Resources:
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Database
      SecurityGroupIngress:
${ingress}
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: App
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      VPCSecurityGroups: [!GetAtt DbSg.GroupId]
`;

new RuleTester().run(rule, {
  valid: [
    {
      name: 'CloudFormation: the database admits the application group',
      filename: 'template.yaml',
      code: cfn(`        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          SourceSecurityGroupId: !GetAtt AppSg.GroupId`),
    },
    {
      name: 'CloudFormation: a CIDR the team allows',
      filename: 'template.yaml',
      options: { allowCidrs: ['10.8.0.0/16'] },
      code: cfn(`        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.8.4.0/24`),
    },
    {
      name: 'Terraform: a group that guards no database may admit CIDR blocks',
      filename: 'main.tf',
      code: `resource "aws_security_group" "web" {
  description = "Web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'CloudFormation YAML: a CIDR block reaches the database',
      filename: 'template.yaml',
      code: cfn(`        - IpProtocol: tcp # expect: database-from-groups-only
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.0.0.0/8
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          SourceSecurityGroupId: !GetAtt AppSg.GroupId`),
    },
    {
      name: 'CloudFormation JSON: the same, marked on the resource',
      filename: 'template.json',
      code: JSON.stringify({
        Resources: {
          DbSg: {
            Type: 'AWS::EC2::SecurityGroup',
            Metadata: { 'sg-lint:test': { expect: ['database-from-groups-only'] } },
            Properties: { GroupDescription: 'Database', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, CidrIp: '172.16.0.0/12' }] },
          },
          Cache: {
            Type: 'AWS::ElastiCache::CacheCluster',
            Properties: { Engine: 'redis', CacheNodeType: 'cache.t3.micro', NumCacheNodes: 1, VpcSecurityGroupIds: [{ 'Fn::GetAtt': ['DbSg', 'GroupId'] }] },
          },
        },
      }),
    },
    {
      name: 'Terraform: one finding per CIDR block outside allowCidrs',
      filename: 'main.tf',
      options: { allowCidrs: ['10.8.0.0/16'] },
      code: `resource "aws_security_group" "db" {
  description = "Database"
  ingress { # expect: database-from-groups-only
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["10.8.0.0/16", "192.168.0.0/16"]
  }
}

resource "aws_db_instance" "main" {
  engine                 = "mysql"
  instance_class         = "db.t3.micro"
  vpc_security_group_ids = [aws_security_group.db.id]
}
`,
    },
  ],
});
