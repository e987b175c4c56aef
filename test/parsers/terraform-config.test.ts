import { describeConditions } from '../../src/model/conditions';
import { parseTerraformHcl, parseTerraformJson, parseTerraformPlan } from '../../src/parsers/terraform';
import { fixture, group, ROOT, ruleKey, ruleKeys } from './terraform-helpers';

const opts = { cwd: ROOT };

describe('parseTerraformHcl', () => {
  let hcl: Awaited<ReturnType<typeof parseTerraformHcl>>;
  beforeAll(async () => {
    hcl = await parseTerraformHcl([fixture('hcl', 'main.tf')], opts);
  });

  test('one ParsedInput for the file, format terraform-hcl, no errors', () => {
    expect(hcl).toHaveLength(1);
    expect(hcl[0]?.format).toBe('terraform-hcl');
    expect(hcl[0]?.errors).toEqual([]);
  });

  test('nested ingress blocks are located at their own lines, fields at the attribute values', () => {
    const bastion = group(hcl, 'aws_security_group.bastion');
    expect(bastion.location).toMatchObject({ line: 18, column: 1, endLine: 36 });
    const ssh = bastion.ingress[0];
    expect(ssh?.location).toMatchObject({ line: 23, column: 3, endLine: 28, endColumn: 4 });
    expect(ssh?.fieldLocations?.ports).toMatchObject({ line: 24, column: 19 });
    expect(ssh?.fieldLocations?.protocol).toMatchObject({ line: 26, column: 19 });
    expect(ssh?.fieldLocations?.peer).toMatchObject({ line: 27, column: 20 });
    expect(bastion.ingress[2]?.location.line).toBe(30);
  });

  test('variable defaults are used with an assumption; a variable without default is Unknown', () => {
    const [admin, office] = group(hcl, 'aws_security_group.bastion').ingress;
    expect(admin?.peer.known && admin.peer.value.kind === 'cidr' && admin.peer.value.cidr).toBe('198.51.100.0/24');
    expect(describeConditions(admin?.conditions ?? [])).toEqual(['via variable admin_cidr default']);
    expect(office?.peer).toEqual({ known: false, reason: 'variable office_cidr has no default' });
    expect(office?.entry).toBe(admin?.entry);
  });

  test('templates with locals are evaluated; ICMP type/code are not ports', () => {
    const bastion = group(hcl, 'aws_security_group.bastion');
    expect(bastion.name).toEqual({ known: true, value: 'bastion-prod' });
    const icmp = bastion.ingress[2];
    expect(icmp?.protocol).toEqual({ known: true, value: { kind: 'icmp' } });
    expect(icmp?.ports).toEqual({ known: true, value: null });
    expect(icmp?.icmp).toEqual({ type: -1, code: -1 });
  });

  test('suppression comments: sg-lint above the resource, checkov inside it (for the whole resource, as checkov reads it), tfsec on the block line', () => {
    const bastion = group(hcl, 'aws_security_group.bastion');
    expect(bastion.suppressions).toEqual([
      { rule: 'open-admin-port', reason: 'bastion is reached over a VPN only', origin: 'sg-lint', location: expect.objectContaining({ line: 17, column: 1 }) },
      { rule: 'CKV_AWS_24', reason: 'reviewed', origin: 'checkov', location: expect.objectContaining({ line: 22, column: 3 }) },
    ]);
    expect(bastion.ingress[0]?.suppressions).toBeUndefined();
    expect(bastion.ingress[2]?.suppressions).toEqual([
      { rule: 'aws-ec2-no-public-ingress-sgr', expires: '2030-01-01', origin: 'tfsec', location: expect.objectContaining({ line: 30, column: 13 }) },
    ]);
  });

  test('dynamic blocks over a literal local are expanded; over an unknown collection they are Unknown', () => {
    const app = group(hcl, 'aws_security_group.app');
    const dyn = app.ingress.filter((r) => r.declaredAs === 'inline');
    expect(dyn.map(ruleKey)).toEqual([
      'ingress inline aws_security_group.app tcp 80-80 0.0.0.0/0',
      'ingress inline aws_security_group.app tcp 443-443 0.0.0.0/0',
    ]);
    expect(dyn[1]?.location.line).toBe(41);
    expect(app.egress).toHaveLength(1);
    expect(app.egress[0]?.peer).toEqual({ known: false, reason: 'dynamic "egress" over variable office_cidr has no default' });
  });

  test('for_each instances get Terraform addresses; functions are evaluated', () => {
    expect(ruleKeys(group(hcl, 'aws_security_group.tier["api"]'))).toEqual([
      'ingress inline aws_security_group.tier["api"] tcp 9090-9090 sg:aws_security_group.app',
    ]);
    const app = group(hcl, 'aws_security_group.app');
    expect(app.mixedRuleStyles).toBe(true);
    const computed = app.ingress.find((r) => r.resource === 'aws_security_group_rule.computed');
    expect(computed?.peer.known && computed.peer.value.kind === 'cidr' && computed.peer.value.cidr).toBe('10.1.0.0/16');
    const self = app.ingress.find((r) => r.resource === 'aws_security_group_rule.app_self');
    expect(self?.peer).toEqual({ known: true, value: { kind: 'security-group', ref: 'aws_security_group.app', inModel: true, self: true } });
  });

  test('local modules are followed with the call arguments bound; modules not installed and cycles are notices', () => {
    const db = group(hcl, 'module.db.aws_security_group.this');
    expect(db.name).toEqual({ known: true, value: 'db' });
    expect(db.location.file).toBe('fixtures/parsers/terraform/hcl/modules/sg/main.tf');
    expect(ruleKeys(db)).toEqual(['ingress standalone module.db.aws_vpc_security_group_ingress_rule.from_app tcp 5432-5432 sg:aws_security_group.app']);
    expect(db.attachments).toMatchObject([{ resource: 'module.db.aws_db_instance.db', category: 'database', ports: [3306] }]);
    const messages = hcl[0]?.notices.map((n) => n.message);
    expect(messages).toContain('module module.db.module.loop: ../sg is already being read (module cycle); not followed');
    expect(messages).toContain('module remote (terraform-aws-modules/security-group/aws) is not installed: run terraform init');
  });

  test('attachments: load balancer and cache with engine port; users keep literal ids', () => {
    expect(group(hcl, 'aws_security_group.app').attachments).toMatchObject([{ resource: 'aws_lb.front', category: 'load-balancer' }]);
    expect(group(hcl, 'aws_security_group.tier["api"]').attachments).toMatchObject([{ resource: 'aws_elasticache_cluster.cache', ports: [6379] }]);
    const lb = hcl[0]?.users.find((u) => u.resource === 'aws_lb.front');
    expect(lb?.groups).toEqual([
      { known: true, value: 'aws_security_group.app' },
      { known: true, value: 'sg-0123456789abcdef0' },
    ]);
  });

  test('count with an unknown value gives a [*] address with an assumption', async () => {
    const [r] = await parseTerraformHcl(
      [{ file: 'x/main.tf', text: 'variable "n" {}\nresource "aws_security_group" "g" {\n  count = var.n\n}\n' }],
      opts,
    );
    const g = group(r ?? [], 'aws_security_group.g[*]');
    expect(describeConditions(g.conditions)).toEqual(['if created: aws_security_group.g (count is not known: variable n has no default)']);
  });

  test('a syntax error is reported with line and column and does not throw', async () => {
    const [r] = await parseTerraformHcl([{ file: 'bad/main.tf', text: 'resource "aws_security_group" "x" {\n  name = \n}\n' }], opts);
    expect(r?.errors).toHaveLength(1);
    expect(r?.errors[0]).toMatchObject({ file: 'bad/main.tf', line: 2 });
    expect(r?.errors[0]?.message).toMatch(/^HCL syntax error/);
    expect(r?.groups).toEqual([]);
  });
});

describe('parseTerraformJson', () => {
  const inputs = parseTerraformJson([fixture('json', 'main.tf.json'), fixture('json', 'rules.tf.json')], opts);

  test('one ParsedInput per file; each group and rule located in its own file', () => {
    expect(inputs.map((i) => [i.file, i.format, i.errors.length])).toEqual([
      ['fixtures/parsers/terraform/json/main.tf.json', 'terraform-json', 0],
      ['fixtures/parsers/terraform/json/rules.tf.json', 'terraform-json', 0],
    ]);
    const lb = group(inputs, 'aws_security_group.lb');
    expect(lb.location).toMatchObject({ file: 'fixtures/parsers/terraform/json/main.tf.json', line: 10 });
    const webAll = lb.egress.find((r) => r.resource === 'aws_security_group_rule.web_all');
    expect(webAll?.location).toMatchObject({ file: 'fixtures/parsers/terraform/json/rules.tf.json', line: 5 });
    expect(lb.mixedRuleStyles).toBe(true);
  });

  test('"//" comments are kept and sg-lint-ignore ones become suppressions', () => {
    const lb = group(inputs, 'aws_security_group.lb');
    expect(lb.comments).toEqual(['sg-lint-ignore open-https-world: public load balancer', 'owner: web team']);
    expect(lb.suppressions).toMatchObject([{ rule: 'open-https-world', reason: 'public load balancer', origin: 'sg-lint' }]);
    const unknownCidr = group(inputs, 'aws_security_group.web[1]').ingress.filter((r) => r.resource === 'aws_security_group_rule.unknown_cidr');
    expect(unknownCidr[0]?.suppressions).toMatchObject([{ rule: 'open-db-port', reason: 'temporary', origin: 'sg-lint' }]);
    expect(unknownCidr[0]?.comments).toEqual(['sg-lint-ignore open-db-port: temporary']);
  });

  test('interpolations: variables with and without default, locals, unevaluable functions', () => {
    const web1 = group(inputs, 'aws_security_group.web[1]');
    const admin = web1.ingress.find((r) => r.peer.known && r.peer.value.kind === 'cidr' && r.peer.value.cidr === '203.0.113.0/24');
    expect(describeConditions(admin?.conditions ?? [])).toEqual(['via variable admin_cidr default']);
    const unknownCidr = web1.ingress.filter((r) => r.resource === 'aws_security_group_rule.unknown_cidr');
    expect(unknownCidr.map((r) => r.peer)).toEqual([
      { known: false, reason: 'variable no_default has no default' },
      { known: false, reason: 'Reference to undeclared input variable: An input variable with the name "list" has not been declared.' },
    ]);
    expect(group(inputs, 'aws_security_group.lb').ingress[0]?.ports).toEqual({ known: true, value: { from: 443, to: 443 } });
  });

  test('invalid JSON is an error with line and column', () => {
    const [r] = parseTerraformJson([{ file: 'b/x.tf.json', text: '{"resource": {\n  "aws_security_group": [}\n}' }]);
    expect(r?.errors).toEqual([{ file: 'b/x.tf.json', message: expect.any(String), line: 2, column: 26 }]);
  });
});

describe('the same groups written as a plan, as .tf and as .tf.json give the same rules', () => {
  const planFile = fixture('plan', 'plan.json');
  const plan = parseTerraformPlan(planFile.text, planFile.file);
  const json = parseTerraformJson([fixture('json', 'main.tf.json'), fixture('json', 'rules.tf.json')], opts);
  let hcl: Awaited<ReturnType<typeof parseTerraformHcl>>;
  beforeAll(async () => {
    hcl = await parseTerraformHcl([fixture('plan', 'main.tf')], opts);
  });

  test.each(['aws_security_group.lb', 'aws_security_group.web[0]', 'aws_security_group.svc["a"]', 'module.db.aws_security_group.db'])(
    'plan and .tf agree on %s',
    (address) => {
      expect(ruleKeys(group(hcl, address))).toEqual(ruleKeys(group(plan, address)));
      expect(group(hcl, address).mixedRuleStyles).toBe(group(plan, address).mixedRuleStyles);
    },
  );

  test.each(['aws_security_group.lb', 'aws_security_group.web[0]'])('plan and .tf.json agree on %s', (address) => {
    expect(ruleKeys(group(json, address))).toEqual(ruleKeys(group(plan, address)));
  });
});
