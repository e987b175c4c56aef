// Issue #14: --only, --disable and --rule id:off act on every rule of the run, built-in, plugin (examples/plugin)
// and configuration policies alike; an --only id no rule set knows is exit 2 with "did you mean".
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli';
import { EXAMPLE_PLUGIN, examplePluginConfig, project } from './helpers/project';

// A web group with SSH (open-admin-port) and 8080 (the policy) open to the internet, and a group guarding a database
// that admits PostgreSQL from a CIDR block (acme/database-from-groups-only: only other groups may reach a database).
const TEMPLATE = `Resources:
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Web
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh }
        - { IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 0.0.0.0/0, Description: admin ui }
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Database
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/8, Description: app }
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      VPCSecurityGroups: [!GetAtt DbSg.GroupId]
`;

const POLICY = [
  'policies:',
  '  - id: team/no-public-8080',
  '    message: Port 8080 is never public',
  '    severity: warning',
  '    forbid: { ports: [8080], peers: public }',
  '',
].join('\n');

let dir: string;

beforeAll(() => {
  dir = project({ 'db.yaml': TEMPLATE }, 'sg-lint-only-');
  writeFileSync(path.join(dir, '.sg-lint.yaml'), examplePluginConfig(dir, POLICY));
});

/** The findings of a JSON run as `ruleId line`, in report order. */
async function findings(...args: string[]): Promise<string[]> {
  const r = await runCli(['db.yaml', '-f', 'json', ...args], dir);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { findings: { ruleId: string; line: number }[] }).findings.map((f) => `${f.ruleId} ${f.line}`);
}

describe('--only, --disable and --rule off over plugin and policy rules', () => {
  it('without them the built-in, plugin and policy rules all report', async () => {
    expect(await findings()).toEqual(
      expect.arrayContaining(['open-admin-port 7', 'acme/database-from-groups-only 14', 'team/no-public-8080 8']),
    );
  });

  it('--only a built-in rule turns the plugin rule and the policy off', async () => {
    expect(await findings('--only', 'open-admin-port')).toEqual(['open-admin-port 7']);
  });

  it('--only a plugin rule runs it alone', async () => {
    expect(await findings('--only', 'acme/database-from-groups-only')).toEqual(['acme/database-from-groups-only 14']);
  });

  it('--only a policy runs it alone; --only twice runs both', async () => {
    expect(await findings('--only', 'team/no-public-8080')).toEqual(['team/no-public-8080 8']);
    expect(await findings('--only', 'team/no-public-8080', '--only', 'open-admin-port')).toEqual(['open-admin-port 7', 'team/no-public-8080 8']);
  });

  it('--disable a plugin rule and --rule a policy:off silence exactly those', async () => {
    const all = await findings();
    const rest = await findings('--disable', 'acme/database-from-groups-only', '--rule', 'team/no-public-8080:off');
    expect(rest).toEqual(all.filter((f) => !f.startsWith('acme/database-from-groups-only ') && !f.startsWith('team/no-public-8080 ')));
    expect(rest).toContain('open-admin-port 7');
  });

  it('an --only id no rule set knows is exit 2 with a suggestion', async () => {
    const r = await runCli(['db.yaml', '--only', 'acme/database-from-group-only'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sg-lint: --only: unknown rule "acme/database-from-group-only"; did you mean "acme/database-from-groups-only"?\n');
  });

  it('--plugin on the command line: --only acts on its rules too', async () => {
    const bare = project({ 'db.yaml': TEMPLATE }, 'sg-lint-only-');
    const r = await runCli(['db.yaml', '-f', 'json', '--plugin', EXAMPLE_PLUGIN, '--only', 'acme/database-from-groups-only'], bare);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)).toEqual(['acme/database-from-groups-only']);
  });
});
