// Issue #13: CloudFormation read as CloudFormation reads it. Every template under fixtures/cloudformation/ is linted
// with the recommended rules; its findings must equal its inline expectations (`# expect:` comments in YAML,
// sg-lint:test Metadata in JSON). A first line `# sg-lint-input-error: L:C message-start` says the file must instead give
// exactly that one input error and no findings.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareFindings, READERS } from '../src/docs/fixtures';
import type { Fixture } from '../src/docs/fixtures';
import { lint } from '../src/engine/lint';
import { parseCloudFormation } from '../src/parsers/cloudformation';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'fixtures', 'cloudformation');

function templates(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) return templates(abs);
      return /\.cfn\.(ya?ml|json)$/.test(name) ? [abs] : [];
    })
    .sort();
}

const INPUT_ERROR = /^# sg-lint-input-error: (\d+):(\d+) (.*)$/;

describe.each(templates(DIR).map((abs) => [path.relative(ROOT, abs).split(path.sep).join('/'), abs] as const))('%s', (rel, abs) => {
  const text = readFileSync(abs, 'utf8');
  const name = path.basename(abs);
  const reader = READERS.find((r) => r.applies(name)) ?? READERS[READERS.length - 1];
  const annotations = reader?.read(text) ?? { config: {}, expectations: [] };
  const fixture: Fixture = { path: rel, kind: 'bad', ...annotations };
  const inputError = INPUT_ERROR.exec(text.split('\n')[0] ?? '');

  it(inputError ? 'gives one located input error and no findings' : 'gives the findings written in it', async () => {
    const result = await lint([rel], { cwd: ROOT, config: false });
    if (inputError) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ file: rel, line: Number(inputError[1]), column: Number(inputError[2]) });
      expect(result.errors[0]?.message.startsWith(inputError[3] ?? '')).toBe(true);
      expect(result.findings).toEqual([]);
      return;
    }
    expect(result.errors).toEqual([]);
    expect(compareFindings(fixture, result.findings)).toEqual({ missing: [], unexpected: [] });
  });
});

describe('discovery', () => {
  it('does not take a CodeDeploy appspec.yaml (a Resources list) for a template: a folder scan skips it', async () => {
    const result = await lint(['fixtures/cloudformation/discovery/appspec'], { cwd: ROOT, config: false });
    expect(result.errors).toEqual([]);
    expect(result.files).toEqual([]);
  });
});

describe('SAM Globals', () => {
  it('attaches the groups of Globals.Function.VpcConfig to functions without their own', () => {
    const file = 'fixtures/cloudformation/sam/globals.cfn.yaml';
    const input = parseCloudFormation(readFileSync(path.join(ROOT, file), 'utf8'), file);
    expect(input.groups.map((g) => [g.address, g.attachments.map((a) => [a.resource, a.category])])).toEqual([['FunctionSecurityGroup', [['Api', 'serverless']]]]);
  });
});
