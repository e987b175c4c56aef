/** Hand-built lint results for the reporter tests: three files, four findings (one suppressed), one input error. */
import type { Finding, LintResult, RuleMeta } from '../../src/engine/types';
import type { ReportContext } from '../../src/reporters';

export const DOCS_BASE_URL = 'https://github.com/sg-lint/sg-lint/blob/main/docs/rules/';

/** Source texts of the linted files (broken.json has none: it could not be read). */
export const SOURCES: Record<string, string> = {
  'infra/web.yaml': [
    'Resources:',
    '  WebSg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: web',
    '      SecurityGroupIngress:',
    '        - IpProtocol: tcp',
    '          FromPort: 22',
    '          ToPort: 22',
    '          CidrIp: 0.0.0.0/0',
    '        - IpProtocol: tcp',
    '          FromPort: 80',
    '          ToPort: 80',
    '          CidrIp: 10.0.0.0/8',
    '',
  ].join('\n'),
  'infra/db.tf': [
    'resource "aws_security_group" "db" {',
    '  name = "db"',
    '  egress {',
    '    from_port   = 0',
    '    to_port     = 0',
    '    protocol    = "-1"',
    '    cidr_blocks = ["0.0.0.0/0"]',
    '  }',
    '}',
    '',
  ].join('\n'),
};

const OPEN_ADMIN_PORT: RuleMeta<object> = {
  id: 'open-admin-port',
  description: 'Disallow ingress to administration ports from the internet',
  defaultSeverity: 'error',
  tags: ['security', 'ingress', 'exposure'],
  securitySeverity: '8.1',
  recommended: true,
  references: { cis: ['5.2'], securityHub: ['EC2.13'] },
  options: {},
};

const RULE_MISSING_DESCRIPTION: RuleMeta<object> = {
  id: 'rule-missing-description',
  description: 'Require a description on every security group rule',
  defaultSeverity: 'note',
  tags: ['hygiene'],
  recommended: true,
  options: {},
};

const UNRESTRICTED_EGRESS: RuleMeta<object> = {
  id: 'unrestricted-egress',
  description: 'Disallow egress to the internet on all protocols',
  defaultSeverity: 'warning',
  tags: ['security', 'egress'],
  recommended: true,
  options: {},
};

/** The rules, sorted by id as the engine passes them. */
export const RULES: RuleMeta<object>[] = [OPEN_ADMIN_PORT, RULE_MISSING_DESCRIPTION, UNRESTRICTED_EGRESS];

/** The four findings, in engine order (file, line, column, ruleId). */
export function sampleFindings(): Finding[] {
  return [
    {
      ruleId: 'rule-missing-description',
      severity: 'note',
      message: 'Egress rule of aws_security_group.db has no description',
      file: 'infra/db.tf',
      line: 3,
      column: 3,
      endLine: 8,
      endColumn: 4,
      resource: 'aws_security_group.db',
      securityGroup: 'aws_security_group.db',
      fingerprint: 'fp-db-description',
    },
    {
      ruleId: 'unrestricted-egress',
      severity: 'warning',
      message: 'Egress to 0.0.0.0/0 on all protocols',
      file: 'infra/db.tf',
      line: 7,
      column: 20,
      endLine: 7,
      endColumn: 31,
      resource: 'aws_security_group.db',
      securityGroup: 'aws_security_group.db',
      fingerprint: 'fp-db-egress',
      introduced: true,
    },
    {
      ruleId: 'open-admin-port',
      severity: 'error',
      message: 'Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)',
      file: 'infra/web.yaml',
      line: 10,
      column: 19,
      endLine: 10,
      endColumn: 28,
      resource: 'WebSg',
      securityGroup: 'WebSg',
      constructPath: 'App/WebStack/WebSg/Resource',
      fingerprint: 'fp-web-ssh',
    },
    {
      ruleId: 'rule-missing-description',
      severity: 'note',
      message: 'Ingress rule of WebSg has no description',
      file: 'infra/web.yaml',
      line: 11,
      column: 11,
      endLine: 14,
      endColumn: 29,
      resource: 'WebSg',
      securityGroup: 'WebSg',
      constructPath: 'App/WebStack/WebSg/Resource',
      fingerprint: 'fp-web-description',
      suppression: { kind: 'inSource', justification: 'internal port, described in the wiki', origin: 'sg-lint' },
    },
  ];
}

/** The sample lint result: findings above, one input error in infra/broken.json, one notice. */
export function sampleResult(): LintResult {
  return {
    findings: sampleFindings(),
    errors: [{ file: 'infra/broken.json', message: 'Unexpected token } in JSON', line: 4, column: 3 }],
    notices: [{ file: 'infra/web.yaml', message: 'Skipped 2 unsupported resources', line: 1, column: 1 }],
    files: ['infra/broken.json', 'infra/db.tf', 'infra/web.yaml'],
    rules: [...RULES],
  };
}

/** A result with no findings and no errors over two files. */
export function cleanResult(): LintResult {
  return { findings: [], errors: [], notices: [], files: ['infra/db.tf', 'infra/web.yaml'], rules: [...RULES] };
}

/** A result whose message, resource and file carry characters every format must escape. */
export function escapingResult(): LintResult {
  const finding: Finding = {
    ruleId: 'open-admin-port',
    severity: 'warning',
    message: '50% of "rules" <open> & more\nsecond line',
    file: 'infra/a,b:c.yaml',
    line: 2,
    column: 1,
    endLine: 2,
    endColumn: 5,
    resource: 'Sg<&>"x"',
    securityGroup: 'Sg<&>"x"',
    fingerprint: 'fp-escape',
  };
  return {
    findings: [finding],
    errors: [{ file: 'infra/bad.yaml', message: 'Bad <tag> & 100%\r\nnext' }],
    notices: [],
    files: ['infra/a,b:c.yaml', 'infra/bad.yaml'],
    rules: [OPEN_ADMIN_PORT],
  };
}

/** A report context around `result`, with the sample sources, no colors and the default docs URL. */
export function context(result: LintResult, overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    result,
    source: (file) => SOURCES[file],
    color: false,
    toolVersion: '1.2.3',
    verbose: false,
    docsBaseUrl: DOCS_BASE_URL,
    ...overrides,
  };
}
