import { compactReporter } from './compact';
import { githubReporter } from './github';
import { gitlabReporter } from './gitlab';
import { jsonReporter } from './json';
import { junitReporter } from './junit';
import { markdownReporter } from './markdown';
import { sarifReporter } from './sarif';
import { textReporter } from './text';
import type { FormatName, Reporter } from './types';

export type { FormatName, ReportContext, Reporter } from './types';
export { buildJsonReport, JSON_REPORT_VERSION } from './json';
export type { JsonReport, JsonFinding, JsonInputError, JsonRule } from './json';

/** Every output format, by the name `--format` accepts. */
export const REPORTERS: Record<FormatName, Reporter> = {
  text: textReporter,
  compact: compactReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  junit: junitReporter,
  gitlab: gitlabReporter,
  markdown: markdownReporter,
};

/** The format names, in documentation order. */
export const FORMAT_NAMES = Object.keys(REPORTERS) as FormatName[];

/** True when `name` is a known output format. */
export function isFormatName(name: string): name is FormatName {
  return Object.prototype.hasOwnProperty.call(REPORTERS, name);
}
