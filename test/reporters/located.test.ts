// Issue #14 in the reporters: related locations (where the value came from), folded rule ids and the fix hint, in
// text, JSON and SARIF.
import { REPORTERS } from '../../src/reporters';
import type { LintResult } from '../../src/engine/types';
import { context, sampleResult, SOURCES } from './fixtures';

/** The sample with the SSH finding given a folded rule, an origin (pretend: the ToPort value) and a fix hint. */
function locatedResult(): LintResult {
  const result = sampleResult();
  const ssh = result.findings.find((f) => f.ruleId === 'open-admin-port');
  if (!ssh) throw new Error('sample changed');
  ssh.foldedRuleIds = ['world-ingress-unexpected-port'];
  ssh.related = [{ message: 'parameter AdminCidr default', file: 'infra/web.yaml', line: 9, column: 19, endLine: 9, endColumn: 21 }];
  result.rules = result.rules.map((m) => (m.id === 'open-admin-port' ? { ...m, fix: 'Admit only your VPN range' } : m));
  return result;
}

describe('located findings', () => {
  it('text: the origin with its code frame, the folded ids and the fix hint with the docs link', () => {
    const out = REPORTERS.text(context(locatedResult()));
    expect(out).toContain(
      [
        '    resource: WebSg, construct: App/WebStack/WebSg/Resource, also world-ingress-unexpected-port',
        '    10 |           CidrIp: 0.0.0.0/0',
        '       |                   ^^^^^^^^^',
        '    from parameter AdminCidr default at 9:19',
        `    9 | ${SOURCES['infra/web.yaml']?.split('\n')[8]}`,
        `      | ${' '.repeat(18)}^^`,
        '    fix: Admit only your VPN range (https://github.com/sg-lint/sg-lint/blob/main/docs/rules/open-admin-port.md)',
      ].join('\n'),
    );
  });

  it('json: related and foldedRuleIds', () => {
    const out = JSON.parse(REPORTERS.json(context(locatedResult()))) as { findings: Record<string, unknown>[] };
    const ssh = out.findings.find((f) => f['ruleId'] === 'open-admin-port');
    expect(ssh?.['related']).toEqual([{ message: 'parameter AdminCidr default', file: 'infra/web.yaml', line: 9, column: 19, endLine: 9, endColumn: 21 }]);
    expect(ssh?.['foldedRuleIds']).toEqual(['world-ingress-unexpected-port']);
    expect(out.findings.filter((f) => 'related' in f)).toHaveLength(1);
  });

  it('sarif: relatedLocations, properties.foldedRuleIds and the fix in the rule help', () => {
    const log = JSON.parse(REPORTERS.sarif(context(locatedResult())));
    const run = log.runs[0];
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'open-admin-port');
    expect(result.relatedLocations).toEqual([
      {
        id: 1,
        message: { text: 'parameter AdminCidr default' },
        physicalLocation: {
          artifactLocation: { uri: 'infra/web.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 9, startColumn: 19, endLine: 9, endColumn: 21, snippet: { text: SOURCES['infra/web.yaml']?.split('\n')[8] } },
        },
      },
    ]);
    expect(result.properties.foldedRuleIds).toEqual(['world-ingress-unexpected-port']);
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'open-admin-port');
    expect(rule.help.markdown).toContain('**How to fix:** Admit only your VPN range.');
    expect(rule.help.text).toContain('How to fix: Admit only your VPN range.');
  });
});

// Every other format carries the fix hint and where the value came from, each in the idiom its consumers read
// (docs/formats.md). Exact output, so a format that drops one of them fails here.
describe('located findings in every format', () => {
  const DOCS = 'https://github.com/sg-lint/sg-lint/blob/main/docs/rules/open-admin-port.md';

  it('compact: still one line per finding; origins and the fix hint before the rule id', () => {
    expect(REPORTERS.compact(context(locatedResult()))).toBe(
      [
        'infra/db.tf:3:3: note: Egress rule of aws_security_group.db has no description [rule-missing-description]',
        'infra/db.tf:7:20: warning: Egress to 0.0.0.0/0 on all protocols [unrestricted-egress]',
        'infra/web.yaml:10:19: error: Ingress from 0.0.0.0/0 reaches tcp/22 (SSH) (from parameter AdminCidr default at infra/web.yaml:9:19) (fix: Admit only your VPN range) [open-admin-port]',
        'infra/broken.json:4:3: error: Unexpected token } in JSON [input-error]',
        '',
        '4 problems',
        '',
      ].join('\n'),
    );
  });

  it('compact: two origins are two groups; a control character in an origin cannot break the line', () => {
    const result = locatedResult();
    const ssh = result.findings.find((f) => f.ruleId === 'open-admin-port');
    if (!ssh) throw new Error('sample changed');
    ssh.related = [
      { message: 'parameter Admin\nCidr default', file: 'infra/web.yaml', line: 3, column: 14, endLine: 3, endColumn: 27 },
      { message: 'parameter AdminCidr allowed value', file: 'params.json', line: 1, column: 20, endLine: 1, endColumn: 31 },
    ];
    const line = REPORTERS.compact(context(result)).split('\n')[2];
    expect(line).toBe(
      'infra/web.yaml:10:19: error: Ingress from 0.0.0.0/0 reaches tcp/22 (SSH) (from parameter Admin\\nCidr default at infra/web.yaml:3:14) (from parameter AdminCidr allowed value at params.json:1:20) (fix: Admit only your VPN range) [open-admin-port]',
    );
  });

  it('github: the annotation message has a line per origin and the fix hint with the docs link', () => {
    const lines = REPORTERS.github(context(locatedResult())).split('\n');
    expect(lines[2]).toBe(
      `::error file=infra/web.yaml,line=10,col=19,endLine=10,endColumn=28,title=open-admin-port::Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)%0Afrom parameter AdminCidr default at infra/web.yaml:9:19%0Afix: Admit only your VPN range (${DOCS})`,
    );
    // Findings of rules without a hint or origins are unchanged.
    expect(lines[1]).toBe('::warning file=infra/db.tf,line=7,col=20,endLine=7,endColumn=31,title=unrestricted-egress::Egress to 0.0.0.0/0 on all protocols');
  });

  it('junit: the failure text names the folded rules, the origins and the fix hint', () => {
    expect(REPORTERS.junit(context(locatedResult()))).toContain(
      [
        '      <failure message="Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)" type="error">infra/web.yaml:10:19: error: Ingress from 0.0.0.0/0 reaches tcp/22 (SSH) (open-admin-port)',
        'resource: WebSg',
        'construct: App/WebStack/WebSg/Resource',
        'also: world-ingress-unexpected-port',
        'from parameter AdminCidr default at infra/web.yaml:9:19',
        `fix: Admit only your VPN range (${DOCS})</failure>`,
      ].join('\n'),
    );
  });

  it('junit: a passing finding (below --fail-on) carries the same lines in system-out', () => {
    const out = REPORTERS.junit({ ...context(locatedResult()), failOn: 'none' });
    expect(out).toContain(`from parameter AdminCidr default at infra/web.yaml:9:19\nfix: Admit only your VPN range (${DOCS})</system-out>`);
  });

  it('gitlab: other_locations and a Markdown content.body with the fix hint and the origins', () => {
    const issues = JSON.parse(REPORTERS.gitlab(context(locatedResult()))) as Record<string, unknown>[];
    expect(issues[2]).toEqual({
      description: 'Ingress from 0.0.0.0/0 reaches tcp/22 (SSH)',
      check_name: 'open-admin-port',
      fingerprint: '3c58a2ca098e5a33bbf473f8b426cfb3',
      severity: 'major',
      location: { path: 'infra/web.yaml', lines: { begin: 10 } },
      other_locations: [{ path: 'infra/web.yaml', lines: { begin: 9 } }],
      content: {
        body: `**How to fix:** Admit only your VPN range. See the [open-admin-port documentation](${DOCS}).\n\nThe value comes from:\n\n- parameter AdminCidr default at \`infra/web.yaml:9:19\``,
      },
    });
    // Without a hint or origins an issue keeps the five fields GitLab documents.
    expect(Object.keys(issues[1] ?? {})).toEqual(['description', 'check_name', 'fingerprint', 'severity', 'location']);
  });

  it('markdown: the fix hint per rule in the table, the origins under each finding', () => {
    const out = REPORTERS.markdown(context(locatedResult()));
    expect(out).toContain(
      [
        '| Rule | Severity | Findings | Suppressed | How to fix |',
        '| --- | --- | ---: | ---: | --- |',
        `| [\`open-admin-port\`](${DOCS}) | error | 1 | 0 | Admit only your VPN range |`,
        '| [`unrestricted-egress`](https://github.com/sg-lint/sg-lint/blob/main/docs/rules/unrestricted-egress.md) | warning | 1 | 0 |  |',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '- **error** `infra/web.yaml:10:19` Ingress from 0.0.0.0/0 reaches tcp/22 (SSH) (`open-admin-port`)',
        '  - from parameter AdminCidr default at `infra/web.yaml:9:19`',
        '',
      ].join('\n'),
    );
  });

  it('markdown: a plugin rule without a page is not linked into docs/rules', () => {
    const result = locatedResult();
    const egress = result.findings.find((f) => f.ruleId === 'unrestricted-egress');
    if (!egress) throw new Error('sample changed');
    egress.ruleId = 'acme/egress';
    result.rules = [...result.rules, { id: 'acme/egress', description: 'x', defaultSeverity: 'warning', tags: [], recommended: false, options: {}, fix: 'Name the | destinations' }];
    expect(REPORTERS.markdown(context(result))).toContain('| `acme/egress` | warning | 1 | 0 | Name the \\| destinations |');
  });

  it('json: rules[] carries each rule\'s fix hint', () => {
    const out = JSON.parse(REPORTERS.json(context(locatedResult()))) as { rules: Record<string, unknown>[] };
    expect(out.rules.map((r) => [r['id'], r['fix']])).toEqual([
      ['open-admin-port', 'Admit only your VPN range'],
      ['rule-missing-description', undefined],
      ['unrestricted-egress', undefined],
    ]);
    expect(Object.keys(out.rules[0] ?? {})).toEqual(['id', 'description', 'defaultSeverity', 'tags', 'fix', 'helpUri', 'origin']);
  });
});
