/**
 * sg-lint's programmatic API.
 *
 * ```ts
 * import { lint, format } from 'sg-lint';
 * const result = await lint(['infra/'], { rules: { 'excessive-rules': { options: { threshold: 40 } } } });
 * console.log(format(result, 'sarif'));
 * ```
 */
import { REPORTERS } from './reporters';
import type { FormatName } from './reporters';
import type { LintResult } from './engine/types';
import { DOCS_BASE_URL, toolVersion } from './cli/main';

export { lint, lintRun, lintText } from './engine/lint';
export type { LintOptions, LintRun, LintTextOptions } from './engine/lint';
export type { RuleSetting, RuleSettings } from './engine/run';
export type {
  AppliedSuppression,
  Finding,
  LintResult,
  Rule,
  RuleContext,
  RuleMeta,
  RuleReport,
  Severity,
  TrustedNetwork,
} from './engine/types';
export type * from './model/types';
export { RULES } from './rules';
export { defineRule, RULE_TAGS } from './rules/api';
/** Helpers built-in rules share and plugins may use: peers, traffic, variants, messages, quota, CIDR and port helpers. */
export * as kit from './rules/kit';
export type { PluginModule, PluginPreset } from './engine/plugins';
export type { OptionMeta, RuleOrigin, RuleTag } from './rules/api';
export { REPORTERS } from './reporters';
export type { FormatName } from './reporters';

/** Formats a lint result as one of the report formats (no colors, no code frames). */
export function format(result: LintResult, name: FormatName = 'text', sources?: ReadonlyMap<string, string>): string {
  return REPORTERS[name]({
    result,
    source: (file) => sources?.get(file),
    color: false,
    toolVersion: toolVersion(),
    verbose: false,
    docsBaseUrl: DOCS_BASE_URL,
  });
}
