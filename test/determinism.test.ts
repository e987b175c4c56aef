// The same inputs give byte-identical output in every format, whatever the order of the files on the command line.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCli } from './helpers/cli';
import { validateSarif } from './helpers/sarif';

const FORMATS = ['text', 'json', 'sarif', 'github', 'junit', 'gitlab', 'markdown'] as const;
const ROOT = join(__dirname, '..');

/** Every file under `dir`, relative to `base`. */
function filesUnder(dir: string, base: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path)];
  });
}

describe('output is deterministic', () => {
  let dir: string;
  let files: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-lint-determinism-'));
    // The example stacks; examples/plugin holds a plugin's code, not inputs.
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true, filter: (src) => !src.startsWith(join(ROOT, 'examples', 'plugin')) });
    cpSync(join(ROOT, 'fixtures', 'rules'), join(dir, 'rules'), { recursive: true });
    mkdirSync(join(dir, 'odd'));
    writeFileSync(join(dir, 'odd', 'broken.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  - a\n');
    writeFileSync(join(dir, 'odd', 'binary.yaml'), Buffer.from([0, 1, 2]));
    writeFileSync(join(dir, 'odd', 'crlf.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\r\nResources:\r\n  Sg:\r\n    Type: AWS::EC2::SecurityGroup\r\n    Properties:\r\n      GroupDescription: x\r\n      SecurityGroupIngress:\r\n        - {IpProtocol: -1, CidrIp: 0.0.0.0/0}\r\n');
    writeFileSync(join(dir, 'odd', 'notes.yaml'), 'just: yaml\n');
    files = filesUnder(dir, dir).sort();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lints a real set of inputs (findings, errors and notices all present)', async () => {
    const run = await runCli(['-f', 'json', ...files], dir);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as { findings: unknown[]; errors: { file: string }[] };
    expect(report.findings.length).toBeGreaterThan(20);
    expect(report.errors.map((e) => e.file)).toEqual(['odd/binary.yaml', 'odd/broken.yaml']);
  });

  it('writes SARIF that the OASIS schema and GitHub code scanning accept for the whole set', async () => {
    const run = await runCli(['-f', 'sarif', ...files], dir);
    expect(validateSarif(JSON.parse(run.stdout))).toEqual([]);
  });

  it.each(FORMATS)('%s: byte-identical in three orders of the files', async (format) => {
    const forward = await runCli(['-f', format, '--verbose', ...files], dir);
    const backward = await runCli(['-f', format, '--verbose', ...[...files].reverse()], dir);
    const shuffled = await runCli(['-f', format, '--verbose', ...files.filter((_, i) => i % 2 === 1), ...files.filter((_, i) => i % 2 === 0)], dir);
    expect(forward.stdout.length).toBeGreaterThan(100);
    expect(backward.stdout).toBe(forward.stdout);
    expect(shuffled.stdout).toBe(forward.stdout);
    expect(backward.stderr).toBe(forward.stderr);
    expect(backward.code).toBe(forward.code);
  });
});
