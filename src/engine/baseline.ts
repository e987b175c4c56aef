/**
 * Baselines: a small JSON file listing the fingerprints of today's findings, so a later run reports only new ones.
 * Findings found in the baseline stay in the result, marked as suppressed with kind `external` (origin `baseline`):
 * they do not count for the exit code, remain visible in JSON and SARIF, and are counted in the text summary.
 */
import { ConfigError } from './run';
import type { LintResult } from './types';

/**
 * Format version written and accepted. 2: fingerprints from typed fields only (canonical peer, typed conditions);
 * version 1 files (sg-lint 0.1) are refused with a migration hint, since their fingerprints no longer match.
 */
export const BASELINE_VERSION = 2;

/** One recorded finding: the fingerprint decides; the other fields are for humans reading the file. */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  resource: string;
  message: string;
}

/** The baseline file's content. */
export interface Baseline {
  version: number;
  tool: 'sg-lint';
  toolVersion: string;
  findings: BaselineEntry[];
}

/**
 * Records the unsuppressed findings of a result, sorted by file, rule, resource and fingerprint so the file is
 * deterministic and diffs well.
 */
export function createBaseline(result: LintResult, toolVersion: string): Baseline {
  const findings = result.findings
    .filter((f) => !f.suppression)
    .map((f): BaselineEntry => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file, resource: f.resource, message: f.message }))
    .sort(
      (a, b) =>
        cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.resource, b.resource) || cmp(a.fingerprint, b.fingerprint),
    );
  const unique = findings.filter((f, i) => i === 0 || findings[i - 1]?.fingerprint !== f.fingerprint);
  return { version: BASELINE_VERSION, tool: 'sg-lint', toolVersion, findings: unique };
}

/** The baseline as written to disk: pretty JSON with a final newline. */
export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Reads a baseline file's text. Throws {@link ConfigError} (exit code 2) when it is not a baseline. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not a baseline file: ${e instanceof Error ? e.message : String(e)}`);
  }
  const b = data as Partial<Baseline> | null;
  if (!b || typeof b !== 'object' || !Array.isArray(b.findings)) {
    throw new ConfigError(`${file}: not a baseline file (expected an object with "version" and "findings"; write one with --write-baseline)`);
  }
  if (b.version === 1) {
    throw new ConfigError(
      `${file}: baseline version 1 was written by sg-lint 0.1, whose fingerprints changed in version 2; write a new one with --write-baseline (see docs/configuration.md, Baseline versions)`,
    );
  }
  if (b.version !== BASELINE_VERSION) {
    throw new ConfigError(`${file}: baseline version ${String(b.version)} is not supported (expected ${BASELINE_VERSION})`);
  }
  const findings = b.findings.filter(
    (f): f is BaselineEntry => typeof f === 'object' && f !== null && typeof (f as BaselineEntry).fingerprint === 'string',
  );
  return { version: BASELINE_VERSION, tool: 'sg-lint', toolVersion: String(b.toolVersion ?? ''), findings };
}

/**
 * Marks findings whose fingerprint is in the baseline as suppressed (`external`, origin `baseline`) and adds a notice
 * when baseline entries match nothing any more. Returns the number of findings matched.
 */
export function applyBaseline(result: LintResult, baseline: Baseline, file: string): number {
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  const seen = new Set<string>();
  let matched = 0;
  for (const f of result.findings) {
    if (!known.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    if (f.suppression) continue;
    f.suppression = { kind: 'external', justification: `recorded in baseline ${file}`, origin: 'baseline' };
    matched++;
  }
  const stale = known.size - seen.size;
  if (stale > 0) {
    result.notices.push({
      file,
      message: `${stale} baseline ${stale === 1 ? 'entry matches' : 'entries match'} no finding any more (fixed or changed); refresh it with --write-baseline`,
    });
  }
  return matched;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
