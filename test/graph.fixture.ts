// A small hand-built model for the graph tests: a web group open to the internet, a database group behind it.
import type { Finding } from '../src/engine/types';
import type { Attachment, ParsedInput, SgRule } from '../src/model/types';
import { group, LOC, rule } from './model/build';
import type { RuleSpec } from './model/build';

/** A rule of `groupAddress` written at `line` (inline, so resource = group). */
export function ruleIn(groupAddress: string, line: number, spec: RuleSpec): SgRule {
  const location = { file: 'test.yaml', line, column: 9, endLine: line, endColumn: 40 };
  return { ...rule(spec), group: groupAddress, resource: groupAddress, entry: `${groupAddress}:${line}`, location };
}

function attachment(resource: string, type: string, ports?: number[]): Attachment {
  return { resource, type, category: 'other', ...(ports ? { ports } : {}), location: { ...LOC, line: 90 } };
}

/** WebSg (internet on 443, an office on 22) guards WebServer; DbSg (WebSg on 5432, the internet on 3306) guards Database. */
export function fixtureInput(): ParsedInput {
  const web = group('WebSg', [
    ruleIn('WebSg', 10, { from: 443, to: 443, peer: '0.0.0.0/0' }),
    ruleIn('WebSg', 11, { from: 443, to: 443, peer: '::/0' }),
    ruleIn('WebSg', 12, { from: 22, to: 22, peer: '203.0.113.0/24' }),
    ruleIn('WebSg', 13, { from: 80, to: 80, peer: '0.0.0.0/0' }),
    { ...ruleIn('WebSg', 14, { proto: -1, peer: '0.0.0.0/0', direction: 'egress' }), declaredAs: 'implicit' },
  ]);
  web.attachments = [attachment('WebServer', 'AWS::EC2::Instance')];
  const db = group('DbSg', [
    ruleIn('DbSg', 20, {
      from: 5432,
      to: 5432,
      peer: { kind: 'security-group', ref: 'WebSg', inModel: true, self: false },
    }),
    ruleIn('DbSg', 21, { from: 3306, to: 3306, peer: '0.0.0.0/0' }),
    ruleIn('DbSg', 22, { from: 443, to: 443, peer: { kind: 'prefix-list', id: 'pl-0123abcd' }, direction: 'egress' }),
  ]);
  db.attachments = [attachment('Database', 'AWS::RDS::DBInstance', [5432])];
  return { file: 'test.yaml', format: 'cloudformation-yaml', groups: [web, db], users: [], errors: [], notices: [] };
}

/** A finding as the engine would report it. */
export function finding(partial: Partial<Finding> & Pick<Finding, 'ruleId' | 'severity' | 'line'>): Finding {
  return {
    message: 'm',
    file: 'test.yaml',
    column: 9,
    endLine: partial.line,
    endColumn: 2,
    resource: partial.securityGroup ?? 'x',
    fingerprint: `${partial.ruleId}:${partial.line}`,
    ...partial,
  };
}

/** An error on DbSg's 3306 rule, a warning on WebSg as a whole, and a suppressed error on WebSg's 443 rule. */
export function fixtureFindings(): Finding[] {
  return [
    finding({ ruleId: 'open-db-port', severity: 'error', line: 21, securityGroup: 'DbSg', resource: 'DbSg' }),
    finding({ ruleId: 'no-dedicated-ssh-group', severity: 'warning', line: 1, securityGroup: 'WebSg', resource: 'WebSg' }),
    finding({
      ruleId: 'open-admin-port',
      severity: 'error',
      line: 10,
      securityGroup: 'WebSg',
      resource: 'WebSg',
      suppression: { kind: 'inSource', justification: 'public site', origin: 'sg-lint' },
    }),
  ];
}
