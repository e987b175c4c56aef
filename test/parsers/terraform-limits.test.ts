// Hostile Terraform: inputs are generated here (nothing huge is committed) and parsed in-process. Each case asserts
// the exact message a user sees: an error with line and column for nesting that is refused, an Unknown reason for
// references that cannot be followed, and never an exhausted call stack.
import { describeConditions } from '../../src/model/conditions';
import type { ParsedInput, SgRule } from '../../src/model/types';
import { parseTerraformHcl, parseTerraformJson, parseTerraformPlan } from '../../src/parsers/terraform';
import { group } from './terraform-helpers';

const TOO_DEEP = 'nesting deeper than 500 levels; not read';

async function hcl(text: string, file = 'x/main.tf'): Promise<ParsedInput> {
  const [input] = await parseTerraformHcl([{ file, text }], { cwd: '/nonexistent' });
  if (!input) throw new Error('no input');
  return input;
}

/** A group whose one ingress block opens SSH to `cidrs` (an HCL expression), after the given declarations. */
function sshFrom(cidrs: string, declarations: string): string {
  return `${declarations}\nresource "aws_security_group" "a" {\n  ingress {\n    protocol    = "tcp"\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = ${cidrs}\n  }\n}\n`;
}

/** The peer of the only ingress rule: the CIDR, or `?reason` when it is not known. */
function peerOf(input: ParsedInput | ParsedInput[]): string {
  const rules: SgRule[] = group(input, 'aws_security_group.a').ingress;
  expect(rules).toHaveLength(1);
  const peer = rules[0]?.peer;
  if (!peer) return '';
  if (!peer.known) return `?${peer.reason}`;
  return peer.value.kind === 'cidr' ? peer.value.cidr : peer.value.kind;
}

/** `locals { l0 = local.l1 ... l<n-1> = local.l<n>  l<n> = "0.0.0.0/0" }`: n references followed one inside another. */
function localChain(n: number): string {
  const lines = Array.from({ length: n }, (_, i) => `  l${i} = local.l${i + 1}`);
  return `locals {\n${lines.join('\n')}\n  l${n} = "0.0.0.0/0"\n}`;
}

describe('.tf nesting is bounded (500 levels) and refused at its exact position', () => {
  const tags = (depth: number): string => `resource "aws_security_group" "a" {\n  tags = ${'['.repeat(depth)}${']'.repeat(depth)}\n}\n`;

  test('500 levels are read: the block is level 1, each bracket one more', async () => {
    const input = await hcl(tags(499));
    expect(input.errors).toEqual([]);
    expect(group(input, 'aws_security_group.a').kind).toBe('standard');
  });

  test('level 501 is an error at the bracket that opens it, and nothing of the file is read', async () => {
    const input = await hcl(tags(500));
    expect(input.errors).toEqual([{ file: 'x/main.tf', message: TOO_DEEP, line: 2, column: 509 }]);
    expect(input.groups).toEqual([]);
  });

  test('100,000 levels of brackets: the same error, not an exhausted stack', async () => {
    const input = await hcl(tags(100_000));
    expect(input.errors).toEqual([{ file: 'x/main.tf', message: TOO_DEEP, line: 2, column: 509 }]);
  });

  test('20,000 nested objects in a local: object keys sit at their object level', async () => {
    const input = await hcl(`locals {\n  x = ${'{ b = '.repeat(20_000)}1${' }'.repeat(20_000)}\n}\n`);
    // locals block = 1, the value `{` at column 7 = 2, each `{ b = ` six columns further: level 501 at 7 + 6 * 499.
    expect(input.errors).toEqual([{ file: 'x/main.tf', message: TOO_DEEP, line: 2, column: 3001 }]);
  });

  test('nested blocks count too: the 500th nested ingress block is level 501', async () => {
    const input = await hcl(`resource "aws_security_group" "a" {\n${'  ingress {\n'.repeat(600)}${'  }\n'.repeat(600)}}\n`);
    expect(input.errors).toEqual([{ file: 'x/main.tf', message: TOO_DEEP, line: 501, column: 3 }]);
  });

  test('a 100,000-level expression that never closes is a syntax error, found without recursion', async () => {
    const input = await hcl(`resource "aws_security_group" "a" {\n  tags = ${'['.repeat(100_000)}\n}\n`);
    expect(input.errors).toHaveLength(1);
    expect(input.errors[0]).toMatchObject({ line: 1, column: 1 });
    expect(input.errors[0]?.message).toMatch(/^HCL syntax error: /);
  });

  test('the other files of the module are still read', async () => {
    const inputs = await parseTerraformHcl(
      [
        { file: 'm/deep.tf', text: tags(1000) },
        { file: 'm/ok.tf', text: sshFrom('["0.0.0.0/0"]', '') },
      ],
      { cwd: '/nonexistent' },
    );
    expect(inputs.map((i) => [i.file, i.errors.map((e) => `${e.line}:${e.column} ${e.message}`)])).toEqual([
      ['m/deep.tf', [`2:509 ${TOO_DEEP}`]],
      ['m/ok.tf', []],
    ]);
    expect(peerOf(inputs)).toBe('0.0.0.0/0');
  });
});

describe('Terraform JSON nesting is bounded (500 levels)', () => {
  const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;

  test('.tf.json: error at the array that opens level 501', () => {
    // `{` = 1, "resource" object = 2, type = 3, body = 4, tags array = 5: level 501 is the 497th bracket.
    const prefix = '{"resource": {"aws_security_group": {"a": {"tags": ';
    const [input] = parseTerraformJson([{ file: 'x/main.tf.json', text: `${prefix}${deep(1000)}}}}}` }], { cwd: '/nonexistent' });
    expect(input?.errors).toEqual([{ file: 'x/main.tf.json', message: TOO_DEEP, line: 1, column: prefix.length + 497 }]);
    expect(input?.groups).toEqual([]);
  });

  test('plan and state JSON: the same error, nothing read', () => {
    const resource = '{"address": "aws_security_group.s", "mode": "managed", "type": "aws_security_group", "name": "s", "values": ';
    const prefix = `{"format_version": "1.0", "values": {"root_module": {"resources": [${resource}{"tags": `;
    // root = 1, values = 2, root_module = 3, resources = 4, resource = 5, values = 6, tags = 7: level 501 is bracket 495.
    const state = parseTerraformPlan(`${prefix}${deep(1000)}}}]}}}`, 's.json');
    expect(state.format).toBe('terraform-state');
    expect(state.errors).toEqual([{ file: 's.json', message: TOO_DEEP, line: 1, column: prefix.length + 495 }]);
    expect(state.groups).toEqual([]);
    const planPrefix = `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [${resource}{"tags": `;
    const plan = parseTerraformPlan(`${planPrefix}${deep(1000)}}}]}}}`, 'p.json');
    expect(plan.format).toBe('terraform-plan');
    expect(plan.errors).toEqual([{ file: 'p.json', message: TOO_DEEP, line: 1, column: planPrefix.length + 495 }]);
  });
});

describe('references end: cycles and long chains become Unknown with a reason', () => {
  test('a chain of 100 locals is followed; one more is Unknown', async () => {
    expect(peerOf(await hcl(sshFrom('[local.l0]', localChain(99))))).toBe('0.0.0.0/0');
    expect(peerOf(await hcl(sshFrom('[local.l0]', localChain(100))))).toBe('?reference chain deeper than 100 (local.l100 not followed)');
  });

  test('a 3,000-long chain of locals ends with the same reason', async () => {
    const input = await hcl(sshFrom('[local.l0]', localChain(3000)));
    expect(input.errors).toEqual([]);
    expect(peerOf(input)).toBe('?reference chain deeper than 100 (local.l100 not followed)');
  });

  test('.tf.json: a 3,000-long chain of "${local...}" templates ends the same way', () => {
    const locals: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) locals[`l${i}`] = `\${local.l${i + 1}}`;
    locals['l3000'] = '0.0.0.0/0';
    const ingress = { protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['${local.l0}'] };
    const text = JSON.stringify({ locals, resource: { aws_security_group: { a: { ingress: [ingress] } } } });
    expect(peerOf(parseTerraformJson([{ file: 'x/main.tf.json', text }], { cwd: '/nonexistent' }))).toBe(
      '?reference chain deeper than 100 (local.l100 not followed)',
    );
  });

  test('locals that refer to themselves, directly or through another local', async () => {
    expect(peerOf(await hcl(sshFrom('[local.a]', 'locals {\n  a = local.a\n}')))).toBe('?local.a refers to itself');
    expect(peerOf(await hcl(sshFrom('[local.a]', 'locals {\n  a = local.b\n  b = local.a\n}')))).toBe('?local.a refers to itself');
  });

  test('a variable default is literal: a reference in it is not followed (Terraform rejects it)', async () => {
    const vars = 'variable "a" {\n  default = var.a\n}';
    expect(peerOf(await hcl(sshFrom('[var.a]', vars)))).toBe('?var.a (a variable default cannot refer to other values)');
  });

  test('a resource whose for_each names its own instances: any instance, with the reason', async () => {
    const input = await hcl('resource "aws_security_group" "a" {\n  for_each = toset(aws_security_group.a[*].id)\n}\n');
    expect(describeConditions(group(input, 'aws_security_group.a[*]').conditions)).toEqual([
      'if created: aws_security_group.a (for_each is not known: aws_security_group.a refers to itself)',
    ]);
  });

  test('locals that double at every step stop growing at 100,000 values', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `  l${i} = [local.l${i + 1}, local.l${i + 1}]`);
    const input = await hcl(sshFrom('local.l24', `locals {\n${lines.join('\n')}\n  l40 = "0.0.0.0/0"\n}`));
    // l24 holds 2^17 - 1 values, the first above the limit.
    expect(peerOf(input)).toBe('?local.l24 holds more than 100000 values; not evaluated');
  });

  test('locals built of locals stop nesting at 100 levels', async () => {
    const lines = Array.from({ length: 3 }, (_, i) => `  l${i} = ${'['.repeat(60)}local.l${i + 1}${']'.repeat(60)}`);
    // l2 nests 60 levels, l1 (60 around l2) 120: l1 is the first too deep.
    const input = await hcl(sshFrom('local.l1', `locals {\n${lines.join('\n')}\n  l3 = "0.0.0.0/0"\n}`));
    expect(peerOf(input)).toBe('?local.l1 is nested deeper than 100 levels; not evaluated');
  });

  test('100 locals of 490 levels each, one inside another: evaluation stops, the stack does not run out', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `  l${i} = ${'['.repeat(490)}local.l${i + 1}${']'.repeat(490)}`);
    const input = await hcl(sshFrom('[local.l0]', `locals {\n${lines.join('\n')}\n  l100 = "0.0.0.0/0"\n}`));
    expect(input.errors).toEqual([]);
    expect(peerOf(input)).toBe('?local.l0 is nested deeper than 100 levels; not evaluated');
  });
});
