// Reports as large as an input can make them: the expansion budget lets one file hold 50,000 expanded items, and an
// item can give several findings (a fuzzed module gave 51,225 in one file), each several report lines. A reporter that
// spreads such a list into a call (`lines.push(...suiteLines)`) overflows the stack: the JUnit report of that module
// failed with "Maximum call stack size exceeded". Every format must render it whole.
import type { Finding, LintResult } from '../../src/engine/types';
import { FORMAT_NAMES, REPORTERS } from '../../src/reporters';
import { MAX_SARIF_RESULTS } from '../../src/reporters/sarif';
import { context, RULES } from './fixtures';

const N = 150_000;

function largeResult(): LintResult {
  const findings: Finding[] = [];
  for (let i = 0; i < N; i++) {
    findings.push({
      ruleId: 'open-admin-port',
      severity: 'error',
      message: `Ingress from 0.0.0.0/0 reaches tcp/${i % 65536} (finding ${i})`,
      file: 'infra/big.tf',
      line: 1 + (i % 5000),
      column: 1 + (i % 7),
      endLine: 1 + (i % 5000),
      endColumn: 20,
      resource: `aws_security_group.a[${i}]`,
      securityGroup: `aws_security_group.a[${i}]`,
      fingerprint: `fp-${i}`,
    });
  }
  const errors = Array.from({ length: N }, (_, i) => ({ file: 'infra/big.tf', message: `bad value ${i}`, line: 1 + (i % 5000), column: 1 }));
  return { findings, errors, notices: [], files: ['infra/big.tf'], rules: [...RULES] };
}

describe('reports of 150,000 findings and 150,000 errors in one file', () => {
  const result = largeResult();

  it.each(FORMAT_NAMES)('%s renders every one of them', (name) => {
    const out = REPORTERS[name](context(result, { source: () => undefined }));
    if (name === 'sarif') {
      // GitHub code scanning takes at most 25,000 results a run: SARIF keeps that many and says so.
      const sarif = JSON.parse(out) as { runs: { results: unknown[] }[] };
      expect(sarif.runs[0]?.results).toHaveLength(MAX_SARIF_RESULTS);
      expect(out).toContain(`bad value ${N - 1}`);
      return;
    }
    if (name === 'markdown') {
      // The Markdown summary is a bounded table by design; it still counts them all.
      expect(out).toContain('150000');
      return;
    }
    // The last finding and the last error appear (nothing in them needs escaping in any format).
    expect(out).toContain(`(finding ${N - 1})`);
    expect(out).toContain(`bad value ${N - 1}`);
    if (name === 'junit') expect(out.split('<testcase ').length - 1).toBeGreaterThanOrEqual(N);
    if (name === 'json') {
      const parsed = JSON.parse(out) as { findings: unknown[]; errors: unknown[] };
      expect(parsed.findings).toHaveLength(N);
      expect(parsed.errors).toHaveLength(N);
    }
  });
});
