import type { LintResult, Severity } from '../engine/types';

/** The output formats sg-lint can write. */
export type FormatName = 'text' | 'compact' | 'json' | 'sarif' | 'github' | 'junit' | 'gitlab' | 'markdown';

/** Everything a reporter may read. Reporters are pure functions of this context. */
export interface ReportContext {
  /** What the engine produced: findings (sorted by file, line, column, ruleId), input errors, notices, files, rules. */
  result: LintResult;
  /** Source text of a linted file when available (for code frames and SARIF snippets); undefined otherwise. */
  source(file: string): string | undefined;
  /** Text only: use ANSI colors. Never colors when false. */
  color: boolean;
  /** sg-lint's version, from package.json. */
  toolVersion: string;
  /** Text only: also print notices. */
  verbose: boolean;
  /** Base of the rule documentation; a rule's help URI is `docsBaseUrl + id + '.md'`. */
  docsBaseUrl: string;
  /** SARIF `runAutomationDetails.id` (the code-scanning category); defaults to `'sg-lint/'`. */
  automationId?: string;
  /**
   * Absolute path of the directory sg-lint ran in. When given, absolute file paths under it are written relative to
   * it in SARIF and GitLab output. Reporters never read `process.cwd()` themselves.
   */
  workingDirectory?: string;
  /**
   * The `--fail-on` threshold: formats that pass or fail (JUnit) fail only findings at or above it. Default `error`;
   * `none` fails nothing.
   */
  failOn?: Severity | 'none';
  /** Unsuppressed findings `--quiet` left out of `result`; summaries mention them instead of claiming a clean run. */
  hiddenByQuiet?: number;
}

/** A reporter: the same context always yields byte-identical output. */
export type Reporter = (ctx: ReportContext) => string;
