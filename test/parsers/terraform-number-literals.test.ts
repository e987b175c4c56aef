/**
 * Number literals Terraform reads and the tree-sitter HCL grammar refuses (`1e9`, `2E+3`, `5e-1`, `1.e3`): read as
 * Terraform reads them in `.tf` files, `.tfvars` and `terragrunt.hcl`. What each form is worth comes from
 * `terraform console` (fixtures/terraform-console/expected.json, group numberForms, checked by
 * terraform-console.test.ts); these tests check the way there: masking before tree-sitter, locations, the CLI.
 */
import { join } from 'node:path';
import { evaluateInModule } from '../../src/parsers/terraform/config';
import { makeExpr, textSource } from '../../src/parsers/terraform/exprs';
import { loadParser, readHclBody, readHclModule } from '../../src/parsers/terraform/hcl';
import { maskNumberLiterals } from '../../src/parsers/terraform/hcl-numbers';
import { toPlain } from '../../src/parsers/terraform/values';
import { runCli } from '../helpers/cli';

const ROOT = join(__dirname, '..', '..');

describe('maskNumberLiterals', () => {
  const cases: [string, string, string][] = [
    ['an exponent without a fraction', 'a = 1e9', 'a = 000'],
    ['signed exponents', 'a = [2E+3, 5e-1]', 'a = [0000, 0000]'],
    ['a dot without fraction digits', 'a = 1.e3 + 2.E-1', 'a = 0000 + 00000'],
    ['what the grammar reads stays', 'a = [1, 1.5, 1.5e3, 2.0E-1, 007]', 'a = [1, 1.5, 1.5e3, 2.0E-1, 007]'],
    ['tokens Terraform refuses stay (an error either way)', 'a = [1e3e3, 1.5.5, 1e, 1.e]', 'a = [1e3e3, 1.5.5, 1e, 1.e]'],
    ['names holding digits and dashes', 'a = var.x-1e9 + foo1e9 + _2e2', 'a = var.x-1e9 + foo1e9 + _2e2'],
    ['quoted text', 'a = "1e9 \\" 2e1"', 'a = "1e9 \\" 2e1"'],
    ['interpolations and directives in quoted text', 'a = "x ${1e2 + { b = 2e0 }.b} %{if 1e0 == 1}y%{endif} $${3e0}"', 'a = "x ${000 + { b = 000 }.b} %{if 000 == 1}y%{endif} $${3e0}"'],
    ['strings inside interpolations', 'a = "${"1e1${2e2}"}"', 'a = "${"1e1${000}"}"'],
    ['comments', '# 1e9\na = 1e1 // 2e2\nb = /* 3e3 */ 4e4', '# 1e9\na = 000 // 2e2\nb = /* 3e3 */ 000'],
    ['heredoc bodies, not their interpolations', 'a = <<EOT\n1e9 ${2e2}\n  EOT\nb = 3e3', 'a = <<EOT\n1e9 ${000}\n  EOT\nb = 000'],
    ['indented heredocs', 'a = <<-EOF\n  EOT 1e1\n  EOF\nb = 5e5', 'a = <<-EOF\n  EOT 1e1\n  EOF\nb = 000'],
    ['blocks and nested objects', 'resource "x" "y" {\n  count = 1e0\n  tags = { n = 2e1 }\n}\n', 'resource "x" "y" {\n  count = 000\n  tags = { n = 000 }\n}\n'],
  ];
  it.each(cases)('%s', (_name, input, masked) => {
    const out = maskNumberLiterals(input);
    expect(out).toBe(masked);
    expect(out).toHaveLength(input.length);
  });

  it('stops following strings nested past twice the nesting limit (bounded memory; such a file is refused anyway)', () => {
    const deep = `a = ${'"${'.repeat(1200)}1e1${'}"'.repeat(1200)}\nb = 2e2`;
    const out = maskNumberLiterals(deep);
    expect(out).toHaveLength(deep.length);
    expect(out.endsWith('b = 2e2')).toBe(true);
  });

  it('returns text without such literals unchanged (the same string)', () => {
    const text = 'a = [1, 2.5, "x"]\n';
    expect(maskNumberLiterals(text)).toBe(text);
  });
});

describe('number literals in .tf, .tfvars and terragrunt.hcl', () => {
  const tf = [
    'locals {',
    '  forms = [1e9, 2E+3, 5e-1, 1.e3, 22E0]',
    '  text  = "port ${2.2e1}"',
    '}',
    'variable "port" {',
    '  default = 3.389e3',
    '}',
    '',
  ].join('\n');

  it('evaluates them as terraform console does', async () => {
    const { decl, errors } = await readHclModule('m', [{ file: 'm/main.tf', text: tf }]);
    expect(errors).toEqual([]);
    const value = (text: string): unknown => {
      const e = makeExpr(textSource('<test>', text), text, 0, { file: '<test>', line: 1, column: 1, endLine: 1, endColumn: 1 }, 'expression');
      return toPlain(evaluateInModule(decl, e, { cwd: ROOT }));
    };
    expect(value('local.forms')).toEqual([1e9, 2000, 0.5, 1000, 22]);
    expect(value('local.text')).toBe('port 22');
    expect(value('var.port')).toBe(3389);
  });

  it('reads a tfvars body with them', async () => {
    const parser = await loadParser();
    const { body, errors } = readHclBody(parser, { file: 'x.tfvars', text: 'port = 2.2e1\nlist = [1e0, 5E-1]\n' });
    expect(errors).toEqual([]);
    expect([...body.attributes.keys()]).toEqual(['port', 'list']);
    expect(body.attributes.get('port')?.text).toBe('2.2e1');
    expect(body.attributes.get('list')?.loc).toMatchObject({ line: 2, column: 8, endColumn: 19 });
  });

  it('reports a syntax error with the text as written, at its place', async () => {
    const parser = await loadParser();
    const { errors } = readHclBody(parser, { file: 'x.tfvars', text: 'a = 1e0\nb = 1e0 c\n' });
    expect(errors).toEqual([{ file: 'x.tfvars', line: 2, column: 9, message: 'HCL syntax error: unexpected "c"' }]);
  });

  it('keeps a literal Terraform refuses unknown, with the reason', async () => {
    const { decl, errors } = await readHclModule('m', [{ file: 'm/main.tf', text: 'locals {\n  bad = 1.5.5\n}\n' }]);
    expect(errors).toEqual([]);
    const e = makeExpr(textSource('<test>', 'local.bad'), 'local.bad', 0, { file: '<test>', line: 1, column: 1, endLine: 1, endColumn: 1 }, 'expression');
    expect(evaluateInModule(decl, e, { cwd: ROOT })).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('invalid number literal "1.5.5"') });
  });
});

describe('the CLI on a configuration written with exponents', () => {
  it('reports the ports they open, and exits 1', async () => {
    const dir = 'fixtures/terraform/number-literals';
    const run = await runCli(['--format', 'json', dir], ROOT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; file: string; line: number; resource: string; message: string }[]; errors: unknown[] };
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.resource])).toEqual([
      // port = 3389e0 from the Terragrunt unit's inputs
      ['open-admin-port', `${dir}/modules/rdp/main.tf`, 14, 'aws_security_group.rdp'],
      // count = 1e0 (one instance), from_port = 2.2e1, to_port = 22E0
      ['open-admin-port', `${dir}/root/main.tf`, 19, 'aws_security_group.ssh[0]'],
      // db_port = 5432e+0 from terraform.tfvars; count = 0e0 gives no aws_security_group.not_created
      ['open-db-port', `${dir}/root/main.tf`, 44, 'aws_security_group.db'],
    ]);
    expect(report.findings[1]?.message).toContain('allows SSH (tcp/22) from the whole internet');
    expect(report.findings[2]?.message).toContain('allows PostgreSQL (tcp/5432)');
  });
});
