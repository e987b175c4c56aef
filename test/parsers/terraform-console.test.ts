/**
 * The differential test of sg-lint's Terraform evaluator against Terraform itself: every expression of
 * scripts/terraform-expressions.mjs was given to `terraform console` (Terraform 1.11) in
 * fixtures/terraform-console/config by scripts/record-terraform-console.mjs, and the answers were committed in
 * fixtures/terraform-console/expected.json. Here the same expressions are evaluated by sg-lint in the same
 * configuration and must give the same value (types included: tuple/list/set, object/map), or an error where
 * Terraform reports one. Terraform is not needed to run this test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateInModule } from '../../src/parsers/terraform/config';
import { makeExpr, textSource } from '../../src/parsers/terraform/exprs';
import { readHclModule } from '../../src/parsers/terraform/hcl';
import type { ModuleDecl } from '../../src/parsers/terraform/config';
import type { TfVal } from '../../src/parsers/terraform/values';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'terraform-console');
const configDir = join(fixtures, 'config');

type Canon =
  | { s: string }
  | { n: string }
  | { b: boolean }
  | { null: true }
  | { sensitive: true }
  | { unknown: true }
  | { type: string }
  | { tuple: Canon[] }
  | { list: Canon[] }
  | { set: Canon[] }
  | { object: Record<string, Canon> }
  | { map: Record<string, Canon> };

interface Recorded {
  group: string;
  expr: string;
  value?: Canon;
  error?: string;
}

/**
 * Where sg-lint knowingly differs from Terraform, with the reason. Each is checked to still differ, so the list
 * shrinks when the evaluator improves.
 */
const KNOWN_DIVERGENCES: Record<string, string> = {
  'format("%v", null)': 'Terraform returns an unknown value for a null argument of format(); sg-lint reports the null as an error',
  'format("%s", null)': 'Terraform returns an unknown value for a null argument of format(); sg-lint reports the null as an error',
  'yamlencode("é\\n")': 'Terraform writes multi-line strings as YAML block scalars; sg-lint writes a quoted string (same value once decoded)',
  'cidrsubnets("0.0.0.0/0", 4, 4, 8, 4)': 'Terraform overflows its 32-bit arithmetic for a /0 prefix and reports no space left; sg-lint allocates the subnets',
  'type(var.obj_defaults)': 'sg-lint keeps no type on null values and empty collections (an unset optional number is "dynamic")',
  'type(var.rules)': 'sg-lint keeps no type on null values (an unset optional number is "dynamic")',
  'type(var.nothing)': 'sg-lint keeps no type on null values',
  'regex("(?P<n>a)(?P<n>b)", "ab")': 'Go accepts two capture groups of the same name (the later match wins); re2js, the RE2 sg-lint uses, refuses the pattern as RE2 does',
  'local.stripped': 'strip markers (~) in a flush heredoc (<<-): Terraform removes the indentation before applying them differently',
};

const recorded = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as { terraform: string; results: Recorded[] };

/** sg-lint's value in the recorded canonical form; an error as { error }. */
function canon(v: TfVal): Canon | { error: string } {
  if (v.sensitive) return { sensitive: true };
  switch (v.kind) {
    case 'unknown':
      return v.error ? { error: v.reason } : { unknown: true };
    case 'ref':
      return { unknown: true };
    case 'scalar':
      if (v.value === null) return { null: true };
      if (typeof v.value === 'string') return { s: v.value };
      if (typeof v.value === 'number') return { n: String(v.value) };
      return { b: v.value };
    case 'list': {
      const items: Canon[] = [];
      for (const i of v.items) {
        const c = canon(i);
        if ('error' in c) return c;
        items.push(c);
      }
      return v.type === 'list' ? { list: items } : v.type === 'set' ? { set: items } : { tuple: items };
    }
    case 'object': {
      const fields: Record<string, Canon> = {};
      for (const [k, f] of [...v.fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const c = canon(f);
        if ('error' in c) return c;
        fields[k] = c;
      }
      return v.type === 'map' ? { map: fields } : { object: fields };
    }
  }
}

function numberOf(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Deep equality of canonical values; numbers equal to 12 significant digits (Terraform computes in 512 bits). */
function same(a: Canon, b: Canon): boolean {
  if ('n' in a && 'n' in b) {
    const x = numberOf(a.n);
    const y = numberOf(b.n);
    return x === y || Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
  }
  if ('type' in a && 'type' in b) return a.type.replace(/[\s,]/g, '') === b.type.replace(/[\s,]/g, '');
  const ka = Object.keys(a)[0];
  const kb = Object.keys(b)[0];
  if (ka !== kb) return false;
  const va = (a as Record<string, unknown>)[ka as string];
  const vb = (b as Record<string, unknown>)[kb as string];
  if (Array.isArray(va) && Array.isArray(vb)) return va.length === vb.length && va.every((x, i) => same(x as Canon, vb[i] as Canon));
  if (va && typeof va === 'object' && vb && typeof vb === 'object') {
    const ea = Object.keys(va);
    const eb = Object.keys(vb);
    return ea.length === eb.length && ea.every((k) => k in vb && same((va as Record<string, Canon>)[k] as Canon, (vb as Record<string, Canon>)[k] as Canon));
  }
  return va === vb;
}

let decl: ModuleDecl;

beforeAll(async () => {
  const files = readdirSync(configDir)
    .filter((n) => n.endsWith('.tf'))
    .map((n) => ({ file: n, text: readFileSync(join(configDir, n), 'utf8') }));
  const read = await readHclModule('.', files);
  expect(read.errors).toEqual([]);
  decl = read.decl;
});

function evaluateText(expr: string): TfVal {
  const e = makeExpr(textSource('<console-input>', expr), expr, 0, { file: '<console-input>', line: 1, column: 1, endLine: 1, endColumn: 1 }, 'expression');
  const v = evaluateInModule(decl, e, { cwd: configDir });
  if (/^type\(/.test(expr) && v.kind === 'scalar' && typeof v.value === 'string') return v;
  return v;
}

function outcome(r: Recorded): { ok: boolean; got: unknown } {
  const v = evaluateText(r.expr);
  if (r.value && 'type' in r.value) {
    const got = v.kind === 'scalar' && typeof v.value === 'string' ? { type: v.value } : canon(v);
    return { ok: !('error' in got) && same(got as Canon, r.value), got };
  }
  const got = canon(v);
  if (r.error !== undefined) return { ok: 'error' in got, got };
  if ('error' in got || !r.value) return { ok: false, got };
  return { ok: same(got, r.value), got };
}

describe(`sg-lint's evaluator agrees with terraform console`, () => {
  it('has at least 2,000 recorded expressions', () => {
    expect(recorded.results.length).toBeGreaterThanOrEqual(2000);
    expect(recorded.terraform).toMatch(/^Terraform v1\.11\./);
  });

  it('gives Terraform\'s value or error for every expression', () => {
    const failures: string[] = [];
    let agreed = 0;
    for (const r of recorded.results) {
      const { ok, got } = outcome(r);
      const known = KNOWN_DIVERGENCES[r.expr];
      if (known !== undefined) {
        if (ok) failures.push(`${r.expr}\n    listed as a known divergence but now agrees: remove it`);
        continue;
      }
      if (ok) agreed++;
      else failures.push(`${r.expr}\n    terraform: ${JSON.stringify(r.error !== undefined ? { error: r.error } : r.value)}\n    sg-lint:   ${JSON.stringify(got)}`);
    }
    expect(failures).toEqual([]);
    expect(agreed).toBeGreaterThanOrEqual(2000);
  });
});
