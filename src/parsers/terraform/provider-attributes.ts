/**
 * What AWS and the AWS provider document about attributes whose values are known only after apply (or read by a data
 * source): their format and, for peers, what they are. sg-lint never guesses these values; it uses only what every
 * possible value has in common:
 *
 * - `chars`: every value matches it, and no value is empty (AWS ids such as `pl-0123abcd`, `sg-…`, `vpc-…`; IPv4 CIDR
 *   blocks). So `split()` on a separator made of other characters cannot cut it, and `compact()` never drops it.
 * - `range`: the value is the IPv4 block of a VPC or of a subnet. AWS allows a VPC block from /16 to /28 (the provider
 *   rejects others: fixtures/terraform-oracle/vpc-cidr), so it is never the internet or a wide public range, and
 *   traffic from it originates inside the VPC, whose local route covers it.
 */

/** Characters of AWS resource ids. */
const ID = /^[a-z0-9-]+$/;
/** Characters of IPv4 CIDR blocks. */
const CIDR_V4 = /^[0-9./]+$/;

/** What every value of an attribute has in common. */
export interface AttributeFormat {
  /** Every value matches this pattern, which excludes the empty string. */
  chars: RegExp;
  /** The value is the IPv4 block of a VPC or of one of its subnets. */
  range?: 'vpc' | 'subnet';
}

const AN_ID: AttributeFormat = { chars: ID };
const VPC_BLOCK: AttributeFormat = { chars: CIDR_V4, range: 'vpc' };
const SUBNET_BLOCK: AttributeFormat = { chars: CIDR_V4, range: 'subnet' };

/**
 * `<type>.<attribute>`, for resources and data sources of that type alike. IPv6 blocks are not listed: a VPC or subnet
 * without IPv6 has an empty `ipv6_cidr_block`.
 */
const FORMATS: ReadonlyMap<string, AttributeFormat> = new Map([
  ['aws_vpc.id', AN_ID],
  ['aws_vpc.cidr_block', VPC_BLOCK],
  ['aws_default_vpc.id', AN_ID],
  ['aws_default_vpc.cidr_block', VPC_BLOCK],
  ['aws_vpc_ipv4_cidr_block_association.cidr_block', VPC_BLOCK],
  ['aws_subnet.id', AN_ID],
  ['aws_subnet.cidr_block', SUBNET_BLOCK],
  ['aws_default_subnet.id', AN_ID],
  ['aws_default_subnet.cidr_block', SUBNET_BLOCK],
  ['aws_security_group.id', AN_ID],
  ['aws_default_security_group.id', AN_ID],
  ['aws_ec2_managed_prefix_list.id', AN_ID],
  ['aws_prefix_list.id', AN_ID],
]);

/** The type of a resource or data source address: `module.a["k"].data.aws_vpc.main[0]` -> `aws_vpc`. */
export function addressType(address: string): string | undefined {
  const parts = address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, '').split('.');
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

/** The documented format of `attribute` of the resource or data source at `address`, when sg-lint knows it. */
export function attributeFormat(address: string, attribute: string): AttributeFormat | undefined {
  return FORMATS.get(`${addressType(address) ?? ''}.${attribute}`);
}
