#!/usr/bin/env node
// Generates the benchmark inputs into bench/out/ (gitignored):
//   cfn-<N>.yaml / cfn-<N>.json  CloudFormation templates with N security groups (10, 100, 500, 1000, 5000)
//   one-group.yaml               the cold-start input
//   tf-plan-5000.json            a `terraform show -json` plan with 5,000 security-group rules
//   monorepo/                    2,000 small templates (YAML and JSON) in nested folders
// Deterministic: the same files on every run (a seeded generator, no dates). Usage: node bench/generate.mjs [--force]
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
export const SIZES = [10, 100, 500, 1000, 5000];
export const MONOREPO_FILES = 2000;
export const PLAN_RULES = 5000;

/** Small deterministic PRNG (mulberry32), so runs compare. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIERS = ['Web', 'App', 'Db', 'Admin', 'Cache'];
const pad = (i) => String(i).padStart(4, '0');

/**
 * One group's worth of data in the long (JSON) form; YAML output turns `Ref`/`Fn::*` objects back into short tags.
 * Each group has inline ingress and egress, some groups also a standalone ingress resource referencing another group,
 * and every fifth group is used by an instance, every seventh by a database.
 */
function groupResources(i, n, r) {
  const tier = TIERS[i % TIERS.length];
  const id = `${tier}Sg${pad(i)}`;
  const prev = i > 0 ? `${TIERS[(i - 1) % TIERS.length]}Sg${pad(i - 1)}` : undefined;
  const ingress = [];
  const world = r() < 0.15;
  if (tier === 'Web') {
    ingress.push(rule('tcp', 443, 443, { CidrIp: '0.0.0.0/0' }, 'HTTPS from anywhere'));
    ingress.push(rule('tcp', 80, 80, { CidrIpv6: '::/0' }, 'HTTP from anywhere (IPv6)'));
  } else if (tier === 'Admin') {
    ingress.push(rule('tcp', 22, 22, { CidrIp: world ? '0.0.0.0/0' : { Ref: 'AdminCidr' } }, 'SSH'));
    ingress.push(rule('tcp', 3389, 3389, { CidrIp: world ? '0.0.0.0/0' : '10.20.0.0/16' }, 'RDP'));
  } else if (tier === 'Db') {
    ingress.push(rule('tcp', 5432, 5432, prev ? { SourceSecurityGroupId: { 'Fn::GetAtt': [prev, 'GroupId'] } } : { CidrIp: '10.0.0.0/8' }));
    if (world) ingress.push(rule('tcp', 3306, 3306, { CidrIp: '0.0.0.0/0' }, 'MySQL (oops)'));
  } else {
    ingress.push(rule('tcp', 8080, 8090, { CidrIp: { 'Fn::Sub': '${VpcCidr}' } }, 'App ports from the VPC'));
    ingress.push(rule('udp', 53, 53, { CidrIp: `10.${i % 256}.0.0/16` }));
  }
  ingress.push(rule('icmp', -1, -1, { CidrIp: '10.0.0.0/8' }, 'Ping'));
  ingress.push(rule('tcp', 9100, 9100, { CidrIp: '10.0.0.0/8' }, 'Prometheus node exporter'));
  ingress.push(rule('tcp', 443, 443, { SourcePrefixListId: 'pl-0123456789abcdef0' }, 'HTTPS from the corporate prefix list'));
  const props = {
    GroupDescription: { 'Fn::Sub': `${tier} tier group ${i} of \${Environment}` },
    VpcId: { Ref: 'VpcId' },
    SecurityGroupIngress: ingress,
    SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'All outbound' }],
    Tags: [
      { Key: 'Name', Value: { 'Fn::Sub': `\${AWS::StackName}-${tier.toLowerCase()}-${i}` } },
      { Key: 'Tier', Value: tier },
      { Key: 'Environment', Value: { Ref: 'Environment' } },
      { Key: 'Owner', Value: `team-${tier.toLowerCase()}@example.com` },
      { Key: 'CostCenter', Value: `cc-${1000 + (i % 50)}` },
    ],
  };
  const group = { Type: 'AWS::EC2::SecurityGroup', Properties: props };
  if (tier === 'Web') {
    group.Metadata = { cfn_nag: { rules_to_suppress: [{ id: 'W9', reason: 'Public web tier: ingress from anywhere is intended' }] } };
  }
  const out = { [id]: group };
  if (prev && i % 3 === 0) {
    out[`${id}FromPrev`] = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        GroupId: { Ref: id },
        IpProtocol: 'tcp',
        FromPort: 9000 + (i % 100),
        ToPort: 9000 + (i % 100),
        SourceSecurityGroupId: { Ref: prev },
        Description: `From ${prev}`,
      },
    };
  }
  if (i % 4 === 1) {
    out[`${id}Egress`] = {
      Type: 'AWS::EC2::SecurityGroupEgress',
      Properties: {
        GroupId: { 'Fn::GetAtt': [id, 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        CidrIp: '0.0.0.0/0',
      },
    };
  }
  if (i % 5 === 0) {
    out[`Instance${pad(i)}`] = {
      Type: 'AWS::EC2::Instance',
      Properties: {
        ImageId: { Ref: 'ImageId' },
        InstanceType: 't3.micro',
        SubnetId: { Ref: 'SubnetId' },
        SecurityGroupIds: [{ Ref: id }, ...(prev ? [{ 'Fn::GetAtt': [prev, 'GroupId'] }] : [])],
      },
    };
  }
  if (i % 7 === 3) {
    out[`Database${pad(i)}`] = {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: '20',
        MasterUsername: 'admin',
        ManageMasterUserPassword: true,
        VPCSecurityGroups: [{ Ref: id }],
      },
    };
  }
  return out;
  void n;
}

function rule(proto, from, to, peer, description) {
  const r = { IpProtocol: proto, FromPort: from, ToPort: to, ...peer };
  if (description) r.Description = description;
  return r;
}

/** A whole template with `n` groups, in the long form. */
export function template(n, seed = n) {
  const r = rng(seed);
  const resources = {};
  const outputs = {};
  for (let i = 0; i < n; i++) {
    const res = groupResources(i, n, r);
    Object.assign(resources, res);
    const id = Object.keys(res)[0];
    outputs[`${id}Id`] = { Description: `Id of ${id}`, Value: { 'Fn::GetAtt': [id, 'GroupId'] }, Export: { Name: { 'Fn::Sub': `\${AWS::StackName}-${id}` } } };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Generated benchmark template with ${n} security groups`,
    Parameters: {
      Environment: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'staging', 'prod'] },
      VpcId: { Type: 'AWS::EC2::VPC::Id' },
      VpcCidr: { Type: 'String', Default: '10.0.0.0/16' },
      AdminCidr: { Type: 'String', Default: '203.0.113.0/24' },
      SubnetId: { Type: 'AWS::EC2::Subnet::Id' },
      ImageId: { Type: 'AWS::EC2::Image::Id', Default: 'ami-0123456789abcdef0' },
    },
    Resources: resources,
    Outputs: outputs,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// YAML writer: block style with CloudFormation short-form tags, the way people write templates.

const SHORT = new Map([
  ['Ref', '!Ref'],
  ['Fn::Sub', '!Sub'],
  ['Fn::GetAtt', '!GetAtt'],
  ['Fn::If', '!If'],
  ['Fn::Join', '!Join'],
  ['Fn::Select', '!Select'],
]);

function intrinsic(v) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && SHORT.has(keys[0]) ? keys[0] : undefined;
}

function scalar(v) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  const s = String(v);
  if (/^[A-Za-z_][\w./:-]*( [\w./()${}:@-]+)*$/.test(s) && !s.endsWith(':') && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(s) && !s.includes(': ')) return s;
  return JSON.stringify(s);
}

function inline(v) {
  const fn = intrinsic(v);
  if (fn === 'Fn::GetAtt' && Array.isArray(v[fn])) return `!GetAtt ${v[fn].join('.')}`;
  if (fn && typeof v[fn] !== 'object') return `${SHORT.get(fn)} ${scalar(v[fn])}`;
  if (v === null || typeof v !== 'object') return scalar(v);
  return undefined;
}

function yamlLines(v, indent, out) {
  const sp = ' '.repeat(indent);
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = inline(item);
      if (s !== undefined) out.push(`${sp}- ${s}`);
      else {
        const sub = [];
        yamlLines(item, indent + 2, sub);
        out.push(`${sp}- ${(sub[0] ?? '').trimStart()}`, ...sub.slice(1));
      }
    }
    return;
  }
  for (const [k, val] of Object.entries(v)) {
    const s = inline(val);
    if (s !== undefined) out.push(`${sp}${k}: ${s}`);
    else if (Array.isArray(val) && val.length === 0) out.push(`${sp}${k}: []`);
    else {
      out.push(`${sp}${k}:`);
      yamlLines(val, Array.isArray(val) ? indent + 2 : indent + 2, out);
    }
  }
}

/** Serializes a long-form template as block YAML with short-form tags. */
export function toYaml(t) {
  const out = [];
  yamlLines(t, 0, out);
  return `${out.join('\n')}\n`;
}

/** CDK-style pretty JSON (one-space indent, as `cdk synth` writes). */
export function toJson(t) {
  return `${JSON.stringify(t, null, 1)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Terraform plan with `rules` standalone rules over rules/5 groups.

function planResource(address, type, name, values) {
  return { address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 1, values, sensitive_values: {} };
}

/** A `terraform show -json` plan: groups with inline rules plus `aws_vpc_security_group_ingress_rule` resources. */
export function terraformPlan(rules) {
  const r = rng(rules);
  const groups = Math.ceil(rules / 5);
  const resources = [];
  const changes = [];
  const config = [];
  for (let g = 0; g < groups; g++) {
    const name = `sg_${g}`;
    const ingress = [
      { cidr_blocks: [r() < 0.1 ? '0.0.0.0/0' : '10.0.0.0/8'], description: 'ssh', from_port: 22, to_port: 22, protocol: 'tcp', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false },
      { cidr_blocks: ['0.0.0.0/0'], description: 'https', from_port: 443, to_port: 443, protocol: 'tcp', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false },
    ];
    const egress = [{ cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 0, to_port: 0, protocol: '-1', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false }];
    const values = { name: `group-${g}`, description: `Group ${g}`, vpc_id: 'vpc-0123456789abcdef0', ingress, egress, tags: { Name: `group-${g}` }, revoke_rules_on_delete: false };
    resources.push(planResource(`aws_security_group.${name}`, 'aws_security_group', name, values));
    changes.push({ address: `aws_security_group.${name}`, mode: 'managed', type: 'aws_security_group', name, provider_name: 'registry.terraform.io/hashicorp/aws', change: { actions: ['create'], before: null, after: values, after_unknown: { id: true, arn: true, owner_id: true, ingress: [{}, {}], egress: [{}] } } });
    config.push({ address: `aws_security_group.${name}`, mode: 'managed', type: 'aws_security_group', name, provider_config_key: 'aws', expressions: { name: { constant_value: `group-${g}` } }, schema_version: 1 });
  }
  const standalone = rules - groups * 3;
  for (let k = 0; k < standalone; k++) {
    const name = `rule_${k}`;
    const g = k % groups;
    const port = [22, 3389, 5432, 3306, 8080, 443][k % 6];
    const values = { ip_protocol: 'tcp', from_port: port, to_port: port, cidr_ipv4: r() < 0.2 ? '0.0.0.0/0' : `10.${k % 256}.0.0/16`, cidr_ipv6: null, description: `rule ${k}`, prefix_list_id: null, referenced_security_group_id: null, tags: null };
    const address = `aws_vpc_security_group_ingress_rule.${name}`;
    resources.push(planResource(address, 'aws_vpc_security_group_ingress_rule', name, values));
    changes.push({ address, mode: 'managed', type: 'aws_vpc_security_group_ingress_rule', name, provider_name: 'registry.terraform.io/hashicorp/aws', change: { actions: ['create'], before: null, after: values, after_unknown: { id: true, arn: true, security_group_id: true, security_group_rule_id: true, tags_all: true } } });
    config.push({ address, mode: 'managed', type: 'aws_vpc_security_group_ingress_rule', name, provider_config_key: 'aws', expressions: { security_group_id: { references: [`aws_security_group.sg_${g}.id`, `aws_security_group.sg_${g}`] }, ip_protocol: { constant_value: 'tcp' } }, schema_version: 0 });
  }
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: { resources } },
    resource_changes: changes,
    configuration: { provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } }, root_module: { resources: config } },
    applyable: true,
    complete: true,
    errored: false,
  };
}

// ---------------------------------------------------------------------------------------------------------------

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Writes every input; skips work when the outputs exist unless `force`. */
export function generate({ force = false, log = console.log } = {}) {
  const marker = join(OUT, '.complete');
  if (!force && existsSync(marker)) return;
  rmSync(OUT, { recursive: true, force: true });
  for (const n of SIZES) {
    const t = template(n);
    write(join(OUT, `cfn-${n}.yaml`), toYaml(t));
    write(join(OUT, `cfn-${n}.json`), toJson(t));
  }
  write(join(OUT, 'one-group.yaml'), toYaml(template(1)));
  write(join(OUT, `tf-plan-${PLAN_RULES}.json`), JSON.stringify(terraformPlan(PLAN_RULES)));
  for (let f = 0; f < MONOREPO_FILES; f++) {
    const t = template(1 + (f % 3), 100000 + f);
    const dir = join(OUT, 'monorepo', `service-${String(Math.floor(f / 20)).padStart(3, '0')}`);
    if (f % 2 === 0) write(join(dir, `stack-${pad(f)}.yaml`), toYaml(t));
    else write(join(dir, `stack-${pad(f)}.json`), toJson(t));
  }
  write(marker, '');
  log(`bench inputs written to ${OUT}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generate({ force: process.argv.includes('--force') });
