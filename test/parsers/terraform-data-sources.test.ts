/**
 * Data-source arguments that fix the attribute they select by (src/parsers/terraform/data-sources.ts): an exact-match
 * argument gives the attribute its value; anything else stays a value read during plan.
 */
import { evaluateInModule } from '../../src/parsers/terraform/config';
import type { ModuleDecl } from '../../src/parsers/terraform/config';
import { makeExpr, textSource } from '../../src/parsers/terraform/exprs';
import { readHclModule } from '../../src/parsers/terraform/hcl';
import { parseTerraformJson } from '../../src/parsers/terraform';
import { toPlain } from '../../src/parsers/terraform/values';
import { group, ROOT } from './terraform-helpers';

const config = `
variable "block" {
  default = "10.1.0.0/16"
}
data "aws_vpc" "literal" {
  cidr_block = "10.0.0.0/16"
}
data "aws_vpc" "variable" {
  cidr_block = var.block
}
data "aws_vpc" "by_id" {
  id = "vpc-0abc"
}
data "aws_vpc" "host_bits" {
  cidr_block = "10.0.0.1/16"
}
data "aws_vpc" "counted" {
  count      = 1
  cidr_block = "10.0.0.0/16"
}
data "aws_vpc" "ipv6" {
  cidr_block = "fd00::/56"
}
data "aws_subnet" "a" {
  cidr_block = "10.0.1.0/24"
  id         = "subnet-0abc"
}
data "aws_ec2_managed_prefix_list" "by_name" {
  name = "office"
}
data "aws_ec2_managed_prefix_list" "wildcard" {
  name = "office-*"
}
data "aws_prefix_list" "s3" {
  prefix_list_id = "pl-63a5400a"
}
data "aws_security_group" "by_id" {
  id = "sg-0abc"
}
`;

let decl: ModuleDecl;

beforeAll(async () => {
  const read = await readHclModule('m', [{ file: 'm/main.tf', text: config }]);
  expect(read.errors).toEqual([]);
  decl = read.decl;
});

function value(text: string): unknown {
  const e = makeExpr(textSource('<test>', text), text, 0, { file: '<test>', line: 1, column: 1, endLine: 1, endColumn: 1 }, 'expression');
  const v = evaluateInModule(decl, e, { cwd: ROOT });
  return v.kind === 'ref' ? `ref ${v.address}.${v.attribute}` : v.kind === 'unknown' ? 'unknown' : toPlain(v);
}

describe('data-source attributes their arguments fix', () => {
  it('are the argument values, from literals and variables', () => {
    expect(value('data.aws_vpc.literal.cidr_block')).toBe('10.0.0.0/16');
    expect(value('data.aws_vpc.variable.cidr_block')).toBe('10.1.0.0/16');
    expect(value('data.aws_vpc.by_id.id')).toBe('vpc-0abc');
    expect(value('data.aws_subnet.a.cidr_block')).toBe('10.0.1.0/24');
    expect(value('data.aws_subnet.a.id')).toBe('subnet-0abc');
    expect(value('data.aws_ec2_managed_prefix_list.by_name.name')).toBe('office');
    expect(value('data.aws_prefix_list.s3.id')).toBe('pl-63a5400a');
  });

  it('take part in functions', () => {
    expect(value('cidrsubnet(data.aws_vpc.literal.cidr_block, 8, 2)')).toBe('10.0.2.0/24');
  });

  it('stay read during plan otherwise', () => {
    // Not what the argument selects by: read during plan.
    expect(value('data.aws_vpc.by_id.cidr_block')).toBe('ref data.aws_vpc.by_id.cidr_block');
    expect(value('data.aws_vpc.literal.id')).toBe('ref data.aws_vpc.literal.id');
    // A block EC2 would not store as written matches no VPC; an IPv6 block is not the primary IPv4 block.
    expect(value('data.aws_vpc.host_bits.cidr_block')).toBe('ref data.aws_vpc.host_bits.cidr_block');
    expect(value('data.aws_vpc.ipv6.cidr_block')).toBe('ref data.aws_vpc.ipv6.cidr_block');
    // Instances are read one by one.
    expect(value('data.aws_vpc.counted[0].cidr_block')).toBe('ref data.aws_vpc.counted[0].cidr_block');
    // An EC2 filter value with a wildcard selects by pattern.
    expect(value('data.aws_ec2_managed_prefix_list.wildcard.name')).toBe('ref data.aws_ec2_managed_prefix_list.wildcard.name');
    // A security group read by a data source stays a group outside the input, named by its data source.
    expect(value('data.aws_security_group.by_id.id')).toBe('ref data.aws_security_group.by_id.id');
  });

  it('are read from .tf.json too', async () => {
    const text = JSON.stringify({
      data: { aws_vpc: { main: { cidr_block: '10.5.0.0/16' } } },
      resource: {
        aws_security_group: {
          db: {
            description: 'db',
            ingress: [{ from_port: 5432, to_port: 5432, protocol: 'tcp', cidr_blocks: ['${cidrsubnet(data.aws_vpc.main.cidr_block, 8, 1)}'], description: null, ipv6_cidr_blocks: null, prefix_list_ids: null, security_groups: null, self: null }],
          },
        },
      },
    });
    const inputs = await parseTerraformJson([{ file: 'j/main.tf.json', text }], { cwd: ROOT });
    const rule = group(inputs, 'aws_security_group.db').ingress[0];
    expect(rule?.peer).toMatchObject({ known: true, value: { kind: 'cidr', cidr: '10.5.1.0/24' } });
  });
});
