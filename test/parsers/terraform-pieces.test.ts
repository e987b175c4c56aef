/**
 * Strings built from values known only after apply (join() and templates of references) and taken apart again by
 * split() and compact(), as module libraries write `split(",", join(",", var.ids))`. sg-lint evaluates them when the
 * references' documented formats (AWS ids, CIDR blocks: src/parsers/terraform/provider-attributes.ts) cannot contain
 * the separator. The oracle: fixtures/terraform-pieces/expected.json records what `terraform console` 1.11 answers for
 * the same expressions with example values in place of the references (regenerate with
 * `node fixtures/terraform-pieces/record.mjs`); sg-lint's answer, with the same values put in, must be Terraform's.
 * Expressions whose answer depends on the values (a separator a CIDR block or id can contain, a parameter's free text)
 * stay unknown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateInModule } from '../../src/parsers/terraform/config';
import type { ModuleDecl } from '../../src/parsers/terraform/config';
import { makeExpr, textSource } from '../../src/parsers/terraform/exprs';
import { readHclModule } from '../../src/parsers/terraform/hcl';
import type { TfVal } from '../../src/parsers/terraform/values';

const DIR = join(__dirname, '..', '..', 'fixtures', 'terraform-pieces');
interface Cases {
  references: Record<string, { ref: string; example: string }>;
  evaluated: string[];
  unknown: string[];
}
const cases = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as Cases;
const recorded = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { terraform: string; results: { expr: string; json: unknown }[] };
const byRef = new Map(Object.values(cases.references).map((r) => [r.ref, r.example]));

let decl: ModuleDecl;
beforeAll(async () => {
  const files = readdirSync(join(DIR, 'config')).map((n) => ({ file: n, text: readFileSync(join(DIR, 'config', n), 'utf8') }));
  const read = await readHclModule('.', files);
  expect(read.errors).toEqual([]);
  decl = read.decl;
});

function evaluate(template: string): TfVal {
  const text = template.replace(/\{([A-Z])\}/g, (_m, k: string) => cases.references[k]?.ref ?? '?');
  const loc = { file: '<case>', line: 1, column: 1, endLine: 1, endColumn: 1 };
  return evaluateInModule(decl, makeExpr(textSource('<case>', text), text, 0, loc, 'expression'), { cwd: DIR });
}

/** The value with the example values put in for the references; undefined when a part stays unknown. */
function substitute(v: TfVal): unknown {
  switch (v.kind) {
    case 'scalar':
      return v.value;
    case 'ref':
      return byRef.get(`${v.address}.${v.attribute}`);
    case 'unknown':
      if (!v.parts) return undefined;
      return v.parts.map((p) => (typeof p === 'string' ? p : byRef.get(`${p.address}.${p.attribute}`))).join('');
    case 'list':
      return v.items.map(substitute);
    case 'object':
      return Object.fromEntries([...v.fields].map(([k, f]) => [k, substitute(f)]));
  }
}

describe('join/split/compact over references (oracle: terraform console with example values)', () => {
  it('has a recorded answer for every case', () => {
    expect(recorded.results.map((r) => r.expr)).toEqual([...cases.evaluated, ...cases.unknown]);
  });

  test.each(cases.evaluated)('%s', (expr) => {
    const v = evaluate(expr);
    expect(JSON.stringify(v)).not.toMatch(/"kind":"unknown"(?![^{}]*"parts")/);
    expect(substitute(v)).toEqual(recorded.results.find((r) => r.expr === expr)?.json);
  });

  test.each(cases.unknown)('%s stays unknown', (expr) => {
    const v = evaluate(expr);
    expect(v.kind).toBe('unknown');
    expect(v.kind === 'unknown' && (v.error ?? false)).toBe(false);
  });

  it('tells strings of different pieces apart in a set, and keeps one of equal ones', () => {
    const v = evaluate('toset(["${{A}}-x", "${{A}}-y", "${{A}}-x"])');
    expect(v.kind === 'list' ? v.items.map((i) => substitute(i)) : v).toEqual(['pl-6ca54005-x', 'pl-6ca54005-y']);
  });

  it('keeps a reference that split() gives back whole as that reference (so a peer can be typed)', () => {
    const v = evaluate('compact(split(",", join(",", [{A}, "", {V}])))');
    expect(v).toMatchObject({ kind: 'list', items: [{ kind: 'ref', address: 'data.aws_prefix_list.s3', attribute: 'id' }, { kind: 'ref', address: 'data.aws_vpc.main', attribute: 'cidr_block' }] });
  });
});

describe('a VPC range is never wider than a /16 (oracle: the AWS provider, fixtures/terraform-vpc-cidr)', () => {
  it('refuses VPC blocks wider than /16 or narrower than /28, for the VPC and for added blocks', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'fixtures', 'terraform-vpc-cidr', 'expected.txt'), 'utf8');
    const refused = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(refused.map((l) => l.slice(0, l.indexOf(':')))).toEqual(['aws_vpc.p15', 'aws_vpc.p29', 'aws_vpc_ipv4_cidr_block_association.p15']);
    expect(refused.every((l) => l.includes('between 16 and 28 significant bits'))).toBe(true);
  });
});
