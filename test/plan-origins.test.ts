// Issue #14: findings of a Terraform plan whose CIDR comes from a variable have related locations inside the plan
// file: the variable's value entry (`variables.<name>.value`), its default in the plan's configuration when the value
// is the default, and inside a module the module call's argument followed to the root module's variables.
// fixtures/terraform-plan-origins/plan.json is what Terraform 1.11 wrote for main.tf there (record.sh).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lint } from '../src/index';

const ROOT = path.resolve(__dirname, '..');
const PLAN = 'fixtures/terraform-plan-origins/plan.json';
const LINES = readFileSync(path.join(ROOT, PLAN), 'utf8').split('\n');

/** The plan text at a 1-based line and column. */
function textAt(line: number, column: number): string {
  return (LINES[line - 1] ?? '').slice(column - 1);
}

async function planFindings(): Promise<{ finding: string; related: string[] }[]> {
  const result = await lint([PLAN], { cwd: ROOT, config: false, only: ['open-admin-port', 'open-sensitive-port'], preset: 'all' });
  expect(result.errors).toEqual([]);
  return result.findings.map((f) => ({
    finding: `${f.ruleId} ${f.resource} ${f.line}:${f.column}`,
    related: (f.related ?? []).map((r) => `${r.message} ${r.file === f.file ? '' : `${r.file} `}${r.line}:${r.column}`),
  }));
}

// Where each place is in plan.json (checked against the text below, not taken from sg-lint's output).
const VALUE_ADMIN = 'variable admin_cidr value 6:16'; //  "variables": { "admin_cidr": { "value": "0.0.0.0/0" } }
const DEFAULT_ADMIN = 'variable admin_cidr default 925:22'; // configuration.root_module.variables.admin_cidr.default
const VALUE_SSH = 'variable ssh_cidr value 14:16'; // set by terraform.tfvars: not the default (10.0.0.0/8), no default entry
const ARG_CIDR = 'module module.net argument cidr 783:21'; // module_calls.net.expressions.cidr: { references: [var.admin_cidr] }
const ARG_OTHER = 'module module.net argument other 789:33'; // module_calls.net.expressions.other.constant_value
const DEFAULT_FIXED = 'variable module.net.var.fixed default 916:28'; // module_calls.net.module.variables.fixed.default

describe('related locations of plan findings', () => {
  it('the positions named below are the values in plan.json', () => {
    expect(textAt(6, 16)).toBe('"0.0.0.0/0"');
    expect(LINES[4]).toBe('    "admin_cidr": {');
    expect(textAt(925, 22)).toBe('"0.0.0.0/0"');
    expect(LINES[923]).toBe('        "admin_cidr": {');
    expect(textAt(14, 16)).toBe('"0.0.0.0/0"');
    expect(LINES[12]).toBe('    "ssh_cidr": {');
    expect(textAt(783, 21)).toBe('{');
    expect(LINES[782]).toBe('            "cidr": {');
    expect(LINES[784]).toBe('                "var.admin_cidr"');
    expect(textAt(789, 33)).toBe('"0.0.0.0/0"');
    expect(textAt(916, 28)).toBe('"0.0.0.0/0"');
    expect(LINES[914]).toBe('              "fixed": {');
  });

  it('each finding points at its CIDR in planned_values and names where the CIDR came from', async () => {
    expect(await planFindings()).toEqual([
      // cidr_blocks = [var.admin_cidr] in an inline ingress block: the value is the default.
      { finding: 'open-admin-port aws_security_group.admin 32:19', related: [VALUE_ADMIN, DEFAULT_ADMIN] },
      // cidr_blocks = [var.ssh_cidr], set by terraform.tfvars.
      { finding: 'open-admin-port aws_security_group_rule.rdp 95:15', related: [VALUE_SSH] },
      // cidr_ipv4 = var.admin_cidr.
      { finding: 'open-sensitive-port aws_vpc_security_group_ingress_rule.telnet 121:26', related: [VALUE_ADMIN, DEFAULT_ADMIN] },
      // cidr_ipv4 = "0.0.0.0/0" written literally: equal to a variable's value, but no variable produced it.
      { finding: 'open-sensitive-port aws_vpc_security_group_ingress_rule.vnc 144:26', related: [] },
      // In the module: other = "0.0.0.0/0" in the call.
      { finding: 'open-admin-port module.net.aws_vpc_security_group_ingress_rule.rdp 192:30', related: [ARG_OTHER] },
      // cidr = var.admin_cidr in the call, followed to the root variable.
      { finding: 'open-admin-port module.net.aws_vpc_security_group_ingress_rule.ssh 215:30', related: [ARG_CIDR, VALUE_ADMIN, DEFAULT_ADMIN] },
      // fixed is not set by the call: the module variable's default.
      { finding: 'open-sensitive-port module.net.aws_vpc_security_group_ingress_rule.telnet 238:30', related: [DEFAULT_FIXED] },
    ]);
  });

  it('the primary locations are the CIDR values in planned_values', async () => {
    for (const { finding } of await planFindings()) {
      const [line, column] = (finding.split(' ')[2] ?? '').split(':').map(Number);
      expect({ finding, text: textAt(line ?? 0, column ?? 0).startsWith('"0.0.0.0/0"') }).toEqual({ finding, text: true });
    }
  });
});
