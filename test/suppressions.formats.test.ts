// Every suppression form in every input format, end to end through lint() (fixtures/suppressions/).
import { join } from 'node:path';
import { lint } from '../src/engine/lint';
import type { Finding } from '../src/engine/types';

const ROOT = join(__dirname, '..');
const NOW = new Date('2025-06-15T00:00:00Z');

/** "line ruleId resource" plus "[origin: reason]" when suppressed. */
function rows(findings: Finding[]): string[] {
  return findings.map(
    (f) => `${f.line} ${f.ruleId} ${f.resource}${f.suppression ? ` [${f.suppression.origin}: ${f.suppression.justification}]` : ''}`,
  );
}

async function run(path: string, rules?: Record<string, 'off'>): Promise<string[]> {
  const result = await lint([path], { cwd: ROOT, config: false, now: NOW, ...(rules ? { rules } : {}) });
  expect(result.errors).toEqual([]);
  return rows(result.findings);
}

describe('CloudFormation Metadata', () => {
  it('reads sg-lint, checkov and cfn_nag markers on groups and standalone rules (YAML)', async () => {
    expect(await run('fixtures/suppressions/cloudformation.yaml', { 'no-dedicated-ssh-group': 'off' })).toEqual([
      '13 open-admin-port BastionSg [sg-lint: bastion host; access is IP-restricted upstream]',
      // checkov CKV_AWS_25 is RDP only: the SSH rule of the same group stays reported.
      '24 open-admin-port JumpSg [checkov: RDP jump host for the support team]',
      '25 open-admin-port JumpSg',
      // A marker without a reason still applies, and is itself an error.
      '35 suppression-missing-reason DbSg',
      '39 open-db-port DbSg [sg-lint: ]',
      '45 expired-suppression OldSg',
      '51 open-admin-port OldSg',
      '57 unused-suppression CleanSg',
      // A marker on a standalone ingress resource covers that resource only, not its sibling.
      '79 open-admin-port AppSsh [sg-lint: break-glass access, see runbook 12]',
      '88 open-admin-port AppRdp',
    ]);
  });

  it('reads the same markers in JSON templates, including expiry', async () => {
    expect(await run('fixtures/suppressions/cloudformation.json')).toEqual([
      '3 no-dedicated-ssh-group BastionSg',
      '12 open-admin-port BastionSg [sg-lint: bastion host; access is IP-restricted upstream]',
      '13 open-admin-port BastionSg [sg-lint: bastion host; access is IP-restricted upstream]',
      '19 expired-suppression DbSg',
      '23 open-db-port DbSg',
    ]);
  });

  it('says why a suppression does not apply', async () => {
    const result = await lint(['fixtures/suppressions/cloudformation.yaml'], { cwd: ROOT, config: false, now: NOW });
    const messages = result.findings.filter((f) => f.ruleId.includes('suppression')).map((f) => `${f.ruleId}: ${f.message}`);
    expect(messages).toEqual([
      'suppression-missing-reason: Suppression of open-db-port on DbSg has no reason',
      'expired-suppression: Suppression of open-admin-port on OldSg expired on 2020-01-31 and no longer applies',
      'unused-suppression: Suppression of open-admin-port on CleanSg matches no finding',
    ]);
  });

  it('keeps suppressing until the expiry day passes', async () => {
    const result = await lint(['fixtures/suppressions/cloudformation.yaml'], { cwd: ROOT, config: false, now: new Date('2020-01-31T20:00:00Z') });
    expect(result.findings.filter((f) => f.resource === 'OldSg').map((f) => [f.ruleId, f.suppression?.justification])).toEqual([
      ['open-admin-port', 'temporary vendor access'],
    ]);
  });
});

describe('CDK', () => {
  it('reads resource metadata added with addMetadata in cdk.out templates; cdk_nag markers are not ours', async () => {
    expect(await run('fixtures/suppressions/cdk.out')).toEqual([
      '9 open-admin-port BastionSgC0FFEE01 [sg-lint: bastion; added with cfnResource.addMetadata]',
      '24 open-admin-port WebSgD00D0001',
    ]);
  });
});

describe('Terraform', () => {
  it('reads HCL comments above a resource, above a nested block and on a block\'s first line', async () => {
    expect(await run('fixtures/suppressions/terraform', { 'no-dedicated-ssh-group': 'off' })).toEqual([
      '11 open-admin-port aws_security_group.bastion [sg-lint: bastion host; access is IP-restricted upstream]',
      // The comment above the first ingress block covers that block only.
      '25 open-db-port aws_security_group.db [sg-lint: read replica for the analytics vendor]',
      '33 open-db-port aws_security_group.db',
      '46 open-admin-port aws_security_group.rdp [checkov: support jump host]',
      '49 suppression-missing-reason aws_security_group.rdp',
      '54 open-admin-port aws_security_group.rdp [sg-lint: ]',
    ]);
  });

  it('reads "//" comments of .tf.json resource blocks', async () => {
    expect(await run('fixtures/suppressions/tfjson')).toEqual([
      '14 open-admin-port aws_security_group.bastion [sg-lint: bastion host; access is IP-restricted upstream]',
      '23 unused-suppression aws_security_group.db',
      '32 open-db-port aws_security_group.db',
    ]);
  });
});

describe('CloudFormation scoped suppressions', () => {
  it('covers only the entry index or the CIDR it names', async () => {
    expect(
      await run('fixtures/suppressions/scoped.cfn.yaml', { 'no-dedicated-ssh-group': 'off', 'unrestricted-egress': 'off' }),
    ).toEqual([
      '19 open-admin-port BastionSg [sg-lint: SSH bastion reached through the office VPN only]',
      '20 open-admin-port BastionSg',
      '21 open-admin-port BastionSg [sg-lint: RDP for the support jump box, IPv6 only]',
    ]);
  });
});
