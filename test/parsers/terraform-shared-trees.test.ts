/**
 * Files with the same text share their parsed expressions (src/parsers/terraform/exprs.ts: module libraries repeat
 * whole files). What depends on the file must not be shared: every finding in a copy is located in that copy, and a
 * copy is reported as if it were the only one.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

// SSH from the internet (open-admin-port at the CIDR), RDP from a variable without a value (unknown-peer at the
// reference), both in one group (no-dedicated-ssh-group at the resource).
const MAIN_TF = `variable "office" {
  type = string
}

resource "aws_security_group" "ssh" {
  name        = "ssh"
  description = "SSH for operators"

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "RDP from the office"
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.office]
  }
}
`;

/** [rule, line, column, endLine, endColumn] of each finding in one copy of MAIN_TF, in report order. */
const EXPECTED: [string, number, number, number, number][] = [
  ['no-dedicated-ssh-group', 5, 1, 24, 2],
  ['open-admin-port', 14, 20, 14, 31],
  ['unknown-peer', 22, 20, 22, 30],
];

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

async function lint(...targets: string[]): Promise<{ code: number; findings: JsonFinding[] }> {
  const run = await runCli(['--format', 'json', ...targets], tmpdir());
  expect(run.stderr).toBe('');
  return { code: run.code, findings: (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings };
}

const located = (file: string): JsonFinding[] =>
  EXPECTED.map(([ruleId, line, column, endLine, endColumn]) => ({ ruleId, file, line, column, endLine, endColumn }));

const shape = (f: JsonFinding): JsonFinding => ({ ruleId: f.ruleId, file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn });

describe('modules with the same text', () => {
  let dir: string;
  const copies = ['a', 'b', 'c'];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-lint-twins-'));
    for (const name of copies) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'main.tf'), MAIN_TF);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports every copy, each finding located in its own file', async () => {
    const { code, findings } = await lint(dir);
    expect(code).toBe(1);
    expect(findings.map(shape)).toEqual(copies.flatMap((name) => located(join(dir, name, 'main.tf'))));
  });

  it('reports a copy the same whether or not another copy was read first in the process', async () => {
    for (const name of [...copies].reverse()) {
      const { findings } = await lint(join(dir, name));
      expect(findings.map(shape)).toEqual(located(join(dir, name, 'main.tf')));
    }
  });
});
