import { REPORTERS } from '../../src/reporters';
import { MAX_SARIF_MESSAGE, MAX_SARIF_RESULTS } from '../../src/reporters/sarif';
import type { Finding, LintResult, RuleTag } from '../../src/engine/types';
import { validateSarif } from '../helpers/sarif';
import { cleanResult, context, escapingResult, RULES, sampleResult } from './fixtures';

const sarif = REPORTERS.sarif;

/** The parts of a SARIF log these tests read. */
interface Log {
  runs: {
    tool: { driver: { rules: { id: string; properties: { tags: string[]; 'security-severity'?: string } }[] } };
    automationDetails: { id: string };
    originalUriBaseIds: Record<string, { uri?: string }>;
    invocations: {
      executionSuccessful: boolean;
      toolExecutionNotifications: { level: string; message: { text: string } }[];
    }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[];
      partialFingerprints: Record<string, string>;
      suppressions?: unknown[];
    }[];
  }[];
}

/** Runs the reporter and parses its output. */
function run(result: LintResult, overrides = {}): Log {
  return JSON.parse(sarif(context(result, overrides))) as Log;
}

/** The only run of a log. */
function only(log: Log): Log['runs'][number] {
  expect(log.runs).toHaveLength(1);
  const [first] = log.runs;
  if (!first) throw new Error('no run');
  return first;
}

/** `count` findings spread over severities, for the results limit. */
function manyFindings(count: number): Finding[] {
  return Array.from({ length: count }, (_, i) => ({
    ruleId: 'open-admin-port',
    severity: i === count - 1 ? 'error' : 'note',
    message: `finding ${i}`,
    file: 'big.json',
    line: i + 1,
    column: 1,
    endLine: i + 1,
    endColumn: 2,
    resource: `Sg${i}`,
    fingerprint: `fp${i}`,
  }));
}

describe('sarif reporter', () => {
  it('writes the exact log', () => {
    expect(sarif(context(sampleResult()))).toMatchSnapshot();
  });

  it('is valid SARIF 2.1.0 for the OASIS schema and GitHub code scanning', () => {
    for (const result of [sampleResult(), cleanResult(), escapingResult()]) {
      expect(validateSarif(JSON.parse(sarif(context(result))))).toEqual([]);
    }
  });

  it('puts every file into one run and points each result at its rule', () => {
    const r = only(run(sampleResult()));
    expect(r.tool.driver.rules.map((rule) => rule.id)).toEqual(['open-admin-port', 'rule-missing-description', 'unrestricted-egress']);
    expect(r.results.map((res) => [res.ruleId, res.ruleIndex, res.level])).toEqual([
      ['rule-missing-description', 1, 'note'],
      ['unrestricted-egress', 2, 'warning'],
      ['open-admin-port', 0, 'error'],
      ['rule-missing-description', 1, 'note'],
    ]);
    expect(r.tool.driver.rules[0]?.properties['security-severity']).toBe('8.1');
    expect(r.tool.driver.rules[1]?.properties['security-severity']).toBeUndefined();
    expect(r.results.map((res) => res.partialFingerprints['sgLint/v1'])).toEqual([
      'fp-db-description',
      'fp-db-egress',
      'fp-web-ssh',
      'fp-web-description',
    ]);
    expect(r.results.map((res) => res.suppressions?.length ?? 0)).toEqual([0, 0, 0, 1]);
  });

  it('reports input errors as error notifications and marks the execution unsuccessful', () => {
    const r = only(run(sampleResult()));
    expect(r.invocations[0]?.executionSuccessful).toBe(false);
    expect(r.invocations[0]?.toolExecutionNotifications.map((n) => [n.level, n.message.text])).toEqual([
      ['error', 'Unexpected token } in JSON'],
    ]);
    expect(only(run(cleanResult())).invocations[0]?.executionSuccessful).toBe(true);
  });

  it('uses the automation id given, else sg-lint/', () => {
    expect(only(run(sampleResult())).automationDetails.id).toBe('sg-lint/');
    expect(only(run(sampleResult(), { automationId: 'sg-lint/cfn/' })).automationDetails.id).toBe('sg-lint/cfn/');
  });

  it('writes relative URIs against %SRCROOT% and file URIs outside the working directory', () => {
    const result = escapingResult();
    const files = ['/repo/infra/web.yaml', '.\\infra\\win dows.yaml', '/elsewhere/x#1.yaml', 'C:\\work\\t.json'];
    result.findings = files.map((file, i) => ({ ...escapingResult().findings[0]!, file, fingerprint: `fp${i}` }));
    result.errors = [];
    const r = only(run(result, { workingDirectory: '/repo/' }));
    expect(r.results.map((res) => res.locations[0]?.physicalLocation.artifactLocation)).toEqual([
      { uri: 'infra/web.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'infra/win%20dows.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///elsewhere/x%231.yaml' },
      { uri: 'file:///C:/work/t.json' },
    ]);
    // No machine path: the same input gives the same log on every machine and checkout.
    expect(r.originalUriBaseIds['%SRCROOT%']?.uri).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain('/repo');
    expect(only(run(sampleResult())).originalUriBaseIds['%SRCROOT%']?.uri).toBeUndefined();
    expect(validateSarif(run(result, { workingDirectory: '/repo' }))).toEqual([]);
  });

  it('caps tags at 20 and bounds message length', () => {
    const result = escapingResult();
    result.rules = [{ ...RULES[0]!, tags: Array.from({ length: 25 }, (_, i) => `tag${i}`) as unknown as RuleTag[] }];
    result.findings[0]!.message = 'x'.repeat(MAX_SARIF_MESSAGE + 100);
    const r = only(run(result));
    expect(r.tool.driver.rules[0]?.properties.tags).toHaveLength(20);
    const text = r.results[0]?.message.text ?? '';
    expect(text).toHaveLength(MAX_SARIF_MESSAGE);
    expect(text.endsWith(' [truncated]')).toBe(true);
    // A cut that would fall inside a surrogate pair (an emoji) keeps the pair whole: one character less, no lone half.
    const kept = MAX_SARIF_MESSAGE - ' [truncated]'.length;
    result.findings[0]!.message = `${'x'.repeat(kept - 1)}\u{1F512}${'y'.repeat(200)}`;
    const cut = only(run(result)).results[0]?.message.text ?? '';
    expect(cut).toBe(`${'x'.repeat(kept - 1)} [truncated]`);
  });

  it('describes a rule that a finding names but result.rules lacks', () => {
    const result = escapingResult();
    result.rules = [];
    const r = only(run(result));
    expect(r.tool.driver.rules.map((rule) => rule.id)).toEqual(['open-admin-port']);
    expect(r.results[0]?.ruleIndex).toBe(0);
    expect(validateSarif(run(result))).toEqual([]);
  });

  it('truncates to GitHub\u2019s results limit with a notification, keeping the most severe', () => {
    const result: LintResult = { ...cleanResult(), findings: manyFindings(MAX_SARIF_RESULTS + 2) };
    const r = only(run(result));
    expect(r.results).toHaveLength(MAX_SARIF_RESULTS);
    expect(r.results[r.results.length - 1]?.level).toBe('error');
    expect(r.results[0]?.message.text).toBe('finding 0');
    expect(r.invocations[0]?.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: '2 of 25002 results were omitted: GitHub code scanning accepts at most 25000 results per run.' },
        descriptor: { id: 'results-truncated' },
      },
    ]);
  });

  it('is deterministic and ignores the order of result.rules', () => {
    const reversed = sampleResult();
    reversed.rules.reverse();
    expect(sarif(context(sampleResult()))).toBe(sarif(context(sampleResult())));
    expect(sarif(context(reversed))).toBe(sarif(context(sampleResult())));
  });
});
