// State JSON (`terraform show -json` of state): AWS echoes the rules that standalone rule resources created into their
// group's own ingress/egress, and every group reference is a literal id. Each rule must be counted once, in its group.
import { CACHE_ENGINE_PORTS, defaultPortsForEngine, RDS_ENGINE_PORTS, RDS_PROXY_ENGINE_PORTS } from '../../src/model/engine-ports';
import { parseTerraformPlan } from '../../src/parsers/terraform';
import { attachmentPorts, ATTACHMENTS } from '../../src/parsers/terraform/attachments';
import { scalar } from '../../src/parsers/terraform/values';
import { group, ruleKeys } from './terraform-helpers';

interface Inline {
  protocol: string;
  from_port: number;
  to_port: number;
  cidr_blocks: string[];
  ipv6_cidr_blocks: string[];
  prefix_list_ids: string[];
  security_groups: string[];
  self: boolean;
  description: string;
}

/** An inline entry as state holds it (every attribute present), tcp on one port unless said otherwise. */
function inline(rule: Partial<Inline> & Pick<Inline, 'from_port' | 'cidr_blocks'>): Inline {
  return { protocol: 'tcp', to_port: rule.from_port, ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false, description: '', ...rule };
}

function resource(type: string, name: string, values: object): object {
  return { address: `${type}.${name}`, mode: 'managed', type, name, values };
}

function state(...resources: object[]): string {
  return JSON.stringify({ format_version: '1.0', values: { root_module: { resources } } });
}

/** A group `sg-1` with two inline entries echoed from rule resources and one of its own. */
const WEB = resource('aws_security_group', 'web', {
  id: 'sg-1',
  name: 'web',
  description: 'web',
  ingress: [
    inline({ from_port: 22, cidr_blocks: ['10.0.0.0/8'] }),
    inline({ from_port: 443, cidr_blocks: ['0.0.0.0/0'], description: 'https' }),
    inline({ from_port: 5432, cidr_blocks: ['10.1.0.0/16'], description: 'db' }),
  ],
  egress: [],
});

const SSH_VALUES = {
  type: 'ingress',
  security_group_id: 'sg-1',
  protocol: 'tcp',
  from_port: 22,
  to_port: 22,
  cidr_blocks: ['10.0.0.0/8'],
  description: null,
};
const SSH_RULE = resource('aws_security_group_rule', 'ssh', SSH_VALUES);

const DB_RULE = resource('aws_vpc_security_group_ingress_rule', 'db', {
  security_group_id: 'sg-1',
  ip_protocol: 'tcp',
  from_port: 5432,
  to_port: 5432,
  cidr_ipv4: '10.1.0.0/16',
  description: 'database clients',
});

describe('state: inline copies of standalone rules', () => {
  test('a standalone rule given by literal group id joins that group, and its inline echo is dropped', () => {
    const s = parseTerraformPlan(state(WEB, SSH_RULE), 's.json');
    expect(s.format).toBe('terraform-state');
    expect(s.groups.map((g) => g.address)).toEqual(['aws_security_group.web']);
    expect(ruleKeys(group(s, 'aws_security_group.web'))).toEqual([
      'ingress inline aws_security_group.web tcp 443-443 0.0.0.0/0',
      'ingress inline aws_security_group.web tcp 5432-5432 10.1.0.0/16',
      'ingress standalone aws_security_group_rule.ssh tcp 22-22 10.0.0.0/8',
    ]);
  });

  test('an inline entry that differs in description from the rule resource is a rule of its own and stays', () => {
    const s = parseTerraformPlan(state(WEB, DB_RULE), 's.json');
    expect(ruleKeys(group(s, 'aws_security_group.web'))).toEqual([
      'ingress inline aws_security_group.web tcp 22-22 10.0.0.0/8',
      'ingress inline aws_security_group.web tcp 443-443 0.0.0.0/0',
      'ingress inline aws_security_group.web tcp 5432-5432 10.1.0.0/16',
      'ingress standalone aws_vpc_security_group_ingress_rule.db tcp 5432-5432 10.1.0.0/16',
    ]);
  });

  test('a group whose inline entries are all echoes is not reported as mixing rule styles', () => {
    const only = resource('aws_security_group', 'only', { id: 'sg-2', name: 'only', description: 'x', ingress: [inline({ from_port: 22, cidr_blocks: ['10.0.0.0/8'] })], egress: [] });
    const rule = resource('aws_security_group_rule', 'r', { ...SSH_VALUES, security_group_id: 'sg-2' });
    const s = parseTerraformPlan(state(only, rule, WEB, SSH_RULE), 's.json');
    const g = group(s, 'aws_security_group.only');
    expect(ruleKeys(g)).toEqual(['ingress standalone aws_security_group_rule.r tcp 22-22 10.0.0.0/8']);
    expect(g.mixedRuleStyles).toBeUndefined();
    expect(group(s, 'aws_security_group.web').mixedRuleStyles).toBe(true);
  });

  test('literal ids of attachments and group peers name the groups of the state', () => {
    const app = resource('aws_security_group', 'app', {
      id: 'sg-3',
      name: 'app',
      description: 'x',
      ingress: [inline({ from_port: 8080, cidr_blocks: [], security_groups: ['sg-1'] })],
      egress: [],
    });
    const instance = resource('aws_instance', 'i', { vpc_security_group_ids: ['sg-3'] });
    const s = parseTerraformPlan(state(WEB, app, instance), 's.json');
    expect(ruleKeys(group(s, 'aws_security_group.app'))).toEqual(['ingress inline aws_security_group.app tcp 8080-8080 sg:aws_security_group.web']);
    expect(group(s, 'aws_security_group.app').attachments).toMatchObject([{ resource: 'aws_instance.i', category: 'compute' }]);
  });
});

describe('engine default ports (one table for every parser)', () => {
  test('the longest matching prefix comes first; the match ignores case', () => {
    expect(defaultPortsForEngine('aurora-postgresql', RDS_ENGINE_PORTS)).toEqual([5432]);
    expect(defaultPortsForEngine('Aurora', RDS_ENGINE_PORTS)).toEqual([3306]);
    expect(defaultPortsForEngine('custom-sqlserver-ee', RDS_ENGINE_PORTS)).toEqual([1433]);
    expect(defaultPortsForEngine('POSTGRESQL', RDS_PROXY_ENGINE_PORTS)).toEqual([5432]);
    expect(defaultPortsForEngine('valkey', CACHE_ENGINE_PORTS)).toEqual([6379]);
    expect(defaultPortsForEngine('db2-se', RDS_ENGINE_PORTS)).toBeUndefined();
  });

  test('Terraform attachments: the port attribute wins, then the engine, then the default engine', () => {
    const body = (fields: Record<string, string | number>): Parameters<typeof attachmentPorts>[1] => ({
      kind: 'object',
      fields: new Map(Object.entries(fields).map(([k, v]) => [k, scalar(v)])),
    });
    const rds = ATTACHMENTS['aws_db_instance'];
    const redis = ATTACHMENTS['aws_elasticache_replication_group'];
    const proxy = ATTACHMENTS['aws_db_proxy'];
    if (!rds || !redis || !proxy) throw new Error('attachment table entries missing');
    expect(attachmentPorts(rds, body({ engine: 'postgres', port: 6000 }))).toEqual([6000]);
    expect(attachmentPorts(rds, body({ engine: 'aurora-postgresql' }))).toEqual([5432]);
    expect(attachmentPorts(redis, body({}))).toEqual([6379]);
    expect(attachmentPorts(proxy, body({ engine_family: 'SQLSERVER' }))).toEqual([1433]);
  });
});
