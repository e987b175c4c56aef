/**
 * Reading inputs into the model without running rules: what `sg-lint model` prints for other policy engines.
 */
import { discover } from '../parsers/discover';
import type { InputError, InputNotice, ParsedInput } from '../model/types';
import { parseTargets } from '../parsers';
import type { LintOptions } from './lint';
import { createResolver } from './lint';

/** The parsed model of a run's inputs, with the problems reading them. */
export interface ReadModelResult {
  inputs: ParsedInput[];
  errors: InputError[];
  notices: InputNotice[];
}

/**
 * Discovers and parses inputs exactly as a lint run does (same discovery, same configuration `ignorePatterns`, same
 * limits) and returns the model. Never throws on bad input; throws `ConfigError` for a bad configuration.
 */
export async function readModel(paths: readonly string[], options: LintOptions = {}): Promise<ReadModelResult> {
  const cwd = options.cwd ?? process.cwd();
  const resolver = createResolver(options, cwd);
  const found = await discover(paths, { cwd, ignore: options.ignorePatterns });
  const targets = found.targets.filter((t) => t.kind === 'stdin' || !resolver.effective(t.kind === 'file' ? t.path : t.dir).ignored);
  const parsed = await parseTargets(targets, { cwd, maxFileSize: options.maxFileSize, maxVariants: options.maxVariants });
  const byFile = (a: { file: string }, b: { file: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return {
    inputs: parsed.inputs.filter((i) => !resolver.effective(i.file).ignored),
    errors: [...found.errors, ...parsed.errors].sort(byFile),
    notices: [...found.notices, ...parsed.notices].sort(byFile),
  };
}
