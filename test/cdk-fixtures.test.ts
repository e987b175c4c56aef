// The cdk.out rule fixtures, linted without the fixture harness: every finding in a CDK assembly must name the
// construct that defines its group (the `aws:cdk:path` without "/Resource"), so a CDK user can find it in the app.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listFixtures } from '../src/docs/fixtures';
import { renderRulePage } from '../src/docs/generate';
import { lintRun } from '../src/engine/lint';
import { RULES } from '../src/rules';

const ROOT = path.resolve(__dirname, '..');

async function lintOnly(ruleId: string, dir: string, options: Record<string, unknown> = {}) {
  const rules: Record<string, 'off' | { options: Record<string, unknown> }> = {};
  for (const rule of RULES) rules[rule.meta.id] = 'off';
  rules[ruleId] = { options };
  const { result } = await lintRun([dir], { cwd: ROOT, rules, preset: 'all' });
  return result;
}

describe('bad.cdk.out rule fixtures', () => {
  it.each([
    [
      'open-admin-port',
      'AdminBadStack',
      {},
      [
        ['BastionSg98A886ED', 'AdminBadStack/BastionSg'],
        ['BastionSg98A886ED', 'AdminBadStack/BastionSg'],
        ['DebugSg1C41C1FC', 'AdminBadStack/DebugSg'],
        // A standalone ingress resource names the construct of the group it opens.
        ['WorldSshV6', 'AdminBadStack/WebSg'],
      ],
    ],
    [
      'open-db-port',
      'DbBadStack',
      {},
      [
        ['DbSg0BC00616', 'DbBadStack/DbSg'],
        ['CacheSgAD956FEE', 'DbBadStack/CacheSg'],
        ['DbFromWorldMysql', 'DbBadStack/DbSg'],
      ],
    ],
    [
      'no-dedicated-ssh-group',
      'SshBadStack',
      {},
      [
        ['AppSg3685C434', 'SshBadStack/AppSg'],
        ['WorkerSg83C483B4', 'SshBadStack/WorkerSg'],
      ],
    ],
    [
      'excessive-rules',
      'RulesBadStack',
      { threshold: 3, quota: 5 },
      [
        ['PartnersSg11E6F676', 'RulesBadStack/PartnersSg'],
        ['QuotaSg28E09335', 'RulesBadStack/QuotaSg'],
        ['PeersSgD31F1DC5', 'RulesBadStack/PeersSg'],
        ['EgressSg27BF7F80', 'RulesBadStack/EgressSg'],
      ],
    ],
  ] as const)('%s findings carry the construct path of their group', async (ruleId, stack, options, expected) => {
    const dir = `fixtures/rules/${ruleId}/bad.cdk.out`;
    const result = await lintOnly(ruleId, dir, options);
    expect(result.errors).toEqual([]);
    expect(result.files).toEqual([`${dir}/${stack}.template.json`]);
    expect(result.findings.map((f) => [f.resource, f.constructPath])).toEqual(expected);
    for (const f of result.findings) expect(f.file).toBe(`${dir}/${stack}.template.json`);
  });
});

describe('directory fixtures', () => {
  it('are read from the templates inside them, with their root config', () => {
    const bad = listFixtures(ROOT, 'excessive-rules').find((f) => f.path.endsWith('/bad.cdk.out'));
    expect(bad).toMatchObject({
      kind: 'bad',
      config: { threshold: 3, quota: 5 },
      templates: ['fixtures/rules/excessive-rules/bad.cdk.out/RulesBadStack.template.json'],
    });
    expect(bad?.expectations.map((e) => e.resource)).toEqual([
      'PartnersSg11E6F676',
      'QuotaSg28E09335',
      'PeersSgD31F1DC5',
      'EgressSg27BF7F80',
    ]);
  });

  it('are told apart from single-file fixtures', () => {
    const fixtures = listFixtures(ROOT, 'open-admin-port');
    expect(fixtures.filter((f) => f.templates !== undefined).map((f) => f.path)).toEqual([
      'fixtures/rules/open-admin-port/bad.cdk.out',
      'fixtures/rules/open-admin-port/good.cdk.out',
    ]);
  });
});

describe('rule docs of a rule whose only fixtures are cdk.out folders', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'sg-lint-cdk-docs-'));
    for (const kind of ['bad', 'good']) {
      const rel = `fixtures/rules/open-admin-port/${kind}.cdk.out`;
      cpSync(path.join(ROOT, rel), path.join(root, rel), { recursive: true });
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('show the template file and the findings in it', async () => {
    const rule = RULES.find((r) => r.meta.id === 'open-admin-port');
    if (!rule) throw new Error('open-admin-port is not registered');
    const page = await renderRulePage(root, rule);
    expect(page).toContain('`fixtures/rules/open-admin-port/bad.cdk.out/AdminBadStack.template.json`:\n\n```json\n{');
    expect(page).toContain('`fixtures/rules/open-admin-port/good.cdk.out/AdminGoodStack.template.json`:');
    expect(page).toContain('Security group WebSg2BDFF2C8 allows SSH (tcp/22) from the whole internet (::/0)');
    expect(page).toContain('construct: AdminBadStack/WebSg');
  });
});
