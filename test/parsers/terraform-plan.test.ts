import { looksLikeTerraformJson, looksLikeTerraformPlan, parseTerraformPlan } from '../../src/parsers/terraform';
import { fixture, group, ruleKeys } from './terraform-helpers';

const plan = fixture('plan', 'plan.json');
const parsed = parseTerraformPlan(plan.text, plan.file);

describe('parseTerraformPlan on a real Terraform 1.11 plan', () => {
  test('reads every group of the root module, count/for_each instances and the child module', () => {
    expect(parsed.format).toBe('terraform-plan');
    expect(parsed.errors).toEqual([]);
    expect(parsed.notices).toEqual([]);
    expect(parsed.groups.map((g) => g.address).sort()).toEqual([
      'aws_default_security_group.default',
      'aws_security_group.lb',
      'aws_security_group.svc["a"]',
      'aws_security_group.svc["b"]',
      'aws_security_group.web[0]',
      'aws_security_group.web[1]',
      'module.db.aws_security_group.db',
    ]);
  });

  test('expands each CIDR of an inline rule into its own SgRule sharing the entry', () => {
    const lb = group(parsed, 'aws_security_group.lb');
    const https = lb.ingress.filter((r) => r.entry === 'aws_security_group.lb.ingress[0]');
    expect(https.map((r) => (r.peer.known && r.peer.value.kind === 'cidr' ? r.peer.value.cidr : '?'))).toEqual(['0.0.0.0/0', '::/0']);
    expect(https[0]?.ports).toEqual({ known: true, value: { from: 443, to: 443 } });
    expect(https[0]?.description).toEqual({ known: true, value: 'https from anywhere' });
    expect(https[0]?.declaredAs).toBe('inline');
    expect(lb.implicitEgress).toBe(false);
    expect(lb.location.file).toBe(plan.file);
  });

  test('normalizes protocol spellings: "6", "TCP", "all" and -1', () => {
    const lb = group(parsed, 'aws_security_group.lb');
    expect(lb.egress.find((r) => r.resource === 'aws_security_group.lb')?.protocol).toEqual({ known: true, value: { kind: 'tcp' } });
    const all = lb.egress.find((r) => r.resource === 'aws_security_group_rule.web_all');
    expect(all?.protocol).toEqual({ known: true, value: { kind: 'all' } });
    expect(all?.ports).toEqual({ known: true, value: { from: 0, to: 65535 } });
    const svcA = group(parsed, 'aws_security_group.svc["a"]');
    const fromLb = svcA.ingress.find((r) => r.resource === 'aws_vpc_security_group_ingress_rule.svc_from_lb');
    expect(fromLb?.protocol).toEqual({ known: true, value: { kind: 'tcp' } });
    const out = group(parsed, 'aws_security_group.svc["b"]').egress[0];
    expect(out?.protocol).toEqual({ known: true, value: { kind: 'all' } });
    expect(out?.peer.known && out.peer.value.kind === 'cidr' && out.peer.value.cidr).toBe('::/0');
  });

  test('links rules whose security_group_id is known only after apply through configuration references', () => {
    // for_each rule -> the matching instance via each.key
    expect(group(parsed, 'aws_security_group.svc["a"]').ingress.map((r) => r.resource)).toEqual([
      'aws_security_group_rule.svc_in["a"]',
      'aws_vpc_security_group_ingress_rule.svc_from_lb',
    ]);
    expect(group(parsed, 'aws_security_group.svc["b"]').ingress.map((r) => r.resource)).toEqual(['aws_security_group_rule.svc_in["b"]']);
    // a referenced group that is itself unknown until apply
    const fromLb = group(parsed, 'aws_security_group.svc["a"]').ingress[1];
    expect(fromLb?.peer).toEqual({ known: true, value: { kind: 'security-group', ref: 'aws_security_group.lb', inModel: true, self: false } });
  });

  test('resolves a module variable to the group passed in by the caller', () => {
    const db = group(parsed, 'module.db.aws_security_group.db');
    const pg = db.ingress.find((r) => r.resource === 'module.db.aws_security_group_rule.pg');
    expect(pg?.peer).toEqual({ known: true, value: { kind: 'security-group', ref: 'aws_security_group.web[0]', inModel: true, self: false } });
    expect(pg?.declaredAs).toBe('standalone');
    const admin = db.ingress.find((r) => r.resource === 'module.db.aws_vpc_security_group_ingress_rule.admin');
    expect(admin?.peer.known && admin.peer.value.kind === 'cidr' && admin.peer.value.cidr).toBe('203.0.113.0/24');
  });

  test('marks self rules, inline security_groups from references, and mixed rule styles', () => {
    const web1 = group(parsed, 'aws_security_group.web[1]');
    expect(ruleKeys(web1)).toEqual([
      'egress inline aws_security_group.web[1] all 0-65535 0.0.0.0/0',
      'ingress inline aws_security_group.web[1] tcp 22-22 10.0.0.0/8',
      'ingress inline aws_security_group.web[1] tcp 22-22 203.0.113.0/24',
      'ingress inline aws_security_group.web[1] tcp 22-22 sg:aws_security_group.web[1]:self',
      'ingress inline aws_security_group.web[1] tcp 8080-8080 sg:aws_security_group.lb',
    ]);
    expect(group(parsed, 'aws_security_group.lb').mixedRuleStyles).toBe(true);
    expect(web1.mixedRuleStyles).toBeUndefined();
  });

  test('default group has kind default and no rules when none are configured', () => {
    const d = group(parsed, 'aws_default_security_group.default');
    expect(d.kind).toBe('default');
    expect(d.ingress).toEqual([]);
    expect(d.egress).toEqual([]);
  });

  test('attachments and users, with engine default ports', () => {
    expect(group(parsed, 'module.db.aws_security_group.db').attachments).toMatchObject([
      { resource: 'module.db.aws_db_instance.pg', type: 'aws_db_instance', category: 'database', ports: [5432] },
    ]);
    const users = parsed.users.map((u) => [u.resource, u.groups]);
    expect(users).toContainEqual(['aws_instance.web[1]', [{ known: true, value: 'aws_security_group.web[1]' }]]);
  });

  test('changedResources lists what the plan creates or updates', () => {
    expect(parsed.changedResources).toContain('module.db.aws_security_group_rule.pg');
    expect(parsed.changedResources).toContain('aws_security_group.web[0]');
    expect(parsed.changedResources).toHaveLength(18);
  });
});

describe('parseTerraformPlan on small inputs', () => {
  const minimal = (after: object, afterUnknown: object, expressions: object = {}): string =>
    JSON.stringify({
      format_version: '1.2',
      planned_values: {
        root_module: { resources: [{ address: 'aws_security_group_rule.r', mode: 'managed', type: 'aws_security_group_rule', name: 'r', values: after }] },
      },
      resource_changes: [{ address: 'aws_security_group_rule.r', type: 'aws_security_group_rule', name: 'r', change: { actions: ['update'], after, after_unknown: afterUnknown } }],
      configuration: { root_module: { resources: [{ address: 'aws_security_group_rule.r', type: 'aws_security_group_rule', name: 'r', expressions }] } },
    });

  test('values unknown at plan time are Unknown "known after apply"', () => {
    const text = minimal(
      { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 22, security_group_id: 'sg-0abc' },
      { cidr_blocks: true },
      { cidr_blocks: { references: ['aws_vpc.main.cidr_block'] } },
    );
    const p = parseTerraformPlan(text, 'p.json');
    const g = group(p, 'sg-0abc');
    expect(g.kind).toBe('external');
    expect(g.ingress[0]?.peer).toEqual({ known: false, reason: 'known after apply' });
    expect(p.changedResources).toEqual(['aws_security_group_rule.r']);
  });

  test('reads state JSON (values.root_module) as terraform-state', () => {
    const text = JSON.stringify({
      format_version: '1.0',
      values: {
        root_module: {
          resources: [
            {
              address: 'aws_security_group.s',
              mode: 'managed',
              type: 'aws_security_group',
              name: 's',
              values: { name: 's', description: 'd', ingress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false, description: '' }], egress: [] },
            },
          ],
        },
      },
    });
    const s = parseTerraformPlan(text, 's.json');
    expect(s.format).toBe('terraform-state');
    expect(s.changedResources).toBeUndefined();
    expect(ruleKeys(group(s, 'aws_security_group.s'))).toEqual(['ingress inline aws_security_group.s all 0-65535 0.0.0.0/0']);
    expect(group(s, 'aws_security_group.s').ingress[0]?.description).toEqual({ known: true, value: undefined });
  });

  test('invalid JSON is an error with line and column, not an exception', () => {
    const p = parseTerraformPlan('{\n  "format_version": "1.2",\n  "planned_values": {,\n}', 'bad.json');
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatchObject({ file: 'bad.json', line: 3, column: 22 });
    expect(p.groups).toEqual([]);
  });

  test('an unsupported major format version is an error', () => {
    const p = parseTerraformPlan('{"format_version": "2.0", "planned_values": {}}', 'v2.json');
    expect(p.errors[0]?.message).toBe('unsupported Terraform JSON format_version 2.0 (sg-lint reads 0.x and 1.x)');
  });
});

describe('content detection', () => {
  test('plans and state are recognised; configuration and CloudFormation are not plans', () => {
    expect(looksLikeTerraformPlan(plan.text)).toBe(true);
    expect(looksLikeTerraformPlan('{"format_version":"1.0","values":{"root_module":{}}}')).toBe(true);
    expect(looksLikeTerraformPlan('{"resource":{}}')).toBe(false);
    expect(looksLikeTerraformPlan('{"format_version": "1.2", "planned_values": {')).toBe(true);
  });

  test('a plan whose keys are written with \\u escapes is still a plan (JSON reads them as the same keys)', () => {
    expect(looksLikeTerraformPlan('{"format\\u005fversion":"1.0","planned_values":{}}')).toBe(true);
    expect(looksLikeTerraformPlan('{"\\u0066ormat_version":"1.0","resource_changes":[]}')).toBe(true);
    expect(looksLikeTerraformPlan('{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"A":{"Type":"AWS::EC2::SecurityGroup"}}}')).toBe(false);
  });

  test('.tf.json configuration is recognised by its top-level keys', () => {
    expect(looksLikeTerraformJson('{"resource":{"aws_security_group":{}}}')).toBe(true);
    expect(looksLikeTerraformJson('{"variable":{"x":{}}}')).toBe(true);
    expect(looksLikeTerraformJson(plan.text)).toBe(false);
    expect(looksLikeTerraformJson('{"Resources":{},"resource":{}}')).toBe(false);
    expect(looksLikeTerraformJson('not json')).toBe(false);
  });
});

describe('parseTerraformPlan: prefix lists created in the same plan', () => {
  // fixtures/parsers/terraform/plan-prefix-lists: a real plan (Terraform 1.11.4, AWS provider 5.100.0). The list's id
  // is known only after apply, so Terraform marks prefix_list_ids / prefix_list_id unknown (the whole attribute);
  // the configuration's references name the list, as they name groups.
  const pl = fixture('plan-prefix-lists', 'plan.json');
  const model = parseTerraformPlan(pl.text, pl.file);

  test('links each rule to the managed prefix list its configuration references', () => {
    expect(model.errors).toEqual([]);
    const web = group(model, 'aws_security_group.web');
    const peers = web.ingress.map((r) => [r.resource, r.peer.known ? JSON.stringify(r.peer.value) : `unknown ${r.peer.reason}`]);
    expect(peers).toEqual([
      ['aws_security_group_rule.https', '{"kind":"prefix-list","id":"aws_ec2_managed_prefix_list.office.id"}'],
      ['aws_security_group_rule.joined', '{"kind":"prefix-list","id":"aws_ec2_managed_prefix_list.office.id"}'],
      ['aws_vpc_security_group_ingress_rule.ssh', '{"kind":"prefix-list","id":"aws_ec2_managed_prefix_list.office.id"}'],
    ]);
  });
});
