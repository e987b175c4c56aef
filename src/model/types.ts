/**
 * The security-group model every parser produces and every rule reads.
 *
 * Parsers normalize CloudFormation, Terraform and CDK syntax into these types; rules never see template syntax.
 * A value the input does not determine is `Unknown` with the reason, never a guess.
 */
import type { Condition } from './conditions';

export type { Condition, ConditionExpr, ConditionOperand, Conditions } from './conditions';

/** The input family a model came from. */
export type InputFormat =
  | 'cloudformation-yaml'
  | 'cloudformation-json'
  | 'terraform-plan'
  | 'terraform-state'
  | 'terraform-json'
  | 'terraform-hcl'
  | 'cdk';

/** A position in a source file: 1-based lines and columns (UTF-16 code units), end column exclusive. */
export interface SourceLocation {
  /** Path as given to sg-lint (relative to the working directory when the user gave a relative path). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A value the input determines. */
export interface Known<T> {
  known: true;
  value: T;
}

/**
 * A value the input does not determine (an ImportValue, a parameter without default, an unknown plan value, ...), or
 * one it determines wrongly (`invalid`: AWS would reject it).
 */
export interface Unknown {
  known: false;
  /**
   * Why, in words a user understands: "Fn::ImportValue SharedVpcCidr", "parameter AdminCidr has no Default"; for an
   * invalid value, what is wrong with it: "IpProtocol is missing".
   */
  reason: string;
  /** The input gives a value, and it is invalid (a malformed CIDR, a missing IpProtocol): the invalid-* rules report it. */
  invalid?: true;
}

/** A model value: known, or unknown with a reason. */
export type Value<T> = Known<T> | Unknown;

/** The unknown value for an invalid input value, with what is wrong with it. */
export function invalidValue(reason: string): Unknown {
  return { known: false, reason, invalid: true };
}

/** The normalized IP protocol of a rule. `all` is AWS's `-1`; `number` is any other IANA protocol number. */
export type Protocol =
  | { kind: 'all' }
  | { kind: 'tcp' }
  | { kind: 'udp' }
  | { kind: 'icmp' }
  | { kind: 'icmpv6' }
  | { kind: 'number'; number: number };

/**
 * The ports a rule opens, inclusive. For protocol `all` and other protocol numbers this is always 0-65535
 * (AWS ignores FromPort/ToPort there). For ICMP it is `null`: ICMP type/code are not ports (see `SgRule.icmp`).
 */
export interface PortRange {
  from: number;
  to: number;
}

/** ICMP type and code; -1 means any. */
export interface IcmpMatch {
  type: number;
  code: number;
}

/** A CIDR block, parsed and normalized. */
export interface CidrPeer {
  kind: 'cidr';
  family: 4 | 6;
  /** Canonical form, host bits cleared: "10.0.0.0/8", "::/0". */
  cidr: string;
  /** As written in the input, when it differs from `cidr` (e.g. "10.1.2.3/8"). */
  raw: string;
  prefix: number;
  /** First and last address of the block, as integers. */
  first: bigint;
  last: bigint;
}

/** Another security group (or the group itself) as the peer. */
export interface GroupPeer {
  kind: 'security-group';
  /** The group's model address when it is in the input (logical ID or Terraform address), else the literal id/name. */
  ref: string;
  /** True when `ref` names a group in the same model. */
  inModel: boolean;
  /** True for Terraform `self = true` or a reference to the rule's own group. */
  self: boolean;
  /** Account of a cross-account group reference (SourceSecurityGroupOwnerId). */
  ownerId?: string;
}

/** A managed prefix list as the peer. */
export interface PrefixListPeer {
  kind: 'prefix-list';
  id: string;
  /** Max entries of a customer-managed prefix list when the input says (AWS counts the list at this size). */
  maxEntries?: number;
}

/**
 * Something written in the input that AWS or the input's own tool refuses when deploying (CloudFormation's validator,
 * `terraform validate`): an unknown property, several peers in one rule entry, a mapping where a list belongs. The
 * parser records it where it is written; the `invalid-property` rule reports each one once.
 */
export interface DeployProblem {
  message: string;
  location: SourceLocation;
}

/**
 * The IPv4 address range of a VPC, or of one of its subnets, that the input names but does not contain (Terraform
 * `data.aws_vpc.main.cidr_block`, `aws_subnet.app.cidr_block` when AWS or IPAM allocates it). Its addresses are known
 * only after apply; what it is is known: AWS allows a VPC block from /16 to /28, so it is never the internet or a
 * wide public range, and traffic from it originates inside the VPC. Rules treat it as a private range.
 */
export interface VpcRangePeer {
  kind: 'vpc-range';
  /** The range as the input names it: "data.aws_vpc.default.cidr_block". */
  ref: string;
  /** The range of a whole VPC or of a subnet. */
  scope: 'vpc' | 'subnet';
}

/** A rule entry that names no peer at all (CloudFormation silently drops such a rule). */
export interface NoPeer {
  kind: 'none';
}

export type Peer = CidrPeer | GroupPeer | PrefixListPeer | VpcRangePeer | NoPeer;

export type Direction = 'ingress' | 'egress';

/**
 * One security-group rule with exactly one peer (AWS counts one rule per CIDR/peer).
 *
 * A Terraform block with two CIDRs becomes two SgRules sharing `entry`; a CloudFormation entry under `Fn::If` becomes
 * one SgRule per branch, sharing `entry` and differing in `conditions`.
 */
export interface SgRule {
  direction: Direction;
  protocol: Value<Protocol>;
  /** Ports for tcp/udp (and 0-65535 for `all` and other numbers); null for ICMP. */
  ports: Value<PortRange | null>;
  /** ICMP type/code for icmp/icmpv6 rules. */
  icmp?: IcmpMatch;
  peer: Value<Peer>;
  description: Value<string | undefined>;
  /** How it was written: inside the group, as its own resource, or added by AWS (CloudFormation default egress). */
  declaredAs: 'inline' | 'standalone' | 'implicit';
  /** Address of the resource where the rule is written (group logical ID, standalone rule resource, TF address). */
  resource: string;
  /** Address of the group the rule belongs to; the literal group id/ref when the group is not in the input. */
  group: string;
  /**
   * Identity of the source entry the rule came from, unique within a file: variants and per-peer expansions of one
   * written entry share it. Used for counting, deduplication and fingerprints.
   */
  entry: string;
  /**
   * What this variant assumes (see `Condition`): a condition's outcome, a parameter's value, a Terraform instance.
   * Includes the conditions of the resource it is written in. Empty when every value is literal. Message text comes
   * from `describeCondition`.
   */
  conditions: Condition[];
  /** Where the rule entry is written. */
  location: SourceLocation;
  /** Finer locations of individual fields when the parser knows them. */
  fieldLocations?: Partial<Record<'protocol' | 'ports' | 'peer' | 'description', SourceLocation>>;
  /**
   * Where values of this variant came from when they are not written in the entry itself: the parameter default or
   * `AllowedValues` entry, the `Fn::If` branch, the variable default or tfvars line, the module call. Findings show
   * them as related locations: the places a fix may have to go.
   */
  origins?: ValueOrigin[];
  /** Suppressions written next to this rule entry (e.g. an HCL comment above an ingress block). */
  suppressions?: Suppression[];
  /** Deploy problems of the rule entry (shared by every rule of the entry). */
  deployProblems?: DeployProblem[];
  /** Free-text comments written on the rule's own resource (Terraform JSON `"//"` keys), for the engine to read. */
  comments?: string[];
}

/** What produced a value of a rule (see `SgRule.origins`). */
export interface ValueOrigin {
  /** The field whose value it produced. */
  field: 'protocol' | 'ports' | 'peer' | 'description';
  /** What the place is: the parameter default, an `AllowedValues` entry, an `Fn::If` branch, a variable default, ... */
  kind: 'parameter-default' | 'parameter-value' | 'allowed-value' | 'condition-branch' | 'variable-default' | 'variable-value' | 'module-call' | 'local';
  /** In words: "parameter AdminCidr default", "Fn::If branch when condition IsDev is true", "module call module.net". */
  label: string;
  location: SourceLocation;
}

/** What a resource that uses a security group is, for rules that judge exposure by what is guarded. */
export type AttachmentCategory =
  | 'database'
  | 'cache'
  | 'search'
  | 'message-broker'
  | 'load-balancer'
  | 'compute'
  | 'container'
  | 'serverless'
  | 'kubernetes'
  | 'file-system'
  | 'endpoint'
  | 'other';

/** A resource in the input that references a security group (an instance, a database, a load balancer, ...). */
export interface Attachment {
  /** Address of the referencing resource. */
  resource: string;
  /** Its type: "AWS::RDS::DBInstance", "aws_db_instance". */
  type: string;
  category: AttachmentCategory;
  /** The port the resource listens on when the input or the engine default says (RDS Port, engine default). */
  ports?: number[];
  location: SourceLocation;
}

/** A suppression written in the input. Parsers collect them; the engine applies them. */
export interface Suppression {
  /** Rule id as written (peer ids such as cfn_nag `W2` are mapped by the engine). */
  rule: string;
  reason?: string;
  /** ISO date after which the suppression stops applying. */
  expires?: string;
  /** Which marker it came from: "sg-lint", "cfn_nag", "checkov", "cfn-lint", "tfsec", "trivy", "kics". */
  origin: string;
  location: SourceLocation;
  /**
   * Set when the marker is understood but cannot be applied as written: why ("names every check", "filters on
   * attributes [from_port=3306]"). The engine reports such markers once as a note and never applies them.
   */
  unsupported?: string;
  /**
   * Narrows a suppression written on a group to some of its findings (CloudFormation
   * `sg-lint: { suppress: [ { rule, reason, ingress: 1 } ] }`, or `cidr` / `key`). Absent: the whole resource.
   */
  scope?: SuppressionScope;
}

/** Which findings of a group a scoped suppression covers; every given field must match. */
export interface SuppressionScope {
  /** Only rules of this direction. */
  direction?: Direction;
  /** With `direction`: the 0-based position of the entry in the group's inline SecurityGroupIngress/Egress list. */
  index?: number;
  /** Only rules whose peer is this CIDR (compared in canonical form). */
  cidr?: string;
  /** Only findings with this key, e.g. "tcp/22" (a port/service a rule reports on). */
  key?: string;
}

/** One tag of a resource: its key, and its value when the input determines it. */
export interface Tag {
  key: string;
  value: Value<string>;
}

/** A security group with all of its rules, inline and standalone merged. */
export interface SecurityGroup {
  /** Logical ID (CloudFormation), address (Terraform), or the literal id for a group outside the input. */
  address: string;
  /** Resource type as written: "AWS::EC2::SecurityGroup", "aws_security_group", "aws_default_security_group". */
  type: string;
  /** `external`: only standalone rules reference it; the group itself is defined elsewhere. */
  kind: 'standard' | 'default' | 'external';
  name?: Value<string | undefined>;
  description: Value<string | undefined>;
  /**
   * The group's tags (CloudFormation `Tags`, Terraform `tags_all` or `tags`); an empty list when it has none, unknown
   * when the list itself is not determined. Absent for groups the input does not define (kind `external`).
   */
  tags?: Value<Tag[]>;
  ingress: SgRule[];
  egress: SgRule[];
  /**
   * True when the input adds no egress and AWS keeps its allow-all default (CloudFormation); the default rule is then
   * present in `egress` with `declaredAs: 'implicit'`.
   */
  implicitEgress: boolean;
  /**
   * The VPC's default security group: Terraform's `aws_default_security_group` (kind `default`), or in CloudFormation
   * the group behind a VPC's `DefaultSecurityGroup` attribute that standalone rules add to (kind `external`).
   */
  vpcDefault?: boolean;
  /** The group is managed both by inline rules and by standalone rule resources (Terraform perpetual diff). */
  mixedRuleStyles?: boolean;
  /** Resources in the input that use this group. */
  attachments: Attachment[];
  /** Deploy problems of the group resource itself (an unknown property, a missing GroupDescription). */
  deployProblems?: DeployProblem[];
  /** Conditions under which the group exists at all (its CloudFormation `Condition`, a Terraform count). */
  conditions: Condition[];
  /** CDK construct path (from aws:cdk:path metadata). */
  constructPath?: string;
  location: SourceLocation;
  suppressions?: Suppression[];
  /** Free-text comments written on the group's resource (Terraform JSON `"//"` keys), for the engine to read. */
  comments?: string[];
}

/** A resource that is not a group but matters to rules (for attachment limits): its groups and location. */
export interface GroupUser {
  resource: string;
  type: string;
  /** Addresses (or literal ids) of the groups it attaches, in order. Unknown entries are counted but unnamed. */
  groups: Value<string>[];
  location: SourceLocation;
  constructPath?: string;
  suppressions?: Suppression[];
}

/** A problem with the input itself: it could not be read or parsed. The file still counts as linted. */
export interface InputError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

/** A note about the input that is not a finding (skipped file, capped branch expansion), shown with --verbose. */
export interface InputNotice {
  file: string;
  message: string;
  line?: number;
  column?: number;
  /**
   * Shown in every report, not only with --verbose: part of the input was not linted and the user can fix that
   * (a Terraform module that is not installed, a file named on the command line that is not a template or that the
   * configuration ignores). Does not change the exit code.
   */
  visible?: boolean;
}

/** What one parser produced for one input (a file, or a cdk.out assembly). */
export interface ParsedInput {
  /** The path the user gave (or that discovery found). */
  file: string;
  format: InputFormat;
  groups: SecurityGroup[];
  users: GroupUser[];
  errors: InputError[];
  notices: InputNotice[];
  /** Terraform plans: addresses of resources the plan creates or updates. */
  changedResources?: string[];
}
