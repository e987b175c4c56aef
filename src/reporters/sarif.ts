import type { Finding, RuleMeta } from '../engine/types';
import type { InputError, InputNotice } from '../model/types';
import { artifactUri, describedRules, helpUriOf, severityRank, sourceLines, truncate } from './common';
import type { ArtifactUri } from './common';
import type { ReportContext, Reporter } from './types';

/** GitHub code scanning accepts at most this many results per run. */
export const MAX_SARIF_RESULTS = 25_000;
/** GitHub code scanning accepts at most this many tags per rule. */
export const MAX_SARIF_TAGS = 20;
/** Upper bound on a result or notification message. */
export const MAX_SARIF_MESSAGE = 4_000;
/** GitHub limits rule descriptions to 1024 characters. */
const MAX_DESCRIPTION = 1_024;
/** Code snippets carry at most this many source lines. */
const MAX_SNIPPET_LINES = 10;
/**
 * Longest snippet line: a longer line (a minified template holds everything on one) is cut to a window starting a
 * little before the region, so each result's snippet stays small however many findings share the line.
 */
const MAX_SNIPPET_LINE = 240;
/** Characters of context kept before the region's start column when a line is cut. */
const SNIPPET_LEAD = 40;
/** Default code-scanning category. */
export const DEFAULT_AUTOMATION_ID = 'sg-lint/';
/** Key of sg-lint's own fingerprint in `partialFingerprints`. */
export const FINGERPRINT_KEY = 'sgLint/v1';
const INFORMATION_URI = 'https://github.com/sg-lint/sg-lint';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

interface SarifText {
  text: string;
}

interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  snippet?: SarifText;
}

interface SarifLocation {
  physicalLocation?: { artifactLocation: ArtifactUri; region?: SarifRegion };
  logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
}

interface SarifDescriptor {
  id: string;
  name: string;
  shortDescription: SarifText;
  fullDescription: SarifText;
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; precision: string; 'security-severity'?: string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: SarifText;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  relatedLocations?: (SarifLocation & { id: number; message: SarifText })[];
  suppressions?: { kind: 'inSource' | 'external'; justification?: string; properties: { origin: string } }[];
  properties?: { securityGroup?: string; introduced?: boolean; foldedRuleIds?: string[] };
}

interface SarifNotification {
  level: 'error' | 'warning';
  message: SarifText;
  descriptor: { id: string };
  locations?: SarifLocation[];
}

/** "open-admin-port" -> "OpenAdminPort": the rule's friendly name. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Reference lines of a rule (CIS, Security Hub, links) for the help text. */
function referenceLines(meta: RuleMeta<object>): string[] {
  const refs = meta.references;
  if (!refs) return [];
  const lines: string[] = [];
  if (refs.cis?.length) lines.push(`CIS AWS Foundations Benchmark: ${refs.cis.join(', ')}`);
  if (refs.securityHub?.length) lines.push(`AWS Security Hub: ${refs.securityHub.join(', ')}`);
  for (const url of refs.urls ?? []) lines.push(url);
  return lines;
}

/** One reporting descriptor per rule, following GitHub's supported fields and limits. */
function descriptor(meta: RuleMeta<object>, docsBaseUrl: string): SarifDescriptor {
  const helpUri = helpUriOf(meta, docsBaseUrl);
  const sentence = truncate(`${meta.description}.`, MAX_DESCRIPTION);
  const refs = referenceLines(meta);
  const fix = meta.fix !== undefined ? `${meta.fix}.` : undefined;
  const text = [sentence, ...(fix ? [`How to fix: ${fix}`] : []), ...refs, ...(helpUri !== undefined ? [`Documentation: ${helpUri}`] : [])].join('\n');
  const markdown = [
    `**${sentence}**`,
    ...(fix ? [`**How to fix:** ${fix}`] : []),
    ...(refs.length > 0 ? [refs.map((ref) => `- ${ref}`).join('\n')] : []),
    ...(helpUri !== undefined ? [`See the [${meta.id} documentation](${helpUri}).`] : []),
  ].join('\n\n');
  const tags = [...new Set(meta.tags)].slice(0, MAX_SARIF_TAGS);
  return {
    id: meta.id,
    name: pascalCase(meta.id) || meta.id,
    shortDescription: { text: truncate(meta.description, MAX_DESCRIPTION) },
    fullDescription: { text: sentence },
    help: { text, markdown },
    ...(helpUri !== undefined ? { helpUri } : {}),
    defaultConfiguration: { level: meta.defaultSeverity },
    properties: {
      tags,
      precision: 'high',
      ...(meta.securitySeverity !== undefined ? { 'security-severity': meta.securitySeverity } : {}),
    },
  };
}

/** A source line for a snippet: whole when short, else a window from a little before `column` (1-based). */
function snippetLine(line: string, column: number): string {
  if (line.length <= MAX_SNIPPET_LINE) return line;
  const from = Math.max(0, Math.min(column - 1 - SNIPPET_LEAD, line.length - MAX_SNIPPET_LINE));
  return line.slice(from, from + MAX_SNIPPET_LINE);
}

/** A region with 1-based positions that never runs backwards, and the source lines it covers as a snippet. */
function region(finding: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>, source: string | undefined): SarifRegion {
  const startLine = Math.max(1, finding.line);
  const startColumn = Math.max(1, finding.column);
  const endLine = Math.max(startLine, finding.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, finding.endColumn) : Math.max(1, finding.endColumn);
  const out: SarifRegion = { startLine, startColumn, endLine, endColumn };
  if (source !== undefined) {
    const lines = sourceLines(source).slice(startLine - 1, Math.min(endLine, startLine - 1 + MAX_SNIPPET_LINES));
    if (lines.length > 0) out.snippet = { text: lines.map((line, i) => snippetLine(line, i === 0 ? startColumn : 1)).join('\n') };
  }
  return out;
}

/** The result's location: the file region plus the resource and (for CDK) the construct path. */
function findingLocation(finding: Finding, ctx: ReportContext): SarifLocation {
  const logical = [{ name: finding.resource, fullyQualifiedName: finding.resource, kind: 'resource' }];
  if (finding.constructPath) {
    const name = finding.constructPath.split('/').pop() || finding.constructPath;
    logical.push({ name, fullyQualifiedName: finding.constructPath, kind: 'module' });
  }
  return {
    physicalLocation: {
      artifactLocation: artifactUri(finding.file, ctx.workingDirectory),
      region: region(finding, ctx.source(finding.file)),
    },
    logicalLocations: logical,
  };
}

/** One SARIF result for one finding. */
function toResult(finding: Finding, ruleIndex: number, ctx: ReportContext): SarifResult {
  const result: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.severity,
    message: { text: truncate(finding.message, MAX_SARIF_MESSAGE) },
    locations: [findingLocation(finding, ctx)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
  if (finding.related && finding.related.length > 0) {
    result.relatedLocations = finding.related.map((r, i) => ({
      id: i + 1,
      message: { text: r.message },
      physicalLocation: {
        artifactLocation: artifactUri(r.file, ctx.workingDirectory),
        region: region({ ...r }, ctx.source(r.file)),
      },
    }));
  }
  if (finding.suppression) {
    const { kind, justification, origin } = finding.suppression;
    result.suppressions = [{ kind, ...(justification ? { justification } : {}), properties: { origin } }];
  }
  const properties = {
    ...(finding.securityGroup !== undefined ? { securityGroup: finding.securityGroup } : {}),
    ...(finding.introduced !== undefined ? { introduced: finding.introduced } : {}),
    ...(finding.foldedRuleIds && finding.foldedRuleIds.length > 0 ? { foldedRuleIds: finding.foldedRuleIds } : {}),
  };
  if (Object.keys(properties).length > 0) result.properties = properties;
  return result;
}

/**
 * The findings to emit: all of them when within GitHub's limit, else the most important ones (unsuppressed before
 * suppressed, then by severity), kept in engine order.
 */
function selectFindings(findings: readonly Finding[]): Finding[] {
  if (findings.length <= MAX_SARIF_RESULTS) return [...findings];
  const rank = (f: Finding): number => (f.suppression ? 3 : 0) + severityRank(f.severity);
  const kept = findings
    .map((finding, index) => ({ index, rank: rank(finding) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, MAX_SARIF_RESULTS)
    .map((entry) => entry.index)
    .sort((a, b) => a - b);
  return kept.map((index) => findings[index]).filter((f): f is Finding => f !== undefined);
}

/**
 * A tool execution notification for an input error (or, at level warning, a notice every report shows), located at
 * it when its position is known.
 */
function errorNotification(error: InputError | InputNotice, ctx: ReportContext, level: 'error' | 'warning' = 'error'): SarifNotification {
  const physicalLocation: NonNullable<SarifLocation['physicalLocation']> = {
    artifactLocation: artifactUri(error.file, ctx.workingDirectory),
  };
  if (error.line !== undefined && error.line >= 1) {
    physicalLocation.region = {
      startLine: error.line,
      ...(error.column !== undefined && error.column >= 1 ? { startColumn: error.column } : {}),
    };
  }
  return {
    level,
    message: { text: truncate(error.message, MAX_SARIF_MESSAGE) },
    descriptor: { id: level === 'error' ? 'input-error' : 'input-notice' },
    locations: [{ physicalLocation }],
  };
}

/**
 * The `%SRCROOT%` base, described but without a URI: the directory sg-lint ran in is a machine path, and leaving it
 * out keeps the log byte-identical across checkouts (consumers such as code scanning resolve relative URIs against
 * the repository root).
 */
function srcRoot(): { description: SarifText } {
  return { description: { text: 'The directory sg-lint ran in; result paths are relative to it.' } };
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one run holding every file, rule descriptors for the enabled rules, results
 * with `sgLint/v1` partial fingerprints, suppressed findings marked with `suppressions`, and input errors as tool
 * execution notifications. Deterministic: no timestamps, no absolute paths unless the input had them.
 */
export const sarifReporter: Reporter = (ctx: ReportContext): string => {
  const metas = describedRules(ctx.result);
  const indexById = new Map(metas.map((meta, index) => [meta.id, index]));
  const findings = selectFindings(ctx.result.findings);
  const notifications = [
    ...ctx.result.errors.map((error) => errorNotification(error, ctx)),
    ...ctx.result.notices.filter((n) => n.visible).map((notice) => errorNotification(notice, ctx, 'warning')),
  ];
  const omitted = ctx.result.findings.length - findings.length;
  if (omitted > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${omitted} of ${ctx.result.findings.length} results were omitted: GitHub code scanning accepts at most ${MAX_SARIF_RESULTS} results per run.`,
      },
      descriptor: { id: 'results-truncated' },
    });
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sg-lint',
            version: ctx.toolVersion,
            semanticVersion: ctx.toolVersion,
            informationUri: INFORMATION_URI,
            rules: metas.map((meta) => descriptor(meta, ctx.docsBaseUrl)),
          },
        },
        automationDetails: { id: ctx.automationId ?? DEFAULT_AUTOMATION_ID },
        originalUriBaseIds: { [SRCROOT]: srcRoot() },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: ctx.result.errors.length === 0, toolExecutionNotifications: notifications }],
        results: findings.map((finding) => toResult(finding, indexById.get(finding.ruleId) ?? 0, ctx)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
