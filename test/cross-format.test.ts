// Issue 3, "Detection and discovery": the same logical stack written in every input format (CloudFormation YAML and
// JSON, a real Terraform plan, .tf.json, .tf and a cdk.out assembly) gives the same findings. The stack and why each
// format is written as it is: fixtures/cross-format/README.md.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Finding, RuleSettings } from '../src/index';
import { lint, RULES } from '../src/index';

const ROOT = path.resolve(__dirname, '..');

/** Fixed options: small limits so that a small stack reaches them. */
const RULE_SETTINGS: RuleSettings = {
  'excessive-rules': { options: { threshold: 3 } },
  'too-many-groups-per-resource': { options: { maxGroups: 2 } },
};

type FormatName = 'cfn-yaml' | 'cfn-json' | 'tf-plan' | 'tf-json' | 'tf-hcl' | 'cdk';

interface Format {
  input: string;
  /** This format's names (groups, rule resources, attached resources as messages print them) -> logical names. */
  names: Record<string, string>;
  /**
   * Wording that legitimately differs between formats and is not a name: how each format says why the NAT address
   * is unknown (the CloudFormation intrinsic, Terraform's "known after apply", the unresolved interpolation), and
   * how a message names the source of the admin CIDR ("via parameter AdminCidr default"; a plan holds the resolved
   * value only, so its message names none: where the value came from is in the related locations, checked below).
   */
  wording: Record<string, string>;
  /** The related locations of the admin group's SSH finding (its CIDR comes from AdminCidr / var.admin_cidr). */
  adminOrigins: string[];
}

const CFN_NAMES: Record<string, string> = {
  WebSg: '{web}',
  AdminSg: '{admin}',
  AppSg: '{app}',
  DbSg: '{db}',
  DbSgFromApp: '{db from app}',
  DbSgFromAppAgain: '{db from app again}',
  DbSgFromWorld: '{db from world}',
  OpenSg: '{open}',
  UnusedSg: '{unused}',
  'WebInstance (AWS::EC2::Instance)': '{web instance}',
  WebInstance: '{web instance}',
  'Database (AWS::RDS::DBInstance)': '{database}',
};

const TF_NAMES: Record<string, string> = {
  'aws_security_group.web': '{web}',
  'aws_security_group.admin': '{admin}',
  'aws_security_group.app': '{app}',
  'aws_security_group.db': '{db}',
  'aws_vpc_security_group_ingress_rule.db_from_app': '{db from app}',
  'aws_vpc_security_group_ingress_rule.db_from_app_again': '{db from app again}',
  'aws_vpc_security_group_ingress_rule.db_from_world': '{db from world}',
  'aws_vpc_security_group_egress_rule.db_all_out': '{db all out}',
  'aws_security_group.open': '{open}',
  'aws_security_group.unused': '{unused}',
  'aws_instance.web (aws_instance)': '{web instance}',
  'aws_instance.web': '{web instance}',
  'aws_db_instance.database (aws_db_instance)': '{database}',
};

/** CDK logical IDs: the construct id plus a hash, or the id alone for L1 constructs directly under the stack. */
const CDK_NAMES: Record<string, string> = {
  WebSg7A8B9C0D: '{web}',
  AdminSg5E6F7081: '{admin}',
  AppSg92A3B4C5: '{app}',
  DbSg3C4D5E6F: '{db}',
  DbSgfromCrossStackAppSg92A3B4C55432F1E2D3C4: '{db from app}',
  DbSgFromAppAgain: '{db from app again}',
  DbSgFromWorld: '{db from world}',
  OpenSgB1C2D3E4: '{open}',
  UnusedSg0A1B2C3D: '{unused}',
  'WebInstance6F7E8D9C (AWS::EC2::Instance)': '{web instance}',
  WebInstance6F7E8D9C: '{web instance}',
  'DatabaseB269D8BB (AWS::RDS::DBInstance)': '{database}',
};

/** The construct path every CDK finding must carry, by the logical name of its group (or resource). */
const CDK_CONSTRUCT_PATHS: Record<string, string> = {
  '{web}': 'CrossStack/WebSg',
  '{admin}': 'CrossStack/AdminSg',
  '{app}': 'CrossStack/AppSg',
  '{db}': 'CrossStack/DbSg',
  '{open}': 'CrossStack/OpenSg',
  '{unused}': 'CrossStack/UnusedSg',
  '{web instance}': 'CrossStack/WebInstance',
};

const CFN_WORDING = { 'Fn::GetAtt NatEip.PublicIp': '{nat address}', ' via parameter AdminCidr default': '' };
const TF_WORDING = { 'aws_eip.nat.public_ip': '{nat address}', ' via variable admin_cidr default': '' };

const FORMATS: Record<FormatName, Format> = {
  'cfn-yaml': { input: 'fixtures/cross-format/stack.cfn.yaml', names: CFN_NAMES, wording: CFN_WORDING, adminOrigins: ['parameter AdminCidr default'] },
  'cfn-json': { input: 'fixtures/cross-format/stack.cfn.json', names: CFN_NAMES, wording: CFN_WORDING, adminOrigins: ['parameter AdminCidr default'] },
  'tf-plan': {
    input: 'fixtures/cross-format/plan.json',
    names: TF_NAMES,
    wording: { 'known after apply': '{nat address}' },
    // The plan's `variables` entry and the default in its `configuration` (the value is the default).
    adminOrigins: ['variable admin_cidr value', 'variable admin_cidr default'],
  },
  'tf-json': { input: 'fixtures/cross-format/stack.tf.json', names: TF_NAMES, wording: TF_WORDING, adminOrigins: ['variable admin_cidr default'] },
  'tf-hcl': { input: 'fixtures/cross-format/terraform/main.tf', names: TF_NAMES, wording: TF_WORDING, adminOrigins: ['variable admin_cidr default'] },
  cdk: { input: 'fixtures/cross-format/cdk.out', names: CDK_NAMES, wording: CFN_WORDING, adminOrigins: ['parameter AdminCidr default'] },
};

/** What is compared: rule, severity, the group (or, for findings on an attaching resource, that resource), message. */
type Key = `${string} | ${string} | ${string} | ${string}`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces whole names only ("DbSg" not inside "DbSgFromApp"), longest first. */
function replacer(map: Record<string, string>): (text: string) => string {
  const keys = Object.keys(map).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return (text) => text;
  const pattern = new RegExp(`(?<![\\w.$])(?:${keys.map(escapeRegExp).join('|')})(?![\\w])`, 'g');
  return (text) => text.replace(pattern, (m) => map[m] ?? m);
}

/**
 * The one difference that is neither a name nor assumption wording: messages that point at another rule say where it
 * is ("first at X (line 47)"), and lines differ between files by nature.
 */
function normalizeLines(message: string): string {
  return message.replace(/\bline \d+\b/g, 'line N');
}

function keyOf(format: Format, f: Finding): Key {
  const names = replacer(format.names);
  const wording = replacer(format.wording);
  const group = names(f.securityGroup ?? f.resource);
  const folded = f.foldedRuleIds && f.foldedRuleIds.length > 0 ? ` [also ${f.foldedRuleIds.join(', ')}]` : '';
  return `${f.ruleId} | ${f.severity} | ${group} | ${normalizeLines(wording(names(f.message)))}${folded}`;
}

/** The text of a file from a 1-based line and column on, without leading quotes and brackets of JSON/HCL lists. */
function textAt(file: string, line: number, column: number): string {
  const text = readFileSync(path.join(ROOT, file), 'utf8').split(/\r?\n/)[line - 1] ?? '';
  return text.slice(column - 1).replace(/^["[]+/, '');
}

async function lintFormat(name: FormatName): Promise<{ findings: Finding[]; keys: Key[] }> {
  const format = FORMATS[name];
  const result = await lint([format.input], { cwd: ROOT, config: false, preset: 'all', rules: RULE_SETTINGS });
  expect(result.errors).toEqual([]);
  expect(result.files.length).toBeGreaterThan(0);
  return { findings: result.findings, keys: result.findings.map((f) => keyOf(format, f)).sort() };
}

/** The findings every format must give, in logical names (sorted). */
const EXPECTED: Key[] = [
  'database-unrestricted-egress | warning | {db} | Security group {db} (guarding database {database}) allows all protocols to the whole internet (0.0.0.0/0)',
  'duplicate-rule | error | {db} | Security group {db} has the ingress rule tcp/5432 from group {app} twice (first at {db from app} (line N)): AWS rejects the deployment with InvalidPermission.Duplicate',
  "excessive-rules | warning | {app} | Security group {app} has 4 IPv4 ingress rules, more than the threshold of 3 (AWS's quota is 60)",
  'exposed-database-group | error | {db} | Security group {db} (guarding database {database}) allows tcp/5432 from the whole internet (0.0.0.0/0), including PostgreSQL [also open-db-port, world-ingress-unexpected-port]',
  'invalid-port-range | error | {unused} | The tcp ingress rule of security group {unused} has an invalid port range: FromPort 8443 is greater than ToPort 8080',
  'missing-description | note | {db} | Ingress rule tcp/5432 from 0.0.0.0/0 of security group {db} has no description',
  'no-dedicated-ssh-group | warning | {admin} | Security group {admin} admits SSH (tcp/22) together with other ingress: tcp/8080 from 10.0.0.0/16, tcp/8080 from 10.0.1.0/24',
  'open-admin-port | error | {admin} | Security group {admin} allows SSH (tcp/22) from the whole internet (0.0.0.0/0) [also world-ingress-unexpected-port]',
  'open-all-ports | error | {open} | Security group {open} allows every port (all protocols) from the whole internet (0.0.0.0/0), including SSH, RDP and 23 database, cache and search services [also open-admin-port, open-db-port, world-ingress-unexpected-port]',
  'open-sensitive-port | error | {app} | Security group {app} allows Docker Engine API (tcp/2375-2376) from the whole internet (0.0.0.0/0) [also world-ingress-unexpected-port]',
  'rule-without-peer | warning | {unused} | The ingress rule tcp/9443 of security group {unused} names no source (no CIDR, security group or prefix list): it allows nothing',
  'shadowed-rule | warning | {admin} | Security group {admin}: the ingress rule tcp/8080 from 10.0.1.0/24 is covered by tcp/8080 from 10.0.0.0/16 (at line N) and has no effect',
  'too-many-groups-per-resource | error | {web instance} | {web instance} attaches 3 security groups, more than the 2 allowed per network interface: the deployment fails unless the quota is raised',
  'unknown-peer | note | {web} | The peer of the ingress rule tcp/443 of security group {web} is not known to sg-lint ({nat address}): its exposure is not checked',
  'unrestricted-egress | note | {db} | Security group {db} allows all protocols to the whole internet (0.0.0.0/0)',
  'unrestricted-egress | note | {web} | Security group {web} allows all protocols to the whole internet (0.0.0.0/0)',
  'unused-security-group | note | {unused} | Security group {unused} is not attached to any resource in this input and no other group refers to it',
  'wide-port-range | warning | {app} | Security group {app} allows 2768 ports (tcp/30000-32767) from the whole internet (0.0.0.0/0), more than the 1024 allowed [also world-ingress-unexpected-port]',
];

/** The rules this stack proves format-independent. */
const COMPARED_RULES = [
  'database-unrestricted-egress',
  'duplicate-rule',
  'excessive-rules',
  'exposed-database-group',
  'invalid-port-range',
  'missing-description',
  'no-dedicated-ssh-group',
  'open-admin-port',
  'open-all-ports',
  'open-db-port',
  'open-sensitive-port',
  'rule-without-peer',
  'shadowed-rule',
  'too-many-groups-per-resource',
  'unknown-peer',
  'unrestricted-egress',
  'unused-security-group',
  'wide-port-range',
  'world-ingress-unexpected-port',
];

/** Rules that cannot be compared across all six formats, and why. */
const NOT_COMPARABLE: Record<string, string> = {
  'default-group-allows-traffic': 'Terraform only: aws_default_security_group has no CloudFormation or CDK counterpart',
  'mixed-rule-styles': 'Terraform only: in CloudFormation, inline and standalone rules on one group are normal and do not fight',
  'invalid-cidr': "Terraform's AWS provider rejects malformed CIDRs and CIDRs with host bits at plan time, so no plan can hold one",
  'invalid-protocol': "Terraform's AWS provider rejects an unknown protocol at plan time, so no plan can hold one",
  'invalid-property': 'Terraform rejects unknown arguments and a second peer shape at plan time (terraform validate), so no plan can hold one',
  'expired-suppression': 'a plan JSON carries no suppressions (comments and .tf.json "//" keys do not survive terraform show -json)',
  'suppression-missing-reason': 'a plan JSON carries no suppressions',
  'unused-suppression': 'a plan JSON carries no suppressions',
  'denied-suppression': 'a plan JSON carries no suppressions',
  'peer-suppression-without-reason': 'a plan JSON carries no suppressions',
  'unmapped-peer-suppression': 'a plan JSON carries no suppressions',
};

/**
 * Known divergences, each a bug to fix rather than a difference to keep: the test checks that the divergence is still
 * there (so the entry must be deleted once it is fixed) and then compares the rest.
 */
interface KnownGap {
  formats: FormatName[];
  expected: Key;
  actual: Key;
  why: string;
}

const KNOWN_GAPS: KnownGap[] = [];

const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

describe('the same stack in every format gives the same findings', () => {
  it('compared and excluded rules together name every rule, each once with a reason for exclusions', () => {
    const ids = RULES.map((r) => r.meta.id).sort();
    expect([...COMPARED_RULES, ...Object.keys(NOT_COMPARABLE)].sort()).toEqual(ids);
    for (const reason of Object.values(NOT_COMPARABLE)) expect(reason.length).toBeGreaterThan(20);
  });

  it("the expected findings cover every compared rule (reported, or folded into another rule's finding)", () => {
    const folded = EXPECTED.flatMap((k) => /\[also ([^\]]+)\]$/.exec(k)?.[1]?.split(', ') ?? []);
    expect([...new Set([...EXPECTED.map((k) => k.split(' | ')[0]), ...folded])].sort()).toEqual([...COMPARED_RULES].sort());
    expect([...EXPECTED].sort()).toEqual(EXPECTED);
  });

  it.each(FORMAT_NAMES)('%s gives the expected findings', async (name) => {
    const { keys } = await lintFormat(name);
    let compared = keys;
    for (const gap of KNOWN_GAPS.filter((g) => g.formats.includes(name))) {
      // Fails once the gap is fixed: delete the KNOWN_GAPS entry then.
      expect({ gap: gap.why, expectedMissing: !keys.includes(gap.expected), actualPresent: keys.includes(gap.actual) }).toEqual({
        gap: gap.why,
        expectedMissing: true,
        actualPresent: true,
      });
      compared = [...compared.filter((k) => k !== gap.actual), gap.expected].sort();
    }
    expect(compared).toEqual(EXPECTED);
  });

  it("every group and resource a finding names is in its format's name map", async () => {
    const all = await Promise.all(FORMAT_NAMES.map(async (name) => ({ name, ...(await lintFormat(name)) })));
    for (const { name, findings } of all) {
      const format = FORMATS[name];
      const known = new Set([...Object.keys(format.names), ...Object.values(format.names)]);
      // Every group and resource a finding names is in the format's name map: nothing is compared by accident.
      for (const f of findings) {
        expect({ name, resource: known.has(f.resource) }).toEqual({ name, resource: true });
        if (f.securityGroup !== undefined) expect({ name, group: known.has(f.securityGroup) }).toEqual({ name, group: true });
      }
    }
  });

  it.each(FORMAT_NAMES)('%s: findings on a rule entry point at the offending value (the CIDR, the port range), or at the reference whose related location holds it', async (name) => {
    const { findings } = await lintFormat(name);
    const locate = new Map(RULES.map((r) => [r.meta.id, r.meta.locate]));
    let checked = 0;
    for (const f of findings) {
      const field = locate.get(f.ruleId);
      const cidr = /\(((?:[0-9.]+|[0-9a-f:]+)\/\d+)\)/.exec(f.message)?.[1];
      const range = /\(tcp\/(\d+)-\d+\)/.exec(f.message)?.[1];
      const expected = field === 'peer' ? cidr : field === 'ports' ? range : undefined;
      if (expected === undefined || f.message.includes('together')) continue;
      const file = path.join(ROOT, f.file);
      if (statSync(file).isDirectory()) continue;
      const at = textAt(f.file, f.line, f.column);
      // A value that comes from a parameter or variable: the finding is on the reference, and a related location
      // (the default, the plan's value entry) holds the value.
      const ok = at.startsWith(expected) || (f.related ?? []).some((r) => textAt(r.file, r.line, r.column).startsWith(expected));
      expect({ finding: `${f.ruleId} ${f.file}:${f.line}:${f.column}`, at: ok }).toEqual({ finding: `${f.ruleId} ${f.file}:${f.line}:${f.column}`, at: true });
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it.each(FORMAT_NAMES)('%s: the finding whose CIDR comes from the parameter or variable names where it came from; no other has related locations', async (name) => {
    const { findings } = await lintFormat(name);
    const format = FORMATS[name];
    const withRelated = findings.filter((f) => (f.related ?? []).length > 0);
    expect(withRelated.map((f) => keyOf(format, f))).toEqual([
      'open-admin-port | error | {admin} | Security group {admin} allows SSH (tcp/22) from the whole internet (0.0.0.0/0) [also world-ingress-unexpected-port]',
    ]);
    const related = withRelated[0]?.related ?? [];
    expect(related.map((r) => r.message)).toEqual(format.adminOrigins);
    // Each related location is the value 0.0.0.0/0 as the input writes it (the default, the plan's value entry).
    for (const r of related) expect({ origin: r.message, text: textAt(r.file, r.line, r.column) }).toEqual({ origin: r.message, text: expect.stringMatching(/^0\.0\.0\.0\/0/) });
    // The primary location is the reference to it (!Ref AdminCidr, var.admin_cidr) or, in a plan, the resolved value.
    const primary = withRelated[0];
    if (primary) expect(textAt(primary.file, primary.line, primary.column)).toMatch(name === 'tf-plan' ? /^0\.0\.0\.0\/0"/ : /^(?:!Ref AdminCidr|\{|\$?\{?var\.admin_cidr)/);
  });

  it('CDK findings carry the construct path of their group or resource', async () => {
    const { findings } = await lintFormat('cdk');
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      const logical = replacer(CDK_NAMES)(f.securityGroup ?? f.resource);
      expect({ finding: `${f.ruleId} ${logical}`, constructPath: f.constructPath }).toEqual({
        finding: `${f.ruleId} ${logical}`,
        constructPath: CDK_CONSTRUCT_PATHS[logical],
      });
    }
  });

  it('Terraform findings name Terraform addresses: the rule resource that holds the offending rule, and its group', async () => {
    const { findings } = await lintFormat('tf-hcl');
    const dbWorld = findings.filter((f) => f.foldedRuleIds?.includes('open-db-port') && f.securityGroup === 'aws_security_group.db');
    expect(dbWorld.map((f) => f.resource)).toEqual(['aws_vpc_security_group_ingress_rule.db_from_world']);
  });
});
