// Issue #18: an expression that reads nothing that differs between the instances of a resource or module call
// (`each`, `count`, `self`, a dynamic block's iterator) has one value for all of them and is evaluated once. Before,
// 1,000 instances each evaluated the same 1,000-element attribute, ran the module into the evaluator's step bound
// and left the later instances' rules unknown. Expected values follow Terraform's semantics: `each.key` of
// `toset([for i in range(n) : tostring(i)])` is each decimal string, a dynamic block's iterator is its label unless
// `iterator` renames it, and a `for` expression's own variables shadow everything outside it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTerraformHcl } from '../../src/parsers/terraform';
import { parseExpression } from '../../src/parsers/terraform/eval/parse';
import { freeNames } from '../../src/parsers/terraform/eval/free-names';
import type { ParsedInput, SgRule } from '../../src/model/types';
import { group } from './terraform-helpers';

function peerOf(r: SgRule | undefined): string {
  if (!r) return 'missing';
  if (!r.peer.known) return `?${r.peer.reason}`;
  return r.peer.value.kind === 'cidr' ? r.peer.value.cidr : r.peer.value.kind;
}

function portsOf(r: SgRule | undefined): string {
  if (!r?.ports.known || !r.ports.value) return '?';
  return `${r.ports.value.from}-${r.ports.value.to}`;
}

async function parse(text: string): Promise<ParsedInput> {
  const [input] = await parseTerraformHcl([{ file: 'main.tf', text }], { cwd: process.cwd() });
  if (!input) throw new Error('no input');
  return input;
}

describe('free names of an expression', () => {
  test.each([
    ['each.key', ['each']],
    ['"${var.p}-${count.index}"', ['count', 'var']],
    ['[for k, v in local.m : "${k}=${v}-${each.key}"]', ['each', 'local']],
    ['{ for each in var.xs : each => each }', ['var']],
    ['"%{ for ingress in var.rules }${ingress.port}${rule.x}%{ endfor }"', ['rule', 'var']],
    ['aws_security_group.web[*].id', ['aws_security_group']],
    ['length(data.aws_vpc.main.cidr_block) > 0 ? self.id : module.m.out', ['data', 'module', 'self']],
    ['[for i in range(3) : i if i != length(each.value)]', ['each']],
    ['42', []],
  ])('%s reads %j', (text, names) => {
    expect([...freeNames(parseExpression(text, 0))].sort()).toEqual(names);
  });

  test('for expressions nested as deep as the parser allows (400) are walked without recursion', () => {
    const deep = `${'[for x in '.repeat(400)}each.value${' : x]'.repeat(400)}`;
    expect([...freeNames(parseExpression(deep, 0))]).toEqual(['each']);
  });
});

describe('instances share what does not depend on them', () => {
  test('1,000 instances with a 1,000-element attribute that ignores each: every instance is evaluated, no bound is hit', async () => {
    const input = await parse(`
resource "aws_security_group" "g" {
  for_each    = toset([for i in range(1000) : tostring(i)])
  name        = "g-\${each.key}"
  description = join(",", [for i in range(1000) : tostring(i)])
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.\${tonumber(each.key) % 250}.0.0/16"]
  }
}
`);
    expect(input.notices.filter((n) => /bounded|stopped after/.test(n.message))).toEqual([]);
    expect(input.groups).toHaveLength(1000);
    for (const key of ['0', '1', '249', '250', '999']) {
      const g = group(input, `aws_security_group.g["${key}"]`);
      expect(g.name).toEqual({ known: true, value: `g-${key}` });
      expect(peerOf(g.ingress[0])).toBe(`10.${Number(key) % 250}.0.0/16`);
      expect(g.description.known ? g.description.value?.length : undefined).toBe(3889); // 0..999 joined: 10 + 180 + 2700 digits + 999 commas
    }
  });

  test('counted instances: count.index differs, the shared attribute does not', async () => {
    const input = await parse(`
locals {
  office = "198.51.100.0/24"
}
resource "aws_security_group" "g" {
  count       = 3
  name        = "g-\${count.index}"
  description = "office \${local.office}"
  ingress {
    from_port   = 3306 + count.index
    to_port     = 3306 + count.index
    protocol    = "tcp"
    cidr_blocks = [local.office]
  }
}
`);
    expect([0, 1, 2].map((i) => group(input, `aws_security_group.g[${i}]`)).map((g) => [g.name?.known ? g.name.value : undefined, portsOf(g.ingress[0]), peerOf(g.ingress[0])])).toEqual([
      ['g-0', '3306-3306', '198.51.100.0/24'],
      ['g-1', '3307-3307', '198.51.100.0/24'],
      ['g-2', '3308-3308', '198.51.100.0/24'],
    ]);
  });

  test('dynamic blocks: the iterator (renamed or not) differs per block and each per instance; a literal peer is the same in all', async () => {
    const input = await parse(`
locals {
  ports = [22, 443]
  nets  = { a = "10.1.0.0/16", b = "10.2.0.0/16" }
}
resource "aws_security_group" "g" {
  for_each = local.nets
  name     = each.key
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [each.value]
    }
  }
  dynamic "egress" {
    for_each = local.ports
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["192.0.2.0/24"]
    }
  }
}
`);
    const rows = (address: string): string[] => {
      const g = group(input, address);
      return [...g.ingress, ...g.egress].map((r) => `${r.direction} ${portsOf(r)} ${peerOf(r)}`);
    };
    expect(rows('aws_security_group.g["a"]')).toEqual(['ingress 22-22 10.1.0.0/16', 'ingress 443-443 10.1.0.0/16', 'egress 22-22 192.0.2.0/24', 'egress 443-443 192.0.2.0/24']);
    expect(rows('aws_security_group.g["b"]')).toEqual(['ingress 22-22 10.2.0.0/16', 'ingress 443-443 10.2.0.0/16', 'egress 22-22 192.0.2.0/24', 'egress 443-443 192.0.2.0/24']);
  });

  describe('module calls', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sg-lint-memo-'));
      mkdirSync(join(dir, 'sg'));
      writeFileSync(
        join(dir, 'sg', 'main.tf'),
        `variable "port" {}
variable "cidrs" {}
resource "aws_security_group" "this" {
  name = "p\${var.port}"
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}
`,
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('each instance gets its own each.value and the shared argument', async () => {
      const file = join(dir, 'main.tf');
      const text = `
module "sg" {
  source   = "./sg"
  for_each = { ssh = 22, rdp = 3389 }
  port     = each.value
  cidrs    = [for n in range(2) : "10.\${n}.0.0/16"]
}
`;
      writeFileSync(file, text);
      const [input] = await parseTerraformHcl([{ file, text }], { cwd: dir });
      if (!input) throw new Error('no input');
      for (const [key, port] of [['ssh', 22], ['rdp', 3389]] as const) {
        const g = group(input, `module.sg["${key}"].aws_security_group.this`);
        expect(g.name).toEqual({ known: true, value: `p${port}` });
        expect(g.ingress.map((r) => `${portsOf(r)} ${peerOf(r)}`)).toEqual([`${port}-${port} 10.0.0.0/16`, `${port}-${port} 10.1.0.0/16`]);
      }
    });
  });
});
