// The fixture annotation readers the harness and the docs generator rely on.
import { CFN_JSON_READER, COMMENT_READER, compareFindings, parseExpectList, TF_JSON_READER } from '../src/docs/fixtures';
import type { Fixture } from '../src/docs/fixtures';
import type { Finding } from '../src/engine/types';

function finding(ruleId: string, line: number, resource: string): Finding {
  return { ruleId, severity: 'error', message: 'm', file: 'f', line, column: 1, endLine: line, endColumn: 2, resource, fingerprint: 'x' };
}

describe('parseExpectList', () => {
  it('reads ids, repetition counts and ignores parenthesised notes', () => {
    expect(parseExpectList('open-admin-port x2, open-db-port (one per entry)')).toEqual(['open-admin-port', 'open-admin-port', 'open-db-port']);
    expect(() => parseExpectList('Open_Admin')).toThrow('bad token "Open_Admin"');
  });
});

describe('readers', () => {
  it('reads the config line and expect comments with their line numbers', () => {
    const text = '# sg-lint-config: {"threshold": 3}\nResources:\n  A: # expect: excessive-rules\n  B: # ok: excessive-rules\n';
    expect(COMMENT_READER.read(text)).toEqual({ config: { threshold: 3 }, expectations: [{ ruleId: 'excessive-rules', line: 3 }] });
    expect(COMMENT_READER.read('ingress { // expect: open-admin-port\n}').expectations).toEqual([{ ruleId: 'open-admin-port', line: 1 }]);
  });

  it('reads CloudFormation JSON Metadata', () => {
    const text = JSON.stringify({
      Metadata: { 'sg-lint:test': { config: { reportPublic: false } } },
      Resources: { DbSg: { Type: 'AWS::EC2::SecurityGroup', Metadata: { 'sg-lint:test': { expect: ['open-db-port', 'open-db-port'] } } } },
    });
    expect(CFN_JSON_READER.read(text)).toEqual({
      config: { reportPublic: false },
      expectations: [
        { ruleId: 'open-db-port', resource: 'DbSg' },
        { ruleId: 'open-db-port', resource: 'DbSg' },
      ],
    });
  });

  it('reads Terraform JSON "//" comments', () => {
    const text = JSON.stringify({
      '//': 'sg-lint-config: {"quota": 5}',
      resource: { aws_security_group: { web: { '//': 'expect: open-admin-port x2', name: 'web' } } },
    });
    expect(TF_JSON_READER.read(text)).toEqual({
      config: { quota: 5 },
      expectations: [
        { ruleId: 'open-admin-port', resource: 'aws_security_group.web' },
        { ruleId: 'open-admin-port', resource: 'aws_security_group.web' },
      ],
    });
  });
});

describe('compareFindings', () => {
  const byLine: Fixture = { path: 'fixtures/rules/x/bad.cfn.yaml', kind: 'bad', config: {}, expectations: [{ ruleId: 'x', line: 3 }, { ruleId: 'x', line: 3 }] };

  it('compares multisets on line', () => {
    expect(compareFindings(byLine, [finding('x', 3, 'A'), finding('x', 3, 'A')])).toEqual({ missing: [], unexpected: [] });
    expect(compareFindings(byLine, [finding('x', 3, 'A'), finding('x', 4, 'A')])).toEqual({
      missing: ['x @ line 3'],
      unexpected: ['x @ line 4: m'],
    });
  });

  it('compares on resource for JSON fixtures, count included', () => {
    const byResource: Fixture = { path: 'fixtures/rules/x/bad.cfn.json', kind: 'bad', config: {}, expectations: [{ ruleId: 'x', resource: 'A' }] };
    expect(compareFindings(byResource, [finding('x', 9, 'A'), finding('x', 12, 'A')])).toEqual({ missing: [], unexpected: ['x @ A: m'] });
  });
});
