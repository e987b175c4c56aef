/**
 * What the existence of a resource whose count or for_each is not known implies (src/parsers/terraform/created.ts):
 * `count = C ? 1 : 0` exists only when C holds, `C ? 0 : 1` only when it does not. The definition of C is typed so
 * canHoldTogether can use it; fixtures/terraform/if-created shows the findings this changes.
 */
import { canHoldTogether, conditionKey, describeCondition } from '../../src/model/conditions';
import type { Condition, ConditionExpr, ConditionOperand } from '../../src/model/conditions';
import type { SgRule } from '../../src/model/types';
import { parseTerraformHcl } from '../../src/parsers/terraform';
import { group, ROOT } from './terraform-helpers';

const param = (name: string): ConditionOperand => ({ kind: 'parameter', name });
const lit = (value: string): ConditionOperand => ({ kind: 'literal', value });
const eq = (l: ConditionOperand, r: ConditionOperand): ConditionExpr => ({ kind: 'equals', left: l, right: r });
/** A variable used as a condition: true or "true" (Terraform converts the string). */
const truthy = (name: string): ConditionExpr => ({ kind: 'or', exprs: [eq(param(name), lit('true')), eq(param(name), lit('"true"'))] });

const rule = (name: string, count: string): string => `
resource "aws_security_group_rule" "${name}" {
  ${count}
  security_group_id = aws_security_group.app.id
  type              = "ingress"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.0.0/8"]
}
`;

const config = [
  'variable "a" { type = bool }',
  'variable "env" { type = string }',
  'variable "n" { type = number }',
  'variable "subnets" { type = list(string) }',
  'variable "on" {\n  default = true\n}',
  'resource "aws_security_group" "app" {\n  description = "app"\n}',
  rule('when_a', 'count = var.a ? 1 : 0'),
  rule('unless_a', 'count = var.a ? 0 : 1'),
  rule('prod', 'count = var.env == "prod" ? 1 : 0'),
  rule('not_prod', 'count = (var.env != "prod") ? 3 : 0'),
  rule('and', 'count = var.on && !var.a ? 1 : 0'),
  rule('or_known', 'count = var.on || var.a ? 1 : 0'),
  rule('typed', 'count = var.a == "true" ? 1 : 0'),
  rule('subnets', 'count = length(var.subnets) > 0 ? var.n : 0'),
  rule('subnets_again', 'count = length( var.subnets ) > 0 ? 0 : 1'),
  rule('impure', 'count = uuid() == "x" ? 1 : 0'),
  rule('impure_again', 'count = uuid() == "x" ? 0 : 1'),
  rule('plain', 'count = var.n'),
  rule('both_nonzero', 'count = var.a ? 1 : 2'),
  rule('for_each', 'for_each = var.a ? { x = 1 } : {}'),
].join('\n');

let rules: Map<string, SgRule>;

beforeAll(async () => {
  const inputs = await parseTerraformHcl([{ file: 'created/main.tf', text: config }], { cwd: ROOT });
  expect(inputs[0]?.errors).toEqual([]);
  rules = new Map(group(inputs, 'aws_security_group.app').ingress.map((r) => [r.resource.replace(/\[.*$/, '').replace('aws_security_group_rule.', ''), r]));
});

function instance(name: string): Extract<Condition, { kind: 'instance' }> {
  const c = rules.get(name)?.conditions.find((x) => x.kind === 'instance');
  if (c?.kind !== 'instance') throw new Error(`no instance condition on ${name}`);
  return c;
}

describe('the condition a resource whose count is not known exists under', () => {
  it('is the conditional\'s condition, or its negation when the true branch creates nothing', () => {
    expect(instance('when_a').created).toEqual(truthy('var.a'));
    expect(instance('unless_a').created).toEqual({ kind: 'not', expr: truthy('var.a') });
    expect(instance('for_each').created).toEqual(truthy('var.a'));
  });

  it('keeps ==, !=, !, && and parentheses, with values written as typed HCL literals', () => {
    expect(instance('prod').created).toEqual(eq(param('var.env'), lit('"prod"')));
    expect(instance('not_prod').created).toEqual({ kind: 'not', expr: eq(param('var.env'), lit('"prod"')) });
    expect(instance('and').created).toEqual({ kind: 'and', exprs: [{ kind: 'literal', value: true }, { kind: 'not', expr: truthy('var.a') }] });
    // true == "true" is false in Terraform: the bool variable and the string are different values.
    expect(instance('typed').created).toEqual(eq(param('var.a'), lit('"true"')));
  });

  it('makes other expressions opaque booleans keyed by their structure, not their spacing', () => {
    const a = instance('subnets').created;
    const b = instance('subnets_again').created;
    expect(a?.kind).toBe('opaque');
    expect(b).toEqual({ kind: 'not', expr: a });
  });

  it('gives an impure expression a value of its own', () => {
    expect(canHoldTogether([instance('impure')], [instance('impure_again')])).toBe(true);
  });

  it('says nothing when the count is not such a conditional, or both branches create something', () => {
    expect(instance('plain').created).toBeUndefined();
    expect(instance('both_nonzero').created).toBeUndefined();
    // var.on is true by default: the count is known (1), so the resource simply exists.
    expect(rules.get('or_known')?.conditions.some((c) => c.kind === 'instance')).toBe(false);
  });

  it('lets canHoldTogether tell which resources exist together', () => {
    expect(canHoldTogether([instance('when_a')], [instance('unless_a')])).toBe(false);
    expect(canHoldTogether([instance('when_a')], [instance('for_each')])).toBe(true);
    expect(canHoldTogether([instance('prod')], [instance('not_prod')])).toBe(false);
    expect(canHoldTogether([instance('and')], [instance('when_a')])).toBe(false);
    expect(canHoldTogether([instance('and')], [instance('unless_a')])).toBe(true);
    expect(canHoldTogether([instance('subnets')], [instance('subnets_again')])).toBe(false);
    expect(canHoldTogether([instance('typed')], [instance('when_a')])).toBe(true);
    expect(canHoldTogether([instance('typed')], [instance('unless_a')])).toBe(false);
  });

  it('still reads "if created" in messages, and keeps its identity', () => {
    expect(describeCondition(instance('when_a'))).toBe('if created: aws_security_group_rule.when_a (count is not known: variable a has no default)');
    expect(conditionKey(instance('when_a'))).toBe('instance:aws_security_group_rule.when_a[*]');
  });
});
