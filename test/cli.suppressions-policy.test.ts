// Governance of inline suppressions (`suppressions:` in the configuration) and the markers of other tools, through
// the CLI as users run it: what is reported, what still applies, and the exit code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli';

/** A bastion group with SSH from the world; `metadata` is inserted as the resource's Metadata block. */
function bastion(metadata: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  BastionSg:
    Type: AWS::EC2::SecurityGroup
${metadata}    Properties:
      GroupDescription: Bastion
      VpcId: vpc-0123456789abcdef0
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: SSH }
      SecurityGroupEgress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8, Description: HTTPS inside }
`;
}

function sgLintMarker(fields: string): string {
  return `    Metadata:\n      sg-lint:\n        suppress:\n          - rule: open-admin-port\n${fields}`;
}

/** Today plus `days`, as YYYY-MM-DD (UTC), the clock the CLI judges expiry by. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

interface JsonFinding {
  ruleId: string;
  line: number;
  message: string;
  suppressed?: unknown;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-lint-policy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function lint(policy: string | undefined, template: string, extra: string[] = []): Promise<{ code: number; findings: JsonFinding[]; stderr: string }> {
  if (policy !== undefined) writeFileSync(join(dir, '.sg-lint.yaml'), policy);
  writeFileSync(join(dir, 'bastion.yaml'), template);
  const r = await runCli(['bastion.yaml', '--format', 'json', ...extra], dir);
  const findings = r.stdout ? ((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings ?? []) : [];
  return { code: r.code, findings, stderr: r.stderr };
}

const summary = (findings: JsonFinding[]): string[] => findings.map((f) => `${f.ruleId}${f.suppressed ? ' (suppressed)' : ''}`);

describe('suppressions policy in the configuration', () => {
  it('without a policy, an inline suppression with a reason applies', async () => {
    const r = await lint(undefined, bastion(sgLintMarker('            reason: VPN only\n')));
    expect(summary(r.findings)).toEqual(['open-admin-port (suppressed)']);
    expect(r.code).toBe(0);
  });

  it('inline: deny reports the marker, does not apply it, and fails on the finding', async () => {
    const r = await lint('suppressions:\n  inline: deny\n', bastion(sgLintMarker('            reason: VPN only\n')));
    expect(summary(r.findings)).toEqual(['denied-suppression', 'open-admin-port']);
    expect(r.findings[0]?.message).toBe(
      'Suppression of open-admin-port on BastionSg is an inline suppression, which the configuration forbids (suppressions.inline: deny); it does not apply',
    );
    expect(r.code).toBe(1);
  });

  it('inline: require-reason denies a marker without a reason and lets one with a reason apply', async () => {
    const policy = 'suppressions:\n  inline: require-reason\n';
    const without = await lint(policy, bastion(sgLintMarker('')));
    expect(summary(without.findings)).toEqual(['denied-suppression', 'open-admin-port']);
    expect(without.findings[0]?.message).toContain('has no reason, which the configuration requires (suppressions.inline: require-reason)');
    expect(without.code).toBe(1);
    const withReason = await lint(policy, bastion(sgLintMarker('            reason: VPN only\n')));
    expect(summary(withReason.findings)).toEqual(['open-admin-port (suppressed)']);
    expect(withReason.code).toBe(0);
  });

  it('require-reason also denies peer markers whose syntax has no place for a reason', async () => {
    const template = bastion('').replace('  BastionSg:\n', '  #trivy:ignore:AVD-AWS-0107\n  BastionSg:\n');
    const r = await lint('suppressions:\n  inline: require-reason\n', template);
    expect(summary(r.findings)).toEqual(['denied-suppression', 'open-admin-port']);
    expect(r.findings[0]?.message).toMatch(/^trivy suppression AVD-AWS-0107 on BastionSg has no reason/);
    expect(r.code).toBe(1);
  });

  it('maxExpiryDays requires an expiry date within the limit', async () => {
    const policy = 'suppressions:\n  maxExpiryDays: 30\n';
    const soon = await lint(policy, bastion(sgLintMarker(`            reason: VPN only\n            expires: ${inDays(10)}\n`)));
    expect(summary(soon.findings)).toEqual(['open-admin-port (suppressed)']);
    expect(soon.code).toBe(0);
    const late = await lint(policy, bastion(sgLintMarker(`            reason: VPN only\n            expires: ${inDays(400)}\n`)));
    expect(summary(late.findings)).toEqual(['denied-suppression', 'open-admin-port']);
    expect(late.findings[0]?.message).toContain(`expires on ${inDays(400)}, more than 30 days after today (suppressions.maxExpiryDays: 30, so ${inDays(30)} at the latest)`);
    const never = await lint(policy, bastion(sgLintMarker('            reason: VPN only\n')));
    expect(never.findings[0]?.message).toContain('has no expiry date, which the configuration requires within 30 days (suppressions.maxExpiryDays)');
    expect(never.code).toBe(1);
  });

  it('allowedRules limits the rules that may be suppressed, for sg-lint markers and mapped peer markers alike', async () => {
    const policy = 'suppressions:\n  allowedRules: [missing-description]\n';
    const own = await lint(policy, bastion(sgLintMarker('            reason: VPN only\n')));
    expect(summary(own.findings)).toEqual(['denied-suppression', 'open-admin-port']);
    expect(own.findings[0]?.message).toContain('suppresses open-admin-port, which the configuration does not allow to be suppressed inline (suppressions.allowedRules)');
    const checkov = await lint(policy, bastion('    # checkov:skip=CKV_AWS_24:VPN only\n'));
    expect(summary(checkov.findings)).toEqual(['denied-suppression', 'open-admin-port']);
    expect(checkov.code).toBe(1);
    const allowed = await lint('suppressions:\n  allowedRules: [open-admin-port]\n', bastion(sgLintMarker('            reason: VPN only\n')));
    expect(summary(allowed.findings)).toEqual(['open-admin-port (suppressed)']);
  });

  it('applies the policy of --config too, and rejects an invalid policy with exit 2', async () => {
    writeFileSync(join(dir, 'strict.yaml'), 'suppressions:\n  inline: deny\n');
    const r = await lint(undefined, bastion(sgLintMarker('            reason: VPN only\n')), ['--config', 'strict.yaml']);
    expect(summary(r.findings)).toEqual(['denied-suppression', 'open-admin-port']);
    const bad = await lint('suppressions:\n  inline: maybe\n  maxExpiryDays: -1\n', bastion(''));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('sg-lint: .sg-lint.yaml:2:11: suppressions.inline: must be one of allow, require-reason, deny (got "maybe")');
  });
});

describe('markers of other tools', () => {
  it('reads checkov markers anywhere in a Terraform resource, for the whole resource', async () => {
    writeFileSync(
      join(dir, 'main.tf'),
      `resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "SSH bastion"
  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    #checkov:skip=CKV_AWS_24:VPN terminates here
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
    );
    const r = await runCli(['main.tf', '--format', 'json'], dir);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => Boolean(f.suppressed))).toEqual([true]);
    expect(r.code).toBe(0);
  });

  it('applies trivy markers without failing on their missing reason, and honours their expiry', async () => {
    const template = (marker: string): string => bastion('').replace('  BastionSg:\n', `  ${marker}\n  BastionSg:\n`);
    const current = await lint(undefined, template('#trivy:ignore:AVD-AWS-0107:exp:2999-01-01'));
    expect(summary(current.findings)).toEqual(['peer-suppression-without-reason', 'open-admin-port (suppressed)']);
    expect(current.code).toBe(0);
    const past = await lint(undefined, template('#tfsec:ignore:aws-ec2-no-public-ingress-sgr:exp:2020-01-01'));
    expect(summary(past.findings)).toEqual(['expired-suppression', 'peer-suppression-without-reason', 'open-admin-port']);
    expect(past.code).toBe(1);
  });

  it('reports a marker that maps to no sg-lint rule once per id, however often it is written', async () => {
    const twice = `${bastion('    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - { id: W9, reason: partner range }\n')}  OtherSg:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      cfn_nag:
        rules_to_suppress:
          - { id: W9, reason: partner range }
    Properties:
      GroupDescription: Other
      VpcId: vpc-0123456789abcdef0
`;
    const r = await lint(undefined, twice);
    const notes = r.findings.filter((f) => f.ruleId === 'unmapped-peer-suppression');
    expect(notes.map((f) => [f.line, f.message])).toEqual([
      [8, 'cfn_nag suppression W9 on BastionSg maps to no sg-lint rule, so sg-lint ignores it (reported once for this marker)'],
    ]);
    expect(r.code).toBe(1);
  });
});
