import { dirname, resolve } from 'node:path';
import type { Target } from './discover';
import type { InputError, InputFormat, InputNotice, ParsedInput } from '../model/types';
import { parseCloudAssembly } from './cdk';
import { parseCloudFormation } from './cloudformation';
import { detectFormat } from './detect';
import type { DetectedFormat } from './detect';
import { DEFAULT_MAX_FILE_SIZE, readStdin, readText, tooLarge } from './read';
import type { ReadResult } from './read';
import { parseTerraformHcl, parseTerraformJson, parseTerraformPlan } from './terraform';
import type { ParseOptions } from './types';

/** Options for reading and parsing a run's targets. */
export interface ParseTargetsOptions extends ParseOptions {
  /** Folder the targets' relative paths are relative to; default `process.cwd()`. */
  cwd?: string;
  maxFileSize?: number;
  /** Called after each target is parsed (progress display). */
  onProgress?: (done: number, total: number) => void;
}

/** Everything parsed in a run, with the source texts kept for code frames. */
export interface ParsedTargets {
  inputs: ParsedInput[];
  errors: InputError[];
  notices: InputNotice[];
  sources: Map<string, string>;
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
  const hclByDir = new Map<string, { file: string; text: string }[]>();
  const tfJsonByDir = new Map<string, { file: string; text: string }[]>();
  let done = 0;
  const progress = (): void => options.onProgress?.(++done, targets.length);
  const readFile = readAhead(targets, (path) => readText(resolve(cwd, path), maxSize), READ_AHEAD);

  for (const [index, target] of targets.entries()) {
    if (target.kind === 'cdk') {
      collect(out, guarded([target.dir], 'cdk', () => parseCloudAssembly(target.dir, { ...options, cwd })));
      progress();
      continue;
    }
    const file = target.kind === 'stdin' ? STDIN_NAME : target.path;
    const read = target.kind === 'stdin' ? await readStdin(maxSize) : await readFile(index, target.path);
    if (!read.ok) {
      if (read.binary && target.kind === 'file' && !target.explicit) out.notices.push({ file, message: read.message });
      else out.errors.push({ file, message: read.message });
      progress();
      continue;
    }
    out.sources.set(file, read.text);
    dispatch(out, file, read.text, detectFormat(file, read.text), options, hclByDir, tfJsonByDir);
    progress();
  }
  for (const files of sortedValues(tfJsonByDir)) collect(out, guarded(names(files), 'terraform-json', () => parseTerraformJson(files, options)));
  // parseTerraformHcl loads the HCL grammar (the heaviest thing sg-lint can load) on its first call only.
  for (const files of sortedValues(hclByDir)) collect(out, await guardedAsync(names(files), 'terraform-hcl', () => parseTerraformHcl(files, options)));
  return out;
}

/** Parses one text with the parser of its format; Terraform files wait in `hclByDir`/`tfJsonByDir` for their folder. */
function dispatch(
  out: ParsedTargets,
  file: string,
  text: string,
  format: DetectedFormat,
  options: ParseOptions,
  hclByDir: Map<string, { file: string; text: string }[]>,
  tfJsonByDir: Map<string, { file: string; text: string }[]>,
): void {
  switch (format) {
    case 'cloudformation':
      collect(out, guarded([file], /^\s*\{/.test(text) ? 'cloudformation-json' : 'cloudformation-yaml', () => [parseCloudFormation(text, file, options)]));
      break;
    case 'terraform-plan':
      collect(out, guarded([file], 'terraform-plan', () => [parseTerraformPlan(text, file, options)]));
      break;
    case 'terraform-json':
      push(tfJsonByDir, dirname(file), { file, text });
      break;
    case 'terraform-hcl':
      push(hclByDir, dirname(file), { file, text });
      break;
    case null:
      out.notices.push({ file, message: 'not a CloudFormation template, Terraform file or plan; skipped' });
      break;
  }
}

/** Options of `parseText`: the parse options, and the input format when the caller knows it. */
export interface ParseTextOptions extends ParseOptions {
  /** The format of the text; by default detected from its content and `file`'s name. `cdk` is a folder, not a text. */
  format?: InputFormat;
  maxFileSize?: number;
}

/** The parser family of an input format. */
const FAMILY: Record<Exclude<InputFormat, 'cdk'>, Exclude<DetectedFormat, null>> = {
  'cloudformation-yaml': 'cloudformation',
  'cloudformation-json': 'cloudformation',
  'terraform-plan': 'terraform-plan',
  'terraform-state': 'terraform-plan',
  'terraform-json': 'terraform-json',
  'terraform-hcl': 'terraform-hcl',
};

/**
 * Parses one text (an editor buffer, a string from another tool) as the file `file`, in `options.format` or in the
 * format its content shows. Never throws: problems are errors and notices, as for files.
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
  const hcl = new Map<string, { file: string; text: string }[]>();
  const tfJson = new Map<string, { file: string; text: string }[]>();
  dispatch(out, file, text, options.format !== undefined ? FAMILY[options.format] : detectFormat(file, text), options, hcl, tfJson);
  for (const files of tfJson.values()) collect(out, guarded(names(files), 'terraform-json', () => parseTerraformJson(files, options)));
  for (const files of hcl.values()) collect(out, await guardedAsync(names(files), 'terraform-hcl', () => parseTerraformHcl(files, options)));
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
    out.errors.push(...input.errors);
    out.notices.push(...input.notices);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sortedValues<V>(map: Map<string, V>): V[] {
  return [...map.keys()].sort().map((k) => map.get(k) as V);
}
