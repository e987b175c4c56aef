import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../../src/parsers/discover';
import { mergeParsed, partitionTargets, PARALLEL_MIN_FILES, parseTargetsParallel, shouldParallelize } from '../../src/engine/parallel';
import type { ParsedInput } from '../../src/model/types';
import type { ParsedTargets } from '../../src/parsers';
import { parseTargets, READ_AHEAD } from '../../src/parsers';
import * as read from '../../src/parsers/read';

const file = (path: string): Target => ({ kind: 'file', path, explicit: false });

function input(path: string, format: ParsedInput['format']): ParsedInput {
  return { file: path, format, groups: [], users: [], errors: [], notices: [] };
}

function parsed(inputs: ParsedInput[]): ParsedTargets {
  return { inputs, errors: inputs.map((i) => ({ file: i.file, message: 'e' })), notices: [], sources: new Map(inputs.map((i) => [i.file, i.file])) };
}

describe('partitionTargets', () => {
  it('keeps the files of one folder in one batch and stdin/cdk.out on the main thread', () => {
    const targets: Target[] = [file('a/1.yaml'), file('b/1.tf'), file('a/2.yaml'), { kind: 'stdin' }, file('b/2.tf'), { kind: 'cdk', dir: 'cdk.out' }, file('c/1.json')];
    const { batches, local } = partitionTargets(targets, 3);
    expect(batches.map((b) => b.map((t) => (t.kind === 'file' ? t.path : t.kind)))).toEqual([
      ['a/1.yaml', 'a/2.yaml', 'c/1.json'],
    ]);
    // Terraform configurations are read together (a called module is linted through its callers): one local batch.
    expect(local).toEqual([[{ kind: 'stdin' }], [{ kind: 'cdk', dir: 'cdk.out' }], [file('b/1.tf'), file('b/2.tf')]]);
  });
});

describe('mergeParsed', () => {
  it('restores the sequential order: plain inputs by target, then Terraform JSON and HCL modules by folder', () => {
    const targets = ['z/t.yaml', 'y/plan.json', 'b/main.tf', 'a/x.tf.json', 'a/main.tf'].map(file);
    const merged = mergeParsed(targets, [
      parsed([input('b/main.tf', 'terraform-hcl'), input('y/plan.json', 'terraform-plan')]),
      parsed([input('a/x.tf.json', 'terraform-json'), input('a/main.tf', 'terraform-hcl'), input('z/t.yaml', 'cloudformation-yaml')]),
    ]);
    expect(merged.inputs.map((i) => i.file)).toEqual(['z/t.yaml', 'y/plan.json', 'a/x.tf.json', 'a/main.tf', 'b/main.tf']);
    expect(merged.errors).toHaveLength(5);
    expect([...merged.sources.keys()].sort()).toEqual(['a/main.tf', 'a/x.tf.json', 'b/main.tf', 'y/plan.json', 'z/t.yaml']);
  });
});

describe('shouldParallelize', () => {
  it('needs enough files and more than one core', () => {
    const many = Array.from({ length: PARALLEL_MIN_FILES }, (_, i) => file(`f${i}.yaml`));
    expect(shouldParallelize(many, 2)).toBe(true);
    expect(shouldParallelize(many, 1)).toBe(false);
    expect(shouldParallelize(many.slice(1), 2)).toBe(false);
  });
});

const TEMPLATE = (i: number): string =>
  [
    'Resources:',
    `  Sg${i}:`,
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    `      GroupDescription: group ${i}`,
    '      SecurityGroupIngress:',
    `        - { IpProtocol: tcp, FromPort: ${20 + (i % 5)}, ToPort: ${20 + (i % 5)}, CidrIp: 0.0.0.0/0 }`,
    '',
  ].join('\n');

describe('parseTargetsParallel', () => {
  let dir: string;
  let targets: Target[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-lint-parallel-'));
    targets = [];
    for (let i = 0; i < 30; i++) {
      const sub = join(dir, `svc${i % 4}`);
      mkdirSync(sub, { recursive: true });
      const name = i % 3 === 0 ? `t${i}.json` : `t${i}.yaml`;
      writeFileSync(join(sub, name), i % 3 === 0 ? JSON.stringify({ Resources: { [`Sg${i}`]: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x' } } } }) : TEMPLATE(i));
      targets.push(file(`svc${i % 4}/${name}`));
    }
    targets.push(file('svc0/missing.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns what parseTargets returns (single-thread fallback when running from sources)', async () => {
    const one = await parseTargets(targets, { cwd: dir });
    const many = await parseTargetsParallel(targets, { cwd: dir, threads: 2 });
    expect(many.inputs.map((i) => i.file)).toEqual(one.inputs.map((i) => i.file));
    expect(many.inputs).toEqual(one.inputs);
    expect(many.errors).toEqual(one.errors);
  });

  const distParallel = join(__dirname, '../../dist/engine/parallel.js');
  const distParsers = join(__dirname, '../../dist/parsers/index.js');
  (existsSync(distParallel) && existsSync(distParsers) ? it : it.skip)('gives identical results with real worker threads (compiled dist/)', async () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const compiled = require(distParallel) as { parseTargetsParallel: typeof parseTargetsParallel };
    const parsers = require(distParsers) as { parseTargets: typeof parseTargets };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const one = await parsers.parseTargets(targets, { cwd: dir });
    let progress = 0;
    const many = await compiled.parseTargetsParallel(targets, { cwd: dir, threads: 3, batchFiles: 5, onProgress: () => progress++ });
    expect(many.inputs).toEqual(one.inputs);
    expect([...many.errors].sort((a, b) => a.file.localeCompare(b.file))).toEqual([...one.errors].sort((a, b) => a.file.localeCompare(b.file)));
    expect(new Map([...many.sources].sort())).toEqual(new Map([...one.sources].sort()));
    expect(progress).toBe(targets.length);
  });
});

describe('parseTargets reads ahead', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-lint-read-ahead-'));
    for (let i = 0; i < 24; i++) writeFileSync(join(dir, `t${i}.yaml`), TEMPLATE(i));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  it('overlaps a bounded number of reads and keeps target order when later reads finish first', async () => {
    const targets = Array.from({ length: 24 }, (_, i) => file(i % 7 === 3 ? `missing${i}.yaml` : `t${i}.yaml`));
    const expected = await parseTargets(targets, { cwd: dir });
    const realRead = read.readText;
    let inFlight = 0;
    let most = 0;
    const started: string[] = [];
    jest.spyOn(read, 'readText').mockImplementation(async (path, maxSize) => {
      started.push(path);
      inFlight++;
      most = Math.max(most, inFlight);
      // Earlier files take longer, so reads complete out of order.
      await new Promise((resolve) => setTimeout(resolve, 2 + ((24 - started.length) % 5) * 3));
      inFlight--;
      return realRead(path, maxSize);
    });
    const progress: number[] = [];
    const got = await parseTargets(targets, { cwd: dir, onProgress: (done) => progress.push(done) });
    expect(got.inputs).toEqual(expected.inputs);
    expect(got.errors).toEqual(expected.errors);
    expect(got.errors.map((e) => e.file)).toEqual(['missing3.yaml', 'missing10.yaml', 'missing17.yaml']);
    expect([...got.sources.keys()]).toEqual([...expected.sources.keys()]);
    expect(progress).toEqual(targets.map((_, i) => i + 1));
    expect(started).toHaveLength(targets.length);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(READ_AHEAD + 1);
  });
});
