import { REPORTERS } from '../../src/reporters';
import type { CodeQualityIssue } from '../../src/reporters/gitlab';
import { cleanResult, context, escapingResult, sampleResult } from './fixtures';

const gitlab = REPORTERS.gitlab;

/** One issue as the report writes it. */
function issue(description: string, check: string, fingerprint: string, severity: string, file: string, line: number): string {
  return [
    '  {',
    `    "description": ${JSON.stringify(description)},`,
    `    "check_name": "${check}",`,
    `    "fingerprint": "${fingerprint}",`,
    `    "severity": "${severity}",`,
    '    "location": {',
    `      "path": "${file}",`,
    '      "lines": {',
    `        "begin": ${line}`,
    '      }',
    '    }',
    '  }',
  ].join('\n');
}

describe('gitlab reporter', () => {
  it('writes one Code Quality issue per unsuppressed finding, then one per input error', () => {
    const expected = [
      issue('Egress rule of aws_security_group.db has no description', 'rule-missing-description', 'fcdec81684c2128323e4acee5074cfb8', 'info', 'infra/db.tf', 3),
      issue('Egress to 0.0.0.0/0 on all protocols', 'unrestricted-egress', '9b98e5100b1da69a568a4887fb90722e', 'minor', 'infra/db.tf', 7),
      issue('Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)', 'open-admin-port', '3c58a2ca098e5a33bbf473f8b426cfb3', 'major', 'infra/web.yaml', 10),
      issue('Input error: Unexpected token } in JSON', 'input-error', '5ab321ec15583efa4d517767ef48e135', 'major', 'infra/broken.json', 4),
    ];
    expect(gitlab(context(sampleResult()))).toBe(`[\n${expected.join(',\n')}\n]\n`);
  });

  it('keeps special characters intact inside JSON strings and starts unknown positions at line 1', () => {
    const issues = JSON.parse(gitlab(context(escapingResult()))) as CodeQualityIssue[];
    expect(issues.map((i) => [i.description, i.severity, i.location.path, i.location.lines.begin])).toEqual([
      ['50% of "rules" <open> & more\nsecond line', 'minor', 'infra/a,b:c.yaml', 2],
      ['Input error: Bad <tag> & 100%\r\nnext', 'major', 'infra/bad.yaml', 1],
    ]);
  });

  it('derives distinct md5-style fingerprints and repository-relative paths', () => {
    const result = sampleResult();
    result.findings[0]!.file = '/repo/infra/db.tf';
    result.findings[1]!.file = '.\\infra\\db.tf';
    const issues = JSON.parse(gitlab(context(result, { workingDirectory: '/repo' }))) as CodeQualityIssue[];
    expect(issues.map((i) => i.location.path)).toEqual(['infra/db.tf', 'infra/db.tf', 'infra/web.yaml', 'infra/broken.json']);
    expect(issues.every((i) => /^[0-9a-f]{32}$/.test(i.fingerprint))).toBe(true);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(4);
  });

  it('writes an empty array when there is nothing to report', () => {
    expect(gitlab(context(cleanResult()))).toBe('[]\n');
  });

  it('is deterministic and ignores the order of result.rules', () => {
    const reversed = sampleResult();
    reversed.rules.reverse();
    expect(gitlab(context(reversed))).toBe(gitlab(context(sampleResult())));
  });
});
