// Compares sg-lint with the peers' own test expectations in ../shared/corpus: for every corpus entry whose `expect`
// names a peer check that maps to an sg-lint rule, each resource the peer fails must get a finding of the mapped rule
// and each resource it passes must get none. Every disagreement must be listed, with the reason, in KNOWN below and
// in docs/peers.md. `SG_LINT_PEERS_REPORT=1` prints the agreement table (scripts/compare-peers.mjs sets it).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lint } from '../src/engine/lint';
import type { Finding } from '../src/engine/types';

const ROOT = path.resolve(__dirname, '..');
const SHARED = path.resolve(ROOT, '../shared');
const CORPUS = path.join(SHARED, 'corpus');

/** A peer check and the sg-lint findings that answer it. */
interface Mapping {
  peer: string;
  rules: string[];
  /** Narrows the findings that count (e.g. only tcp/22 for an SSH check). */
  keep?: (f: Finding) => boolean;
}

const EXPOSURE = ['open-admin-port', 'open-db-port', 'open-sensitive-port', 'open-all-ports'];
const onPort = (port: number) => (f: Finding): boolean => new RegExp(`[tu][cd]p/${port}\\b|all protocols|includes [tu][cd]p/${port}\\)|range \\d+-\\d+ includes [tu][cd]p/${port}\\b`).test(f.message);

/** Peer check id (or KICS query id prefix) -> sg-lint rules. Checks not listed are not compared (see docs/peers.md). */
const MAPPINGS: Record<string, Mapping> = {
  CKV_AWS_24: { peer: 'checkov', rules: ['open-admin-port'], keep: onPort(22) },
  CKV_AWS_25: { peer: 'checkov', rules: ['open-admin-port'], keep: onPort(3389) },
  CKV_AWS_277: { peer: 'checkov', rules: ['open-all-ports'] },
  CKV_AWS_382: { peer: 'checkov', rules: ['unrestricted-egress'] },
  CKV_AWS_23: { peer: 'checkov', rules: ['missing-description'] },
  CKV2_AWS_5: { peer: 'checkov', rules: ['unused-security-group'] },
  CKV2_AWS_12: { peer: 'checkov', rules: ['default-group-allows-traffic'] },
  F1000: { peer: 'cfn_nag', rules: ['unrestricted-egress'], keep: (f) => f.message.includes('(implicit:') },
  W36: { peer: 'cfn_nag', rules: ['missing-description'], keep: (f) => !f.message.startsWith('Security group ') },
  FG_R00085: { peer: 'regula', rules: ['open-admin-port'], keep: onPort(22) },
  FG_R00087: { peer: 'regula', rules: ['open-admin-port'], keep: onPort(3389) },
  FG_R00089: { peer: 'regula', rules: ['default-group-allows-traffic'] },
  FG_R00377: { peer: 'regula', rules: ['world-ingress-unexpected-port'] },
  '65905cec': { peer: 'KICS', rules: ['open-admin-port'], keep: onPort(22) },
  '6e856af2': { peer: 'KICS', rules: ['open-admin-port'], keep: onPort(22) },
  '151187cb': { peer: 'KICS', rules: ['open-admin-port'], keep: onPort(3389) },
  '3ae83918': { peer: 'KICS', rules: ['open-admin-port'], keep: onPort(3389) },
  c9846969: { peer: 'KICS', rules: ['open-admin-port'], keep: onPort(3389) },
  '381c3f2a': { peer: 'KICS', rules: EXPOSURE },
  cdbb0467: { peer: 'KICS', rules: EXPOSURE },
  adcd0082: { peer: 'KICS', rules: ['open-all-ports'] },
  '494b03d3': { peer: 'KICS', rules: EXPOSURE },
  '78055456': { peer: 'KICS', rules: EXPOSURE },
  '68eb4bf3': { peer: 'KICS', rules: ['missing-description'], keep: (f) => !f.message.startsWith('Security group ') },
  '5e6c9c68': { peer: 'KICS', rules: ['missing-description'], keep: (f) => !f.message.startsWith('Security group ') },
  cb3f5ed6: { peer: 'KICS', rules: ['missing-description'], keep: (f) => f.message.startsWith('Security group ') },
  '4849211b': { peer: 'KICS', rules: ['unused-security-group'] },
  '46883ce1': { peer: 'KICS', rules: ['default-group-allows-traffic'] },
  '9a4ef195': { peer: 'KICS', rules: ['default-group-allows-traffic'] },
};

/** One comparison: a peer's verdict on one resource (or a whole file, for negative KICS samples). */
interface Verdict {
  file: string;
  peerRule: string;
  resource: string;
  peerFails: boolean;
  sgLintFails: boolean;
}

/** A disagreement the project accepts, with the reason (also in docs/peers.md). */
interface Known {
  file: string;
  resource: string;
  peerRule: string;
  why: string;
}

const CKV22 = 'checkov/tests/terraform/checks/resource/aws/example_SecurityGroupUnrestrictedIngress22/main.tf';
const ATTACHED = 'checkov/tests/terraform/graph/checks/resources/SGAttachedToResource/main.tf';
const VPC_SG = 'checkov/tests/terraform/graph/checks/resources/VPCHasRestrictedSG/main.tf';
const KICS_TF = 'kics/assets/queries/terraform/aws';
const SENSITIVE = `${KICS_TF}/sensitive_port_is_exposed_to_entire_network/test`;
const UNUSED = `${KICS_TF}/security_groups_not_used/test`;
const REGULA = 'regula/rego/tests/rules/cfn/vpc/inputs';

const ATTACHMENT_GAP_APPSTREAM =
  'attached through vpc_config.security_groups_ids, which is not an attribute of aws_appstream_fleet (the provider names it security_group_ids); sg-lint reads only schema attributes and calls the group unused';
const ATTACHMENT_GAP_SPOT_FLEET =
  'attached by aws_ec2_spot_fleet_request, which is not an AWS provider resource type (the spot fleet is aws_spot_fleet_request); sg-lint calls the group unused';

const KNOWN: Known[] = [
  { file: 'checkov/tests/terraform/checks/resource/aws/example_SecurityGroupUnrestrictedEgressAny/main.tf', resource: 'aws_security_group.pass', peerRule: 'CKV_AWS_382', why: 'egress protocol "-1" with ports 20-200: AWS ignores ports for -1, so all traffic leaves; checkov only counts -1 with ports 0/0' },
  { file: CKV22, resource: 'aws_security_group.fail2', peerRule: 'CKV_AWS_24', why: 'tcp with from_port = to_port = 0 is port 0 only; checkov rewrites 0/0 to all ports whatever the protocol' },
  { file: CKV22, resource: 'aws_security_group.not_self', peerRule: 'CKV_AWS_24', why: 'the rule names no peer (self = false, no CIDR): it allows nothing (rule-without-peer); checkov reads a missing source as the whole internet' },
  { file: CKV22, resource: 'aws_vpc_security_group_ingress_rule.fail2', peerRule: 'CKV_AWS_24', why: 'no cidr_ipv4 or other peer: the rule allows nothing (rule-without-peer); checkov reads a missing source as the whole internet (bridgecrewio/checkov#6624)' },
  { file: CKV22, resource: 'aws_security_group.pass_self2', peerRule: 'CKV_AWS_24', why: 'protocol -1 from 0.0.0.0/0 opens SSH even though the same block also sets self = true; checkov lets self mask the CIDR (bridgecrewio/checkov#6073)' },
  { file: ATTACHED, resource: 'aws_security_group.pass_appstream_fleet', peerRule: 'CKV2_AWS_5', why: ATTACHMENT_GAP_APPSTREAM },
  { file: ATTACHED, resource: 'aws_security_group.pass_ec2_spot_fleet_request', peerRule: 'CKV2_AWS_5', why: ATTACHMENT_GAP_SPOT_FLEET },
  ...['not_ok_vpc', 'not_ok_vpc_2', 'not_ok_vpc_3', 'not_ok_vpc_4', 'not_ok_vpc_5'].map((name) => ({
    file: VPC_SG,
    resource: `aws_vpc.${name}`,
    peerRule: 'CKV2_AWS_12',
    why: 'checkov fails a VPC that has no aws_default_security_group resource; sg-lint judges the rules of a default group that is declared and cannot see what an undeclared one holds',
  })),
  { file: `${KICS_TF}/default_security_groups_with_unrestricted_traffic/test/negative.tf`, resource: '(whole file)', peerRule: '46883ce1', why: 'the default group keeps rules to private and self peers; KICS only flags 0.0.0.0/0 and ::/0, CIS 5.4 and EC2.2 require no rules at all' },
  { file: `${KICS_TF}/remote_desktop_port_open_to_internet/test/negative.tf`, resource: '(whole file)', peerRule: '151187cb', why: '0.1.0.0/0 has prefix length 0: AWS clears the host bits and admits the whole internet; KICS compares the string with 0.0.0.0/0' },
  { file: `${KICS_TF}/security_group_with_unrestricted_access_to_ssh/test/positive3.tf`, resource: 'module.vote_service_sg', peerRule: '65905cec', why: 'the rule is an input of the registry module terraform-aws-modules/security-group, which sg-lint does not download or expand' },
  { file: `${KICS_TF}/security_group_with_unrestricted_access_to_ssh/test/positive4.tf`, resource: 'module.vote_service_sg', peerRule: '65905cec', why: 'the rule is an input of the registry module terraform-aws-modules/security-group, which sg-lint does not download or expand' },
  { file: `${UNUSED}/negative2.tf`, resource: '(whole file)', peerRule: '4849211b', why: 'the group is used only as an input of a registry module call, which the Terraform parser does not record as an attachment' },
  { file: `${UNUSED}/negative3.tf`, resource: '(whole file)', peerRule: '4849211b', why: 'the instance lists the quoted string "aws_security_group.used_sg.id", a literal and not a reference; KICS matches the text' },
  { file: `${UNUSED}/negative4.tf`, resource: '(whole file)', peerRule: '4849211b', why: 'the instance attaches var.secgroups, a variable without a value, which the Terraform parser does not record as an unresolved attachment' },
  { file: `${UNUSED}/negative5.tf`, resource: '(whole file)', peerRule: '4849211b', why: 'the EKS cluster lists the quoted string "aws_security_group.used_sg.id", a literal and not a reference; KICS matches the text' },
  { file: `${SENSITIVE}/negative.tf`, resource: '(whole file)', peerRule: '381c3f2a', why: '1.2.3.4/5 is a public /5 (a sixteenth of IPv4): sg-lint treats public ranges of /8 or wider as near-world; KICS only counts /0' },
  { file: `${SENSITIVE}/positive.json`, resource: 'aws_security_group.invalid', peerRule: '381c3f2a', why: 'the only world rule is tcp/443; KICS lists HTTPS as a known port, sg-lint expects HTTPS to face the internet' },
  ...['positive2', 'positive4', 'positive7', 'positive8'].map((name) => ({
    file: `${SENSITIVE}/positive.tf`,
    resource: `aws_security_group.${name}`,
    peerRule: '381c3f2a',
    why: '"/0" is not a CIDR block: AWS rejects it and sg-lint reports invalid-cidr; KICS accepts any string ending in /0',
  })),
  { file: `${REGULA}/ingress_22_infra.yaml`, resource: 'ValidSecurityGroup02', peerRule: 'FG_R00085', why: 'IpProtocol -1 with FromPort/ToPort 80: AWS ignores ports for -1, so SSH is open; regula reads the ports' },
  { file: `${REGULA}/ingress_22_infra.yaml`, resource: 'ValidSecurityGroup03', peerRule: 'FG_R00085', why: 'IpProtocol -1 with FromPort/ToPort 80 from ::/0: AWS ignores ports for -1, so SSH is open; regula reads the ports' },
  { file: `${REGULA}/ingress_3389_infra.yaml`, resource: 'ValidSecurityGroup02', peerRule: 'FG_R00087', why: 'IpProtocol -1 with FromPort/ToPort 80: AWS ignores ports for -1, so RDP is open; regula reads the ports' },
];

interface Check {
  rule: string;
  fail?: string[];
  pass?: string[];
  fail_resources_derived_from_lines?: string[];
  expected_finding_count?: number;
}

interface Entry {
  file: string;
  role: string;
  format: string;
  expect: { checks?: Check[]; comparable_to_sg_lint?: boolean | string } | null;
}

/** Corpus files that could not be compared in this environment. */
const skipped: string[] = [];

function mappingOf(rule: string): Mapping | undefined {
  return MAPPINGS[rule] ?? MAPPINGS[rule.split('-')[0] ?? ''];
}

function matches(findings: readonly Finding[], mapping: Mapping, resource: string | undefined): boolean {
  return findings.some(
    (f) =>
      // A rule folded into another rule's finding on the same entry still reports (issue #14: one finding per problem).
      [f.ruleId, ...(f.foldedRuleIds ?? [])].some((id) => mapping.rules.includes(id)) &&
      (mapping.keep?.(f) ?? true) &&
      (resource === undefined || f.resource === resource || f.securityGroup === resource),
  );
}

/** The verdicts of one corpus entry, linted with every sg-lint rule on. */
async function verdictsOf(entry: Entry): Promise<Verdict[]> {
  const checks = (entry.expect?.checks ?? []).filter((c) => mappingOf(c.rule) !== undefined);
  if (checks.length === 0 || entry.expect?.comparable_to_sg_lint === false) return [];
  // Each corpus entry is one peer tool's test case, not a module: the files beside it are other test cases.
  const result = await lint([entry.file], { cwd: CORPUS, preset: 'all', terraform: { fileOnly: true } });
  // The HCL grammar needs dynamic import (run jest with NODE_OPTIONS=--experimental-vm-modules); without it, skip.
  if (result.errors.some((e) => e.message.startsWith('cannot load the HCL parser'))) {
    skipped.push(entry.file);
    return [];
  }
  const out: Verdict[] = [];
  for (const check of checks) {
    const mapping = mappingOf(check.rule) as Mapping;
    const fails = check.fail ?? check.fail_resources_derived_from_lines ?? [];
    for (const resource of new Set(fails)) out.push({ file: entry.file, peerRule: check.rule, resource, peerFails: true, sgLintFails: matches(result.findings, mapping, resource) });
    for (const resource of new Set(check.pass ?? [])) out.push({ file: entry.file, peerRule: check.rule, resource, peerFails: false, sgLintFails: matches(result.findings, mapping, resource) });
    if (check.expected_finding_count === 0 && fails.length === 0 && (check.pass ?? []).length === 0) {
      out.push({ file: entry.file, peerRule: check.rule, resource: '(whole file)', peerFails: false, sgLintFails: matches(result.findings, mapping, undefined) });
    }
  }
  return out;
}

function isKnown(v: Verdict): Known | undefined {
  return KNOWN.find((k) => k.file === v.file && k.resource === v.resource && (v.peerRule === k.peerRule || v.peerRule.startsWith(`${k.peerRule}-`)));
}

const describeCorpus = existsSync(path.join(CORPUS, 'MANIFEST.json')) ? describe : describe.skip;
if (!existsSync(path.join(CORPUS, 'MANIFEST.json'))) console.log(`peers.test.ts: ${CORPUS} not found; peer comparison skipped`);

describeCorpus('agreement with the peers on ../shared/corpus', () => {
  let verdicts: Verdict[] = [];

  beforeAll(async () => {
    const manifest = JSON.parse(readFileSync(path.join(CORPUS, 'MANIFEST.json'), 'utf8')) as Entry[];
    for (const entry of manifest.filter((e) => e.role === 'input')) verdicts.push(...(await verdictsOf(entry)));
    verdicts = verdicts.sort((a, b) => (a.file + a.resource + a.peerRule < b.file + b.resource + b.peerRule ? -1 : 1));
    if (process.env['SG_LINT_PEERS_REPORT']) report(verdicts);
    if (skipped.length > 0) console.log(`peers.test.ts: ${skipped.length} Terraform files not compared (the HCL parser needs NODE_OPTIONS=--experimental-vm-modules)`);
  }, 600000);

  it('compares a meaningful number of verdicts', () => {
    expect(verdicts.length).toBeGreaterThan(100);
  });

  it('has no unexplained disagreement', () => {
    const unexplained = verdicts.filter((v) => v.peerFails !== v.sgLintFails && !isKnown(v));
    expect(unexplained.map((v) => `${v.file} ${v.resource} ${v.peerRule}: peer ${v.peerFails ? 'fails' : 'passes'}, sg-lint ${v.sgLintFails ? 'fails' : 'passes'}`)).toEqual([]);
  });

  it('lists no known disagreement that has become an agreement', () => {
    const compared = KNOWN.filter((k) => !skipped.includes(k.file));
    const stale = compared.filter((k) => !verdicts.some((v) => isKnown(v) === k && v.peerFails !== v.sgLintFails));
    expect(stale.map((k) => `${k.file} ${k.resource} ${k.peerRule}`)).toEqual([]);
  });
});

function report(verdicts: readonly Verdict[]): void {
  const byPeer = new Map<string, { agree: number; known: number; total: number }>();
  for (const v of verdicts) {
    const peer = mappingOf(v.peerRule)?.peer ?? '?';
    const row = byPeer.get(peer) ?? { agree: 0, known: 0, total: 0 };
    row.total++;
    if (v.peerFails === v.sgLintFails) row.agree++;
    else if (isKnown(v)) row.known++;
    byPeer.set(peer, row);
  }
  const lines = ['| peer | verdicts | agreements | known disagreements |', '|---|---|---|---|'];
  for (const [peer, r] of [...byPeer].sort()) lines.push(`| ${peer} | ${r.total} | ${r.agree} | ${r.known} |`);
  console.log(lines.join('\n'));
}
