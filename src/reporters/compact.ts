import type { Finding, RuleMeta } from '../engine/types';
import type { InputError, InputNotice } from '../model/types';
import { activeFindings, escapeControl, plural, rulesById } from './common';
import type { ReportContext, Reporter } from './types';
import { pushAll } from '../model/arrays';

/**
 * Input-derived text on one line, as every other reporter prints it: control characters (line breaks, escape
 * sequences, bidirectional overrides) are shown escaped (`\n`, `\x1b`), so one finding is always one line and cannot
 * drive the terminal.
 */
function oneLine(text: string): string {
  return escapeControl(text);
}

/** "file:line:col" with whatever position is known (line and column default to 1, as editors expect both). */
function position(file: string, line?: number, column?: number): string {
  return `${oneLine(file)}:${line ?? 1}:${column ?? 1}`;
}

function errorLine(error: InputError): string {
  return `${position(error.file, error.line, error.column)}: error: ${oneLine(error.message)} [input-error]`;
}

/** A notice every report shows (part of the input was not linted), as a warning line that is not a problem. */
function noticeLine(notice: InputNotice): string {
  return `${position(notice.file, notice.line, notice.column)}: warning: ${oneLine(notice.message)} [not-linted]`;
}

/**
 * One finding on one line: `file:line:col: severity: message`, then where the value came from
 * (` (from parameter AdminCidr default at file:9:19)`, one group per related location) and the rule's fix hint
 * (` (fix: ...)`), then `[rule-id]` last, so a pattern anchored on either end keeps working.
 */
function findingLine(f: Finding, rules: ReadonlyMap<string, RuleMeta<object>>): string {
  const related = (f.related ?? []).map((r) => ` (from ${oneLine(r.message)} at ${position(r.file, r.line, r.column)})`).join('');
  const fix = rules.get(f.ruleId)?.fix;
  const hint = fix !== undefined ? ` (fix: ${oneLine(fix)})` : '';
  return `${position(f.file, f.line, f.column)}: ${f.severity}: ${oneLine(f.message)}${related}${hint} [${f.ruleId}]`;
}

/**
 * One line per unsuppressed finding (see `findingLine`), `file:line:col: severity: message [rule-id]` (the "unix" style editors and
 * grep read), then one line per input error, then one `warning: … [not-linted]` line per notice that says part of the
 * input was not linted, then a blank line and the number of problems (findings and input errors) when there are any.
 */
export const compactReporter: Reporter = (ctx: ReportContext): string => {
  const rules = rulesById(ctx.result);
  const lines = activeFindings(ctx.result.findings).map((f) => findingLine(f, rules));
  pushAll(lines, ctx.result.errors.map(errorLine));
  const notices = ctx.result.notices.filter((n) => n.visible).map(noticeLine);
  if (lines.length === 0) return notices.map((l) => `${l}\n`).join('');
  return `${[...lines, ...notices].join('\n')}\n\n${plural(lines.length, 'problem')}\n`;
};
