import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPORTERS } from '../../src/reporters';
import { SHARED_DIR, validateSarif } from '../helpers/sarif';
import { context, sampleResult } from './fixtures';

/** A fresh, valid sg-lint SARIF log to break in one place. */
function validLog(): { runs: Record<string, unknown>[] } & Record<string, unknown> {
  return JSON.parse(REPORTERS.sarif(context(sampleResult()))) as { runs: Record<string, unknown>[] };
}

describe('validateSarif', () => {
  it('accepts a valid log', () => {
    expect(validateSarif(validLog())).toEqual([]);
  });

  it('reports schema violations with their path', () => {
    const log = validLog();
    log.version = '2.0.0';
    const problems = validateSarif(log);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.includes('/version must be equal to one of the allowed values'))).toBe(true);
  });

  it('falls back to the schema bundled with @microsoft/jest-sarif without the shared corpus', () => {
    const missing = path.join(SHARED_DIR, 'does-not-exist');
    expect(validateSarif(validLog(), missing)).toEqual([]);
    const log = validLog();
    log.version = '2.0.0';
    expect(validateSarif(log, missing)).toContain('SARIF 2.1.0 (jest-sarif): /version must be equal to one of the allowed values');
  });

  it('reports GitHub limits the schemas cannot express', () => {
    const log = validLog();
    const run = log.runs[0] as { tool: { driver: { rules: { properties: { tags: string[] } }[] } }; results: { ruleIndex: number }[] };
    run.tool.driver.rules[0]!.properties.tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    run.results[0]!.ruleIndex = 2;
    expect(validateSarif(log)).toEqual([
      'GitHub: rule open-admin-port has 21 tags (max 20)',
      'GitHub: results/0 ruleIndex 2 does not point at rule rule-missing-description',
    ]);
  });
});

const testdata = path.join(SHARED_DIR, 'corpus/codeql-action/src/testdata');
const haveCorpus = fs.existsSync(testdata);
if (!haveCorpus) console.log(`validateSarif corpus examples skipped: ${testdata} is absent`);

(haveCorpus ? describe : describe.skip)('validateSarif on codeql-action examples', () => {
  /** Parses one example file. */
  const load = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(testdata, name), 'utf8')) as unknown;

  it('accepts valid-sarif.sarif', () => {
    expect(validateSarif(load('valid-sarif.sarif'))).toEqual([]);
  });

  it('rejects invalid-sarif.sarif (results is a number)', () => {
    expect(validateSarif(load('invalid-sarif.sarif'))).toContain('OASIS SARIF 2.1.0: /runs/0/results must be array');
  });
});
