import type { Finding, RuleMeta } from '../engine/types';
import type { InputError, InputNotice } from '../model/types';
import { describedRules, helpUriOf, summarize } from './common';
import type { ReportContext, Reporter } from './types';

/** Version of the JSON report layout (schemas/report.schema.json). Bumped on incompatible changes only. */
export const JSON_REPORT_VERSION = 1;

/** One finding in the JSON report. */
export interface JsonFinding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  resource: string;
  securityGroup: string | null;
  constructPath?: string;
  fingerprint: string;
  suppressed?: { kind: 'inSource' | 'external'; justification: string; origin: string };
  introduced?: boolean;
  /** Where the offending value came from (parameter default, AllowedValues entry, Fn::If branch, variable default). */
  related?: { message: string; file: string; line: number; column: number; endLine: number; endColumn: number }[];
  /** Rules whose findings on the same rule entry were folded into this one. */
  foldedRuleIds?: string[];
}

/**
 * The metadata of a rule a finding names (as SARIF's `tool.driver.rules`). `origin` says where the rule comes from:
 * `built-in`, `plugin` (with the plugin's name and version) or `policy` (a configuration policy; with the plugin
 * whose preset brought it, if one did).
 */
export interface JsonRule {
  id: string;
  description: string;
  defaultSeverity: RuleMeta<object>['defaultSeverity'];
  tags: string[];
  /** One line telling what to change (the rule's `meta.fix`); absent for a rule that gives none. */
  fix?: string;
  /** The rule's documentation; absent for a plugin rule or policy that gives none. */
  helpUri?: string;
  origin: 'built-in' | 'plugin' | 'policy';
  /** The plugin of a plugin rule, or of the preset that brought a policy. */
  plugin?: { name: string; version: string };
}

/** One input error in the JSON report; `line`/`column` are null when the position is unknown. */
export interface JsonInputError {
  file: string;
  message: string;
  line: number | null;
  column: number | null;
}

/** The JSON report (see schemas/report.schema.json). */
export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  findings: JsonFinding[];
  /** Metadata of every rule the findings name (suppressed findings included), sorted by id. */
  rules: JsonRule[];
  errors: JsonInputError[];
  /** Notices every report shows (InputNotice.visible): part of the input was not linted. */
  notices: JsonInputError[];
  summary: { files: number; errors: number; warnings: number; notes: number; suppressed: number };
}

/** A finding with a fixed key order; optional keys appear only when they carry a value. */
function toJsonFinding(finding: Finding): JsonFinding {
  const suppression = finding.suppression;
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    resource: finding.resource,
    securityGroup: finding.securityGroup ?? null,
    ...(finding.constructPath !== undefined ? { constructPath: finding.constructPath } : {}),
    fingerprint: finding.fingerprint,
    ...(suppression
      ? { suppressed: { kind: suppression.kind, justification: suppression.justification, origin: suppression.origin } }
      : {}),
    ...(finding.introduced !== undefined ? { introduced: finding.introduced } : {}),
    ...(finding.related && finding.related.length > 0 ? { related: finding.related.map((r) => ({ ...r })) } : {}),
    ...(finding.foldedRuleIds && finding.foldedRuleIds.length > 0 ? { foldedRuleIds: [...finding.foldedRuleIds] } : {}),
  };
}

/** A rule's metadata with a fixed key order. */
function toJsonRule(meta: RuleMeta<object>, docsBaseUrl: string): JsonRule {
  const helpUri = helpUriOf(meta, docsBaseUrl);
  const origin = meta.origin;
  return {
    id: meta.id,
    description: meta.description,
    defaultSeverity: meta.defaultSeverity,
    tags: [...new Set(meta.tags)],
    ...(meta.fix !== undefined ? { fix: meta.fix } : {}),
    ...(helpUri !== undefined ? { helpUri } : {}),
    origin: origin?.kind ?? 'built-in',
    ...(origin?.plugin !== undefined ? { plugin: { name: origin.plugin, version: origin.version ?? '' } } : {}),
  };
}

/** An input error (or notice) with explicit nulls for unknown positions. */
function toJsonError(error: InputError | InputNotice): JsonInputError {
  return { file: error.file, message: error.message, line: error.line ?? null, column: error.column ?? null };
}

/** Builds the JSON report object (what `jsonReporter` serializes). */
export function buildJsonReport(ctx: ReportContext): JsonReport {
  const { files, errors, warnings, notes, suppressed } = summarize(ctx.result);
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: 'sg-lint', version: ctx.toolVersion },
    findings: ctx.result.findings.map(toJsonFinding),
    rules: describedRules(ctx.result, new Set(ctx.result.findings.flatMap((f) => [f.ruleId, ...(f.foldedRuleIds ?? [])]))).map((m) => toJsonRule(m, ctx.docsBaseUrl)),
    errors: ctx.result.errors.map(toJsonError),
    notices: ctx.result.notices.filter((n) => n.visible).map(toJsonError),
    summary: { files, errors, warnings, notes, suppressed },
  };
}

/**
 * The machine-readable report: every finding (suppressed ones marked with `suppressed`), input errors and a summary
 * whose severity counts exclude suppressed findings. Pretty-printed with 2 spaces and a final newline.
 */
export const jsonReporter: Reporter = (ctx: ReportContext): string =>
  `${JSON.stringify(buildJsonReport(ctx), null, 2)}\n`;
