import type { createHash as CreateHash } from 'node:crypto';
import type { Finding, Severity } from '../engine/types';
import type { InputError, InputNotice } from '../model/types';
import { activeFindings, displayPath } from './common';
import type { ReportContext, Reporter } from './types';

/** GitLab Code Quality severities: error -> major, warning -> minor, note -> info. */
export const GITLAB_SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = {
  error: 'major',
  warning: 'minor',
  note: 'info',
};

/** One GitLab Code Quality issue. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

/** MD5 hex of the parts, as GitLab expects a fingerprint to look. */
function md5(...parts: string[]): string {
  // Loaded on first use: only this report needs it (and fingerprints of findings, src/engine/run.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as { createHash: typeof CreateHash };
  return createHash('md5').update(parts.join('\u0000')).digest('hex');
}

/** The issue for one finding; the fingerprint is derived from sg-lint's finding fingerprint. */
function findingIssue(finding: Finding, workingDirectory: string | undefined): CodeQualityIssue {
  return {
    description: finding.message,
    check_name: finding.ruleId,
    fingerprint: md5('finding', finding.ruleId, finding.fingerprint),
    severity: GITLAB_SEVERITY[finding.severity],
    location: { path: displayPath(finding.file, workingDirectory), lines: { begin: Math.max(1, finding.line) } },
  };
}

/** The issue for one input error (severity major, check name `input-error`). */
function errorIssue(error: InputError, workingDirectory: string | undefined): CodeQualityIssue {
  const position = `${error.line ?? ''}:${error.column ?? ''}`;
  return {
    description: `Input error: ${error.message}`,
    check_name: 'input-error',
    fingerprint: md5('input-error', error.file, position, error.message),
    severity: 'major',
    location: { path: displayPath(error.file, workingDirectory), lines: { begin: Math.max(1, error.line ?? 1) } },
  };
}

/** The issue for a notice every report shows (severity minor, check name `not-linted`): part of the input was not linted. */
function noticeIssue(notice: InputNotice, workingDirectory: string | undefined): CodeQualityIssue {
  const position = `${notice.line ?? ''}:${notice.column ?? ''}`;
  return {
    description: `Not linted: ${notice.message}`,
    check_name: 'not-linted',
    fingerprint: md5('not-linted', notice.file, position, notice.message),
    severity: 'minor',
    location: { path: displayPath(notice.file, workingDirectory), lines: { begin: Math.max(1, notice.line ?? 1) } },
  };
}

/**
 * GitLab Code Quality report: a JSON array with one issue per unsuppressed finding, then one per input error, then one
 * per notice every report shows (part of the input was not linted). Pretty-printed with 2 spaces and a final newline.
 */
export const gitlabReporter: Reporter = (ctx: ReportContext): string => {
  const issues = [
    ...activeFindings(ctx.result.findings).map((f) => findingIssue(f, ctx.workingDirectory)),
    ...ctx.result.errors.map((e) => errorIssue(e, ctx.workingDirectory)),
    ...ctx.result.notices.filter((n) => n.visible).map((n) => noticeIssue(n, ctx.workingDirectory)),
  ];
  return `${JSON.stringify(issues, null, 2)}\n`;
};
