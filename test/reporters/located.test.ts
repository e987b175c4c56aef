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
