import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Target } from './discover';
import type { InputError, InputFormat, InputNotice, ParsedInput } from '../model/types';
import { parseCloudAssembly } from './cdk';
import { parseCloudFormation } from './cloudformation';
import { detectFormat } from './detect';
import type { DetectedFormat } from './detect';
import { DEFAULT_MAX_FILE_SIZE, readStdin, readText, tooLarge } from './read';
import type { ReadResult } from './read';
import type { parseTerraformPlan, parseTerraformProject, TerraformOptions } from './terraform';
import type { ParameterValue, ParseOptions } from './types';
import { pushAll } from '../model/arrays';

/** Options for reading and parsing a run's targets. */
export interface ParseTargetsOptions extends ParseOptions {
  /** Folder the targets' relative paths are relative to; default `process.cwd()`. */
  cwd?: string;
  maxFileSize?: number;
  /** Called after each target is parsed (progress display). */
  onProgress?: (done: number, total: number) => void;
  /** Terraform variable values from the command line or the API, and the environment to read `TF_VAR_` from. */
  terraform?: TerraformOptions;
  /**
   * The CloudFormation parameter values of one file (a template, or a cdk.out folder) when they differ from
   * `parameters` (a configuration file gives values for the files it covers); undefined: `parameters` apply.
   */
  parametersFor?: (file: string) => Readonly<Record<string, ParameterValue>> | undefined;
}

/** The options for one file: its own parameter values when it has them. */
function forFile(options: ParseTargetsOptions, file: string): ParseTargetsOptions {
  const parameters = options.parametersFor?.(file);
  return parameters ? { ...options, parameters } : options;
}

/** Everything parsed in a run, with the source texts kept for code frames. */
export interface ParsedTargets {
  inputs: ParsedInput[];
  errors: InputError[];
  notices: InputNotice[];
  sources: Map<string, string>;
}

/**
 * The Terraform parsers (with the expression evaluator and its function library), loaded on first use: a run
 * without Terraform inputs never evaluates their code (cold start, see docs/performance.md).
 */
function terraformParsers(): { parseTerraformPlan: typeof parseTerraformPlan; parseTerraformProject: typeof parseTerraformProject } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./terraform') as { parseTerraformPlan: typeof parseTerraformPlan; parseTerraformProject: typeof parseTerraformProject };
}

/** Name used for standard input in reports. */
export const STDIN_NAME = '<stdin>';

/**
 * How many files `parseTargets` reads ahead of the one it parses. Reading (file-system calls, which Node runs on its
 * thread pool) then overlaps parsing instead of alternating with it; the bound keeps memory at a few files' texts.
 */
export const READ_AHEAD = 8;

/**
 * Reads and parses every target with the parser its content calls for. `.tf` and `.tf.json` files of one folder are
 * parsed together as one module. Problems never throw: they become errors (exit code 2) or notices (--verbose).
 */
export async function parseTargets(targets: readonly Target[], options: ParseTargetsOptions = {}): Promise<ParsedTargets> {
  const out: ParsedTargets = { inputs: [], errors: [], notices: [], sources: new Map() };
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const cwd = options.cwd ?? process.cwd();
  const terraform: { file: string; text: string }[] = [];
  let done = 0;
  const progress = (): void => options.onProgress?.(++done, targets.length);
  const readFile = readAhead(targets, (path) => readText(resolve(cwd, path), maxSize), READ_AHEAD);

  for (const [index, target] of targets.entries()) {
    if (target.kind === 'cdk') {
      collect(out, guarded([target.dir], 'cdk', () => parseCloudAssembly(target.dir, { ...forFile(options, target.dir), cwd })));
      progress();
      continue;
    }
    const file = target.kind === 'stdin' ? (target.name ?? STDIN_NAME) : target.path;
    const read = target.kind === 'stdin' ? await readStdin(maxSize) : await readFile(index, target.path);
    if (!read.ok) {
      if (read.binary && target.kind === 'file' && !target.explicit) out.notices.push({ file, message: read.message });
      else out.errors.push({ file, message: read.message });
      progress();
      continue;
    }
    out.sources.set(file, read.text);
    const format = detectFormat(file, read.text);
    switch (format) {
      case 'cloudformation':
        collect(out, guarded([file], /^\s*\{/.test(read.text) ? 'cloudformation-json' : 'cloudformation-yaml', () => [parseCloudFormation(read.text, file, forFile(options, file))]));
        break;
      case 'terraform-plan':
        collect(out, guarded([file], 'terraform-plan', () => [terraformParsers().parseTerraformPlan(read.text, file, options)]));
        break;
      case 'terraform-json':
      case 'terraform-hcl':
      case 'terragrunt':
        terraform.push({ file, text: read.text });
        break;
      case null: {
        // A file named on the command line (or standard input) that is no template is a visible warning, never silent.
        const named = target.kind === 'stdin' || target.explicit;
        out.notices.push({ file, message: 'not a CloudFormation template, Terraform file or plan; skipped', ...(named ? { visible: true } : {}) });
        break;
      }
    }
    progress();
  }
  // All Terraform configurations are parsed together: a directory another one calls is linted through its callers.
  // The HCL grammar (the heaviest thing sg-lint can load) is loaded only when a .tf file is among them.
  if (terraform.length > 0) {
    const sorted = [...terraform].sort((a, b) => compareText(dirname(a.file), dirname(b.file)));
    collect(out, await moduleGuarded(sorted, 'terraform-hcl', (some) => terraformParsers().parseTerraformProject(some, { ...options, cwd })));
  }
  return out;
}

/** Options of {@link parseText}. */
export interface ParseTextOptions extends ParseTargetsOptions {
  /** The format of the text; by default detected from its content and `file`'s name. `cdk` is a folder, not a text. */
  format?: InputFormat;
}

const FAMILY: Record<Exclude<InputFormat, 'cdk'>, Exclude<DetectedFormat, null>> = {
  'cloudformation-yaml': 'cloudformation',
  'cloudformation-json': 'cloudformation',
  'terraform-plan': 'terraform-plan',
  'terraform-state': 'terraform-plan',
  'terraform-json': 'terraform-json',
  'terraform-hcl': 'terraform-hcl',
};

/**
 * Parses one text given by the caller (an editor's buffer) as the file `file` (relative to `cwd`), in `format` or by
 * its content. A Terraform text is read as part of its module, as Terraform does: the other `.tf` and `.tf.json` files
 * of its folder are read from disk (the text stands in for `file`), and only the text's own findings come back.
 */
export async function parseText(text: string, file: string, options: ParseTextOptions = {}): Promise<ParsedTargets> {
  const out: ParsedTargets = { inputs: [], errors: [], notices: [], sources: new Map() };
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (Buffer.byteLength(text, 'utf8') > maxSize) {
    out.errors.push({ file, message: tooLarge('text is', maxSize) });
    return out;
  }
  if (options.format === 'cdk') {
    out.errors.push({ file, message: 'a cdk.out assembly is a folder: lint it by path, not as a text' });
    return out;
  }
  out.sources.set(file, text);
  const { format: given, ...parseOptions } = options;
  const cwd = options.cwd ?? process.cwd();
  const format = given !== undefined ? FAMILY[given] : detectFormat(file, text);
  switch (format) {
    case 'cloudformation':
      collect(out, guarded([file], /^\s*\{/.test(text) ? 'cloudformation-json' : 'cloudformation-yaml', () => [parseCloudFormation(text, file, forFile(parseOptions, file))]));
      break;
    case 'terraform-plan':
      collect(out, guarded([file], 'terraform-plan', () => [terraformParsers().parseTerraformPlan(text, file, parseOptions)]));
      break;
    case 'terraform-json':
    case 'terraform-hcl':
    case 'terragrunt': {
      const files = [{ file, text }, ...(options.terraform?.fileOnly ? [] : await moduleSiblings(file, cwd, maxSize))];
      const own = await moduleGuarded(files, 'terraform-hcl', (some) => terraformParsers().parseTerraformProject(some, { ...parseOptions, cwd }));
      collect(out, own.filter((input) => input.file === file));
      break;
    }
    case null:
      out.notices.push({ file, message: 'not a CloudFormation template, Terraform file or plan; skipped' });
      break;
  }
  return out;
}

/** The other `.tf` and `.tf.json` files of `file`'s folder on disk (none when the folder does not exist). */
async function moduleSiblings(file: string, cwd: string, maxSize: number): Promise<{ file: string; text: string }[]> {
  const dir = dirname(file);
  let entries: string[];
  try {
    entries = readdirSync(resolve(cwd, dir));
  } catch {
    return [];
  }
  const out: { file: string; text: string }[] = [];
  for (const name of entries.sort()) {
    if (name === basename(file) || !(name.endsWith('.tf') || name.endsWith('.tf.json'))) continue;
    const path = dir === '.' ? name : join(dir, name);
    const read = await readText(resolve(cwd, path), maxSize);
    if (read.ok) out.push({ file: path, text: read.text });
  }
  return out;
}

/**
 * Reads the file targets ahead of the parser. The returned function, called for file targets in increasing order,
 * gives the read of target `index` (at `path`) and makes sure the reads of the file targets up to `index + limit` have
 * started, so at most `limit + 1` are in flight or waiting to be parsed. Targets are still parsed one after the other
 * in target order, so results do not depend on which read finishes first.
 */
function readAhead(
  targets: readonly Target[],
  read: (path: string) => Promise<ReadResult>,
  limit: number,
): (index: number, path: string) => Promise<ReadResult> {
  const started = new Map<number, Promise<ReadResult>>();
  let next = 0;
  return (index, path) => {
    const current = started.get(index) ?? read(path);
    started.delete(index);
    for (next = Math.max(next, index + 1); next < targets.length && next <= index + limit; next++) {
      const target = targets[next];
      if (target?.kind !== 'file') continue;
      const ahead = read(target.path);
      // Awaited in its turn, which sees any failure; until then a failure must not count as unhandled.
      ahead.catch(() => undefined);
      started.set(next, ahead);
    }
    return current;
  };
}

/**
 * Runs one parser call; if it throws after all (a stack overflow on absurd nesting, a parser bug), its files get one
 * error each and the run goes on with the other inputs instead of ending with an internal error.
 */
function guarded(files: readonly string[], format: InputFormat, parse: () => ParsedInput[]): ParsedInput[] {
  try {
    return parse();
  } catch (e) {
    return failedInputs(files, format, e);
  }
}

async function guardedAsync(files: readonly string[], format: InputFormat, parse: () => Promise<ParsedInput[]>): Promise<ParsedInput[]> {
  try {
    return await parse();
  } catch (e) {
    return failedInputs(files, format, e);
  }
}

/**
 * Parses the files of one Terraform module together; if that fails after all (a parser bug on one file), each file is
 * parsed on its own, so one bad file never takes the module's other files down: they are linted without what they
 * would have read from the bad one, and only the bad file gets the error.
 */
async function moduleGuarded(
  files: readonly { file: string; text: string }[],
  format: InputFormat,
  parse: (files: readonly { file: string; text: string }[]) => ParsedInput[] | Promise<ParsedInput[]>,
): Promise<ParsedInput[]> {
  try {
    return await parse(files);
  } catch (e) {
    if (files.length === 1) return failedInputs(names(files), format, e);
    const out: ParsedInput[] = [];
    for (const one of files) pushAll(out, await guardedAsync([one.file], format, async () => parse([one])));
    return out;
  }
}

function failedInputs(files: readonly string[], format: InputFormat, e: unknown): ParsedInput[] {
  const message = isStackOverflow(e)
    ? 'cannot read this input: it is nested too deeply (the call stack ran out)'
    : `cannot read this input: sg-lint failed on it (${e instanceof Error ? e.message : String(e)}); please report this`;
  return files.map((file) => ({ file, format, groups: [], users: [], errors: [{ file, message }], notices: [] }));
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

function names(files: readonly { file: string }[]): string[] {
  return files.map((f) => f.file);
}

function collect(out: ParsedTargets, inputs: readonly ParsedInput[]): void {
  for (const input of inputs) {
    out.inputs.push(input);
    pushAll(out.errors, input.errors);
    pushAll(out.notices, input.notices);
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
