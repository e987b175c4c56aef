// canHoldTogether: conditions over the same parameters are constraints, decided over each parameter's domain.
import { canHoldTogether, conditionKey, describeCondition, isConditionalCondition } from '../../src/model/conditions';
import type { Condition, ConditionExpr, ConditionOperand } from '../../src/model/conditions';

const param = (name: string, allowedValues?: string[]): ConditionOperand => (allowedValues ? { kind: 'parameter', name, allowedValues } : { kind: 'parameter', name });
const lit = (value: string): ConditionOperand => ({ kind: 'literal', value });
const eq = (l: ConditionOperand, r: ConditionOperand): ConditionExpr => ({ kind: 'equals', left: l, right: r });
const not = (expr: ConditionExpr): ConditionExpr => ({ kind: 'not', expr });
const and = (...exprs: ConditionExpr[]): ConditionExpr => ({ kind: 'and', exprs });
const or = (...exprs: ConditionExpr[]): ConditionExpr => ({ kind: 'or', exprs });
const cond = (name: string, value: boolean, definition?: ConditionExpr): Condition => (definition ? { kind: 'condition', name, value, definition } : { kind: 'condition', name, value });
const allowed = (name: string, value: string, allowedValues?: string[]): Condition =>
  allowedValues ? { kind: 'parameter', name, value, source: 'allowed-value', allowedValues } : { kind: 'parameter', name, value, source: 'allowed-value' };

const IS_PROD = eq(param('Env'), lit('prod'));

describe('canHoldTogether', () => {
  it('holds for no conditions and for one consistent set', () => {
    expect(canHoldTogether()).toBe(true);
    expect(canHoldTogether([], [])).toBe(true);
    expect(canHoldTogether([cond('IsProd', true, IS_PROD)])).toBe(true);
  });

  it('refuses one condition with two outcomes and one parameter with two values', () => {
    expect(canHoldTogether([cond('C', true)], [cond('C', false)])).toBe(false);
    expect(canHoldTogether([allowed('AdminCidr', '0.0.0.0/1')], [allowed('AdminCidr', '128.0.0.0/1')])).toBe(false);
    expect(canHoldTogether([allowed('A', '0.0.0.0/1')], [allowed('B', '128.0.0.0/1')])).toBe(true);
  });

  it('understands Fn::Not of another condition', () => {
    const isDev = cond('IsDev', true, not(IS_PROD));
    expect(canHoldTogether([cond('IsProd', true, IS_PROD)], [isDev])).toBe(false);
    expect(canHoldTogether([cond('IsProd', false, IS_PROD)], [isDev])).toBe(true);
  });

  it('understands Fn::Equals over one parameter with different literals', () => {
    const staging = cond('IsStaging', true, eq(param('Env'), lit('staging')));
    expect(canHoldTogether([cond('IsProd', true, IS_PROD)], [staging])).toBe(false);
    // Neither prod nor staging: "any other value" of Env.
    expect(canHoldTogether([cond('IsProd', false, IS_PROD)], [cond('IsStaging', false, eq(param('Env'), lit('staging')))])).toBe(true);
  });

  it('uses AllowedValues as the whole domain', () => {
    const envs = ['prod', 'dev'];
    const notProd = cond('NotProd', true, not(eq(param('Env', envs), lit('prod'))));
    const notDev = cond('NotDev', true, not(eq(param('Env', envs), lit('dev'))));
    expect(canHoldTogether([notProd], [notDev])).toBe(false);
    expect(canHoldTogether([notProd, cond('IsDev', true, eq(param('Env', envs), lit('dev')))])).toBe(true);
    // A value outside AllowedValues cannot be chosen.
    expect(canHoldTogether([cond('IsTest', true, eq(param('Env', envs), lit('test')))])).toBe(false);
  });

  it('combines condition outcomes with parameter values', () => {
    expect(canHoldTogether([cond('IsProd', true, IS_PROD)], [allowed('Env', 'dev')])).toBe(false);
    expect(canHoldTogether([cond('IsProd', true, IS_PROD)], [allowed('Env', 'prod')])).toBe(true);
    expect(canHoldTogether([cond('IsProd', true, IS_PROD)], [{ kind: 'parameter', name: 'Env', value: 'dev', source: 'default' }])).toBe(false);
  });

  it('understands Fn::And and Fn::Or', () => {
    const isEu = eq(param('AWS::Region'), lit('eu-west-1'));
    const prodEu = cond('ProdEu', true, and(IS_PROD, isEu));
    expect(canHoldTogether([prodEu], [cond('IsProd', false, IS_PROD)])).toBe(false);
    expect(canHoldTogether([prodEu], [cond('IsEu', true, isEu)])).toBe(true);
    const prodOrEu = cond('ProdOrEu', false, or(IS_PROD, isEu));
    expect(canHoldTogether([prodOrEu], [cond('IsProd', true, IS_PROD)])).toBe(false);
    expect(canHoldTogether([prodOrEu], [cond('IsProd', false, IS_PROD)])).toBe(true);
  });

  it('lets two parameters compared with each other be equal on a value neither is compared with', () => {
    const same = cond('Same', true, eq(param('A'), param('B')));
    expect(canHoldTogether([same])).toBe(true);
    expect(canHoldTogether([same, cond('AIsX', true, eq(param('A'), lit('x'))), cond('BIsY', true, eq(param('B'), lit('y')))])).toBe(false);
  });

  it('treats opaque terms as free, equal only to themselves', () => {
    const imported: ConditionOperand = { kind: 'opaque', key: 'ImportValue Env' };
    const a = cond('A', true, eq(imported, lit('prod')));
    const b = cond('B', true, eq(imported, lit('dev')));
    expect(canHoldTogether([a])).toBe(true);
    expect(canHoldTogether([a], [b])).toBe(false);
    const unknown: ConditionExpr = { kind: 'opaque', key: 'expr:Fn::Contains' };
    expect(canHoldTogether([cond('X', true, unknown)], [cond('Y', false, unknown)])).toBe(false);
    expect(canHoldTogether([cond('X', true, unknown)], [cond('Y', true, not(unknown))])).toBe(false);
  });

  it('reads what a Terraform instance "if created" implies (count = C ? 1 : 0)', () => {
    const created = (resource: string, c?: ConditionExpr): Condition =>
      c ? { kind: 'instance', resource, reason: 'count is not known: variable a has no default', created: c } : { kind: 'instance', resource, reason: 'unknown' };
    const a = or(eq(param('var.a'), lit('true')), eq(param('var.a'), lit('"true"')));
    // count = var.a ? 1 : 0 and count = var.a ? 0 : 1: never both.
    expect(canHoldTogether([created('r.on', a)], [created('r.off', not(a))])).toBe(false);
    // The same var.create: together.
    expect(canHoldTogether([created('r.one', a)], [created('r.two', a)])).toBe(true);
    // A module's variable is another parameter than the root's.
    const inModule = or(eq(param('module.m.var.a'), lit('true')), eq(param('module.m.var.a'), lit('"true"')));
    expect(canHoldTogether([created('r.on', a)], [created('module.m.r.off', not(inModule))])).toBe(true);
    // Without a definition an instance constrains nothing.
    expect(canHoldTogether([created('r.on', a)], [created('r.other')])).toBe(true);
    // With the values a variable has elsewhere: var.env == "prod" against a rule that assumes var.env is "dev".
    const prod = eq(param('var.env'), lit('"prod"'));
    expect(canHoldTogether([created('r.prod', prod)], [created('r.not-prod', not(prod))])).toBe(false);
    expect(canHoldTogether([created('r.prod', prod)], [created('r.dev', eq(param('var.env'), lit('"dev"')))])).toBe(false);
    expect(canHoldTogether([created('r.prod', prod), cond('IsProd', true, IS_PROD)])).toBe(true);
    // An opaque boolean (length(var.subnets) > 0) is itself in both.
    const some: ConditionExpr = { kind: 'opaque', key: 'length(var.subnets) > 0' };
    expect(canHoldTogether([created('r.with', some)], [created('r.without', not(some))])).toBe(false);
    expect(canHoldTogether([created('r.with', some)], [created('r.without', not({ kind: 'opaque', key: 'length(var.other) > 0' }))])).toBe(true);
  });

  it('stays fast on many independent conditions', () => {
    const many = Array.from({ length: 400 }, (_, i) => cond(`C${i}`, i % 2 === 0, eq(param(`P${i}`), lit('x'))));
    const start = Date.now();
    expect(canHoldTogether(many)).toBe(true);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe('condition text and identity', () => {
  it.each<[Condition, string, string, boolean]>([
    [cond('IsProd', true), 'when condition IsProd is true', 'condition:IsProd=true', true],
    [{ kind: 'parameter', name: 'AdminCidr', value: '10.0.0.0/8', source: 'default' }, 'via parameter AdminCidr default', 'parameter:AdminCidr=10.0.0.0/8', false],
    [allowed('AdminCidr', '0.0.0.0/0'), 'when parameter AdminCidr is 0.0.0.0/0 (AllowedValues)', 'parameter:AdminCidr=0.0.0.0/0', true],
    [{ kind: 'variable', name: 'cidr', value: '10.0.0.0/8' }, 'via variable cidr default', 'variable:cidr=10.0.0.0/8', false],
    [{ kind: 'instance', resource: 'aws_security_group.a', instance: 'aws_security_group.a[0]', count: 3 }, 'assuming instance aws_security_group.a[0] of 3', 'instance:aws_security_group.a[0]', false],
    [{ kind: 'instance', resource: 'aws_security_group.a', reason: 'count is not known: x' }, 'if created: aws_security_group.a (count is not known: x)', 'instance:aws_security_group.a[*]', false],
  ])('%j', (c, text, key, conditional) => {
    expect(describeCondition(c)).toBe(text);
    expect(conditionKey(c)).toBe(key);
    expect(isConditionalCondition(c)).toBe(conditional);
  });
});
