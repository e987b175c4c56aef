import type { InputError } from '../model/types';
import { activeFindings, escapeControl, plural } from './common';
import type { ReportContext, Reporter } from './types';

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

/**
 * One line per unsuppressed finding, `file:line:col: severity: message [rule-id]` (the "unix" style editors and
 * grep read), then one line per input error, then a blank line and the number of problems when there are any.
 */
export const compactReporter: Reporter = (ctx: ReportContext): string => {
  const lines = activeFindings(ctx.result.findings).map(
    (f) => `${position(f.file, f.line, f.column)}: ${f.severity}: ${oneLine(f.message)} [${f.ruleId}]`,
  );
  lines.push(...ctx.result.errors.map(errorLine));
  if (lines.length === 0) return '';
  return `${lines.join('\n')}\n\n${plural(lines.length, 'problem')}\n`;
};
