/**
 * Reading inputs into the model without running rules: what `sg-lint model` prints for other policy engines.
 */
import type { InputError, InputNotice, ParsedInput } from '../model/types';
import type { LintOptions } from './lint';
import { createResolver } from './lint';
import { readInputs, sortByFile } from './pipeline';

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
  const read = await readInputs(paths, cwd, createResolver(options, cwd), options);
  return { inputs: read.inputs, errors: read.errors, notices: sortByFile(read.notices) };
}
