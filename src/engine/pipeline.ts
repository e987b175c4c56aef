/**
 * The one lint pipeline: discover -> parse -> evaluate -> filters (only changed, diff, baseline). Every entry point
 * runs these stages: the CLI and `lint()` (all of them), `graph` and `model` (discover and parse, and for `graph`
 * evaluate), `diff` and `--diff-base` (the same stages for the old side), and `lintText` (parse and evaluate one
 * text). A stage never throws on bad input: problems become errors (exit 2) and notices.
 */
import type { InputError, InputFormat, InputNotice, ParsedInput } from '../model/types';
import { parseTargets, parseText } from '../parsers';
import type { ParsedTargets, ParseTargetsOptions } from '../parsers';
import type { Target } from '../parsers/discover';
import { discover } from '../parsers/discover';
import type { TerraformOptions } from '../parsers/terraform';
import type { ParameterValue } from '../parsers/types';
import type { ConfigResolver } from './config';
import { loadParameters } from './parameters';
import { prependAll } from '../model/arrays';

/** What the discover and parse stages need from a run's options. */
export interface ReadOptions {
  /** Glob patterns (relative to cwd) never linted, on top of the configuration's `ignorePatterns`. */
  ignorePatterns?: string[];
  /** Files larger than this many bytes are refused with an error. */
  maxFileSize?: number;
  /** Cap on the variants one rule entry expands into (Fn::If x AllowedValues). */
  maxVariants?: number;
  /** Progress callback (files parsed so far, total). */
  onProgress?: (done: number, total: number) => void;
  /** CloudFormation parameter files, relative to cwd; later files override earlier ones. */
  parameterFiles?: string[];
  /** CloudFormation parameter values; they override the files. */
  parameters?: Record<string, string>;
  /** The name standard input is linted as (`--stdin-filename`): findings name it and its format is detected from it. */
  stdinFilename?: string;
  /** Terraform variable values, the environment `TF_VAR_` values are read from, and `fileOnly`. */
  terraform?: TerraformOptions;
  /**
   * The configuration's CloudFormation parameter values for a file (relative to cwd): its `parameters` and those of
   * matching `overrides`. `parameterFiles` and `parameters` override them. The engine fills it from the resolver.
   */
  configParameters?: (file: string) => Readonly<Record<string, ParameterValue>>;
}

/** The inputs of a run after the discover and parse stages. */
export interface ReadInputs {
  /** The targets discovery found and the configuration does not ignore (what `--diff-base` compares). */
  targets: Target[];
  /** Parsed inputs, ignored files removed. */
  inputs: ParsedInput[];
  errors: InputError[];
  notices: InputNotice[];
  /** Source texts, for code frames. */
  sources: Map<string, string>;
}

/**
 * Stages 1 and 2: discovers the inputs (files, folders, globs, `-`, cdk.out; a `.tf` file brings its module's other
 * files unless `terraform.fileOnly`), drops what the configuration ignores (with a notice for a file named
 * explicitly), and parses the rest with the run's file-size cap, variant cap, parameter values and Terraform
 * variables.
 */
export async function readInputs(paths: readonly string[], cwd: string, resolver: ConfigResolver, options: ReadOptions = {}): Promise<ReadInputs> {
  const found = await discover(paths, {
    cwd,
    ignore: options.ignorePatterns,
    moduleSiblings: !options.terraform?.fileOnly,
    ...(options.stdinFilename !== undefined ? { stdinName: options.stdinFilename } : {}),
  });
  const ignored = (t: Target): boolean => t.kind !== 'stdin' && resolver.effective(t.kind === 'file' ? t.path : t.dir).ignored;
  const targets = found.targets.filter((t) => !ignored(t));
  const ignoredNotices: InputNotice[] = found.targets
    .filter((t) => t.kind === 'file' && t.explicit && ignored(t))
    .map((t) => ({ file: t.kind === 'file' ? t.path : '', message: 'not linted: matches ignorePatterns of the configuration', visible: true }));
  const parsed = await parseStage(targets, cwd, { configParameters: (file) => resolver.effective(file).parameters, ...options });
  return {
    targets,
    inputs: parsed.inputs.filter((i) => !resolver.effective(i.file).ignored),
    errors: sortByFile([...found.errors, ...parsed.errors]),
    notices: [...found.notices, ...ignoredNotices, ...parsed.notices],
    sources: parsed.sources,
  };
}

/**
 * Stage 2 alone, for targets found elsewhere (the old side of a diff, read from `readFrom`): the same parameter
 * values (files relative to `cwd`) and Terraform variables as the rest of the run, so equal findings keep equal
 * fingerprints. Problems reading the parameter files come first among the errors.
 */
export async function parseStage(targets: readonly Target[], cwd: string, options: ReadOptions, readFrom = cwd): Promise<ParsedTargets> {
  const params = loadParameters(options.parameterFiles ?? [], options.parameters ?? {}, cwd);
  const parsed = await parseTargets(targets, { cwd: readFrom, ...parseOptions(options, params.values) });
  prependAll(parsed.errors, params.errors);
  return parsed;
}

/** Stage 2 for one text given by the caller (an editor buffer): parsed as `file`, in `format` or by its content. */
export async function readText(text: string, file: string, format: InputFormat | undefined, cwd: string, options: ReadOptions = {}): Promise<ReadInputs> {
  const params = loadParameters(options.parameterFiles ?? [], options.parameters ?? {}, cwd);
  const parsed = await parseText(text, file, { cwd, ...parseOptions(options, params.values), ...(format !== undefined ? { format } : {}) });
  return {
    targets: [{ kind: 'file', path: file, explicit: true }],
    inputs: parsed.inputs,
    errors: sortByFile([...params.errors, ...parsed.errors]),
    notices: parsed.notices,
    sources: parsed.sources,
  };
}

function parseOptions(options: ReadOptions, parameters: ParseTargetsOptions['parameters']): Omit<ParseTargetsOptions, 'cwd'> {
  const configured = options.configParameters;
  // A configuration's `parameters` apply to the files it covers; --parameters and --parameter override them.
  const parametersFor = configured
    ? (file: string): Readonly<Record<string, ParameterValue>> | undefined => {
        const values = configured(file);
        return Object.keys(values).length === 0 ? undefined : { ...values, ...parameters };
      }
    : undefined;
  return {
    ...(parametersFor !== undefined ? { parametersFor } : {}),
    ...(options.maxFileSize !== undefined ? { maxFileSize: options.maxFileSize } : {}),
    ...(options.maxVariants !== undefined ? { maxVariants: options.maxVariants } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    ...(parameters && Object.keys(parameters).length > 0 ? { parameters } : {}),
    terraform: { ...options.terraform, vars: options.terraform?.vars ?? [], env: options.terraform?.env ?? process.env },
  };
}

/** Errors and notices in file, line, column, message order. */
export function sortByFile<T extends InputError | InputNotice>(items: T[]): T[] {
  return items.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
