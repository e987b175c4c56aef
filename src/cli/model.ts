/**
 * `sg-lint model [options] [file|dir|glob|-]...`: prints the normalized model of the inputs as JSON (described by
 * schemas/model.schema.json), for policies written in other engines (OPA/Rego, cfn-guard, jq).
 */
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readModel } from '../engine/model';
import { modelDocument, serializeModelDocument } from '../model/document';
import type { InputError } from '../model/types';
import { escapeControl } from '../reporters/common';
import { parseSize } from './args';
import type { OptionSpec } from './options';
import { flagValue, optionHelp, parseArguments, stringValue } from './options';

/** Where the model command writes and which folder relative inputs are relative to. */
export interface ModelIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

/** The options of `sg-lint model`, as a table (parsed and listed in `--help` from here). */
export const MODEL_OPTIONS: readonly OptionSpec[] = [
  { name: 'format', short: 'f', value: '<name>', help: 'json (the only format)' },
  { name: 'output', short: 'o', value: '<file>', help: 'write the model to a file instead of standard output' },
  { name: 'config', short: 'c', value: '<file>', help: 'configuration file whose ignorePatterns apply (default: .sg-lint.{yaml,yml,json} found upward)' },
  { name: 'max-file-size', value: '<n>', help: 'refuse inputs larger than n bytes (5000000, 5MB)' },
  { name: 'help', short: 'h', help: 'print this help and exit' },
];

export const MODEL_HELP = `Usage: sg-lint model [options] [file|dir|glob|-]...

Prints the normalized security-group model of the inputs as JSON: every group with its
ingress and egress rules (one peer each), the resources that attach groups, and every value the
input does not determine, whatever the input format. Described by schemas/model.schema.json.
With no input, reads the current directory.

Options:
${optionHelp(MODEL_OPTIONS)}

Exit codes: 0 the model was written, 2 usage or configuration error, or an input that could not
be read or parsed (the model of all other inputs is still written, the problems are in "errors").`;

/** Thrown for bad command-line arguments. */
class ModelUsageError extends Error {}

/** Runs `sg-lint model` with the arguments after the word `model`; resolves to the exit code. Configuration errors throw. */
export async function runModel(argv: readonly string[], io: ModelIo, toolVersion: string): Promise<number> {
  let values;
  let positionals: string[];
  let maxFileSize: number | undefined;
  try {
    ({ values, positionals } = parseArguments(argv, MODEL_OPTIONS));
    const format = stringValue(values, 'format');
    if (format !== undefined && format !== 'json') throw new ModelUsageError(`--format must be json (got "${format}")`);
    const size = stringValue(values, 'max-file-size');
    if (size !== undefined) {
      maxFileSize = parseSize(size);
      if (maxFileSize === undefined) throw new ModelUsageError(`--max-file-size must be a size in bytes such as 5000000 or 5MB (got "${size}")`);
    }
  } catch (e) {
    io.stderr(`sg-lint model: ${escapeControl(e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e))}\nRun "sg-lint model --help" for usage.\n`);
    return 2;
  }
  const config = stringValue(values, 'config');
  const output = stringValue(values, 'output');
  if (flagValue(values, 'help')) {
    io.stdout(`${MODEL_HELP}\n`);
    return 0;
  }
  const model = await readModel(positionals.length > 0 ? positionals : ['.'], {
    cwd: io.cwd,
    ...(config !== undefined ? { config } : {}),
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
  });
  const text = serializeModelDocument(modelDocument(model.inputs, model.errors, model.notices, toolVersion));
  if (output !== undefined) {
    const target = resolve(io.cwd, output);
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.writeFile(target, text);
  } else {
    io.stdout(text);
  }
  for (const e of model.errors) io.stderr(formatError(e));
  return model.errors.length > 0 ? 2 : 0;
}

function formatError(e: InputError): string {
  return `${escapeControl(e.file)}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: error: ${escapeControl(e.message)}\n`;
}
