import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isCloudAssembly, parseCloudAssembly } from '../../src/parsers/cdk';
import type { ParsedInput } from '../../src/model/types';

const FIXTURES = join(__dirname, '../../fixtures/parsers/cdk');
const ASSEMBLY = join(FIXTURES, 'cdk.out');

function byFile(inputs: ParsedInput[], suffix: string): ParsedInput {
  const found = inputs.find((i) => i.file.endsWith(suffix));
  if (!found) throw new Error(`no input ${suffix}; have ${inputs.map((i) => i.file).join(', ')}`);
  return found;
}

describe('isCloudAssembly', () => {
  it('accepts a folder whose manifest.json has artifacts', () => {
    expect(isCloudAssembly(ASSEMBLY)).toBe(true);
    expect(isCloudAssembly(join(ASSEMBLY, 'assembly-Prod'))).toBe(true);
  });

  it('rejects folders without a manifest or with another manifest.json', () => {
    expect(isCloudAssembly(FIXTURES)).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'sg-lint-cdk-'));
    try {
      writeFileSync(join(dir, 'manifest.json'), '{"name": "not an assembly"}');
      expect(isCloudAssembly(dir)).toBe(false);
      writeFileSync(join(dir, 'manifest.json'), '{ broken');
      expect(isCloudAssembly(dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseCloudAssembly', () => {
  const cwd = join(__dirname, '../..');
  const dir = relative(cwd, ASSEMBLY);
  const inputs = parseCloudAssembly(dir, { cwd });

  it('reads every stack, the nested stack and the stage, keeping the relative path form', () => {
    const templates = inputs.filter((i) => i.file.endsWith('.json') && i.file !== join(dir, 'manifest.json'));
    expect(templates.map((i) => i.file)).toEqual([
      join(dir, 'TopStack.template.json'),
      join(dir, 'TopStackInner.nested.template.json'),
      join(dir, 'assembly-Prod', 'ProdStack.template.json'),
    ]);
    expect(templates.every((i) => i.format === 'cdk' && i.errors.length === 0)).toBe(true);
  });

  it('does not follow a template path outside the assembly folder', () => {
    expect(inputs.flatMap((i) => i.groups).map((g) => g.address)).not.toContain('Evil');
    expect(inputs.flatMap((i) => i.notices).map((n) => n.message)).toContain('not following ../outside.template.json: it is outside the cloud assembly');
  });

  it('maps logical IDs to construct paths from the additional metadata file', () => {
    const top = byFile(inputs, 'TopStack.template.json');
    expect(top.groups.map((g) => [g.address, g.constructPath])).toEqual([
      ['WebSg75AA54D5', 'TopStack/WebSg'],
      ['DbSgB5F0F1C0', 'TopStack/DbSg'],
    ]);
  });

  it('applies CDK egress idioms: explicit allow-all kept, placeholder means no egress', () => {
    const top = byFile(inputs, 'TopStack.template.json');
    const [web, db] = top.groups;
    expect(web?.implicitEgress).toBe(false);
    expect(web?.egress.map((r) => [r.declaredAs, r.peer.known && r.peer.value.kind === 'cidr' ? r.peer.value.cidr : '?'])).toEqual([['inline', '0.0.0.0/0']]);
    expect(db?.implicitEgress).toBe(false);
    expect(db?.egress).toEqual([]);
    expect(db?.ingress.map((r) => [r.resource, r.declaredAs, r.peer.known && r.peer.value.kind === 'security-group' ? r.peer.value.ref : '?'])).toEqual([
      ['DbSgfromTopStackWebSg5432', 'standalone', 'WebSg75AA54D5'],
    ]);
  });

  it('scopes construct paths of a nested stack to its own metadata entries', () => {
    const inner = byFile(inputs, 'TopStackInner.nested.template.json');
    expect(inner.groups.map((g) => [g.address, g.constructPath, g.implicitEgress])).toEqual([['InnerSgA1B2C3D4', 'TopStack/Inner/InnerSg', true]]);
  });

  it('reads stages with inline metadata and prefers aws:cdk:path', () => {
    const prod = byFile(inputs, 'ProdStack.template.json');
    expect(prod.groups.map((g) => [g.address, g.constructPath])).toEqual([['AppSg1234ABCD', 'Prod/ProdStack/AppSg']]);
  });

  it('reports an unreadable template as an error of that file without throwing', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sg-lint-cdk-'));
    try {
      mkdirSync(join(tmp, 'out'));
      writeFileSync(
        join(tmp, 'out', 'manifest.json'),
        JSON.stringify({ version: '1.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Missing.template.json' } } } }),
      );
      const result = parseCloudAssembly(join(tmp, 'out'));
      expect(result).toHaveLength(1);
      expect(result[0]?.file).toBe(join(tmp, 'out', 'Missing.template.json'));
      expect(result[0]?.errors[0]?.message).toMatch(/^cannot read .*Missing\.template\.json: ENOENT/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
