// The golden fingerprints of every rule fixture. Fingerprints identify findings in baselines and in GitHub code
// scanning, so they change only on purpose: rewording a message, a reason or a peer as written must keep them.
// After a deliberate change of identity (which also bumps BASELINE_VERSION, see docs/suppressions.md), refresh with:
//   SG_LINT_UPDATE_GOLDEN=1 npx jest test/fingerprints.golden.test.ts
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureFolders, listFixtures } from '../src/docs/fixtures';
import { lintFixture } from '../src/docs/lint-fixture';
import { lintRun } from '../src/engine/lint';

const ROOT = path.resolve(__dirname, '..');
const GOLDEN = path.join(__dirname, 'golden', 'fingerprints.json');

/** "file:line ruleId fingerprint" for every finding of every fixture, by fixture path. */
async function current(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const ruleId of fixtureFolders(ROOT)) {
    for (const fixture of listFixtures(ROOT, ruleId)) {
      const { result } = await lintFixture(ROOT, ruleId, fixture);
      out[fixture.path] = result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.fingerprint}`);
    }
  }
  return out;
}

describe('golden fingerprints of the rule fixtures', () => {
  it('are unchanged', async () => {
    const now = await current();
    if (process.env.SG_LINT_UPDATE_GOLDEN === '1') {
      writeFileSync(GOLDEN, `${JSON.stringify(now, null, 2)}\n`);
    }
    expect(existsSync(GOLDEN)).toBe(true);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string[]>;
    expect(now).toEqual(golden);
  }, 180_000);
});

describe('fingerprints come from typed fields only', () => {
  const text = (cidr: string, description: string): string =>
    [
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: web',
      '      SecurityGroupIngress:',
      `        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: ${cidr}, Description: ${description} }`,
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !ImportValue Shared }',
      '',
    ].join('\n');

  async function prints(cidr: string, description: string): Promise<string[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'sg-lint-fp-'));
    writeFileSync(path.join(dir, 'sg.yaml'), text(cidr, description));
    const { result } = await lintRun(['sg.yaml'], { cwd: dir, preset: 'all', config: false });
    rmSync(dir, { recursive: true, force: true });
    return result.findings.map((f) => `${f.ruleId} ${f.fingerprint}`).sort();
  }

  it('keeps a finding\'s fingerprint when the CIDR as written or a description changes', async () => {
    const before = await prints('0.0.0.0/0', 'ssh');
    expect(await prints('0.0.0.0/0', 'ssh from anywhere')).toEqual(before);
    // Host bits fixed: 10.20.0.1/16 -> 10.20.0.0/16 is the same block, and its findings keep their identity.
    const withHostBits = (await prints('10.20.0.1/16', 'x')).filter((f) => !f.startsWith('invalid-cidr'));
    expect(withHostBits).toEqual(await prints('10.20.0.0/16', 'x'));
  });
});
