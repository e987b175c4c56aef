import type { Finding, RuleMeta, Severity } from '../engine/types';
import type { InputError, InputNotice } from '../model/types';
import { activeFindings, escapeControl, fixHintOf, relatedPhrase, rulesById } from './common';
import type { ReportContext, Reporter } from './types';

/** Workflow command per severity. */
const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };

/**
 * Escapes a workflow command's message: `%`, CR and LF as the runner expects, after every other control character is
 * shown escaped (`\x1b`), so input text cannot drive the log viewer or a terminal.
 */
export function escapeData(value: string): string {
  return escapeControl(value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Escapes a workflow command property value: like `escapeData`, plus `:` and `,`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Formats `::command key=value,...::message`, skipping properties without a value. */
function command(name: string, properties: [string, string | number | undefined][], message: string): string {
  const props = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name} ${props}::${escapeData(message)}`;
}

/**
 * The annotation message of a finding: the message, then one `from <origin> at file:line:col` line per related location
 * and a `fix: <hint> (<docs url>)` line (GitHub shows the lines of an annotation message as written).
 */
function findingMessage(finding: Finding, rules: ReadonlyMap<string, RuleMeta<object>>, docsBaseUrl: string): string {
  const lines = [finding.message, ...(finding.related ?? []).map((r) => `from ${relatedPhrase(r)}`)];
  const hint = fixHintOf(rules.get(finding.ruleId), docsBaseUrl);
  if (hint !== undefined) lines.push(`fix: ${hint.fix}${hint.url !== undefined ? ` (${hint.url})` : ''}`);
  return lines.join('\n');
}

/** The annotation for one finding. */
function findingCommand(finding: Finding, rules: ReadonlyMap<string, RuleMeta<object>>, docsBaseUrl: string): string {
  return command(
    COMMANDS[finding.severity],
    [
      ['file', finding.file.replace(/\\/g, '/')],
      ['line', finding.line],
      ['col', finding.column],
      ['endLine', finding.endLine],
      ['endColumn', finding.endColumn],
      ['title', finding.ruleId],
    ],
    findingMessage(finding, rules, docsBaseUrl),
  );
}

/** The annotation for one input error. */
function errorCommand(error: InputError): string {
  return command(
    'error',
    [
      ['file', error.file.replace(/\\/g, '/')],
      ['line', error.line],
      ['col', error.line !== undefined ? error.column : undefined],
      ['title', 'sg-lint input error'],
    ],
    error.message,
  );
}

/** The annotation for a notice every report shows (part of the input was not linted): a `::warning`. */
function noticeCommand(notice: InputNotice): string {
  return command(
    'warning',
    [
      ['file', notice.file.replace(/\\/g, '/')],
      ['line', notice.line],
      ['col', notice.line !== undefined ? notice.column : undefined],
      ['title', 'sg-lint: not linted'],
    ],
    notice.message,
  );
}

/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per unsuppressed finding, then one
 * `::error` line per input error, then one `::warning` line per notice every report shows (part of the input was not
 * linted, e.g. a Terraform module that is not installed). Empty output when there is nothing to report.
 */
export const githubReporter: Reporter = (ctx: ReportContext): string => {
  const rules = rulesById(ctx.result);
  const lines = [
    ...activeFindings(ctx.result.findings).map((f) => findingCommand(f, rules, ctx.docsBaseUrl)),
    ...ctx.result.errors.map(errorCommand),
    ...ctx.result.notices.filter((n) => n.visible).map(noticeCommand),
  ];
  return lines.map((line) => `${line}\n`).join('');
};
