/**
 * Data-source arguments that fix the attribute they select by. A data source reads one object during plan; when the
 * argument that selects it is an exact match on an attribute, that attribute of the object read is the argument's
 * value (or the read fails and nothing is deployed). So `data "aws_vpc" "x" { cidr_block = "10.0.0.0/16" }` gives
 * `data.aws_vpc.x.cidr_block = "10.0.0.0/16"`.
 *
 * Only these, from the AWS provider (5.100, hashicorp/terraform-provider-aws) and the EC2 API reference:
 * - `aws_vpc` (website/docs/d/vpc.html.markdown, internal/service/ec2/vpc_data_source.go): `id` is sent as
 *   `VpcIds` and `cidr_block` as the DescribeVpcs filter `cidr` ("The primary IPv4 CIDR block of the VPC. The CIDR
 *   block you specify must exactly match the VPC's CIDR block"); the data source then sets `id` from `VpcId` and
 *   `cidr_block` from the VPC's primary `CidrBlock`. "All of the argument attributes except filter blocks are also
 *   exported as result attributes."
 * - `aws_subnet` (website/docs/d/subnet.html.markdown, vpc_subnet_data_source.go): `id` as `SubnetIds`,
 *   `cidr_block` as the DescribeSubnets filter `cidrBlock` (= `cidr-block`: "The IPv4 CIDR block of the subnet. The
 *   CIDR block you specify must exactly match the subnet's CIDR block"); `id` and `cidr_block` are set from the subnet.
 *   (`ipv6_cidr_block` filters on any IPv6 association, and the attribute is only an associated one: not used.)
 * - `aws_ec2_managed_prefix_list` (website/docs/d/ec2_managed_prefix_list.html.markdown and
 *   its read function): `id` as `PrefixListIds`, `name` as the filter `prefix-list-name`; `id`
 *   is set from `PrefixListId`, `name` from the list's name.
 * - `aws_prefix_list` (website/docs/d/prefix_list.html.markdown and its read function): `prefix_list_id`
 *   as `PrefixListIds` gives `id`; `name` as the filter `prefix-list-name` gives `name`.
 *
 * EC2 filter values accept the wildcards `*` and `?`, so a filter value fixes the attribute only without them; a CIDR
 * block must be written as EC2 stores it (host bits clear), or no object matches it.
 */
import { parseCidr } from '../../model/cidr';

/** The argument that fixes an attribute, and whether a value of it does (an exact match). */
export interface FixingArgument {
  name: string;
  fixes(value: string): boolean;
}

/** An id passed as the API's list of ids: matched exactly. */
const exactId = (value: string): boolean => value !== '';
/** A filter value without EC2's wildcards. */
const exactFilter = (value: string): boolean => value !== '' && !/[*?]/.test(value);
/** An IPv4 block as EC2 stores it. */
const storedIpv4Block = (value: string): boolean => {
  const parsed = parseCidr(value);
  return parsed.ok && parsed.peer.family === 4 && parsed.peer.cidr === value;
};

const TABLE: ReadonlyMap<string, FixingArgument> = new Map([
  ['aws_vpc.id', { name: 'id', fixes: exactId }],
  ['aws_vpc.cidr_block', { name: 'cidr_block', fixes: storedIpv4Block }],
  ['aws_subnet.id', { name: 'id', fixes: exactId }],
  ['aws_subnet.cidr_block', { name: 'cidr_block', fixes: storedIpv4Block }],
  ['aws_ec2_managed_prefix_list.id', { name: 'id', fixes: exactId }],
  ['aws_ec2_managed_prefix_list.name', { name: 'name', fixes: exactFilter }],
  ['aws_prefix_list.id', { name: 'prefix_list_id', fixes: exactId }],
  ['aws_prefix_list.name', { name: 'name', fixes: exactFilter }],
]);

/** The argument of a data source of `type` that fixes `attribute`, if any. */
export function fixingArgument(type: string, attribute: string): FixingArgument | undefined {
  return TABLE.get(`${type}.${attribute}`);
}
