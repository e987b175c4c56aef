/**
 * `sg-lint model [options] [file|dir|glob|-]...`: prints the normalized model of the inputs as JSON (described by
 * schemas/model.schema.json), for policies written in other engines (OPA/Rego, cfn-guard, jq).
 */
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readModel } from '../engine/model';
import { modelDocument, serializeModelDocument } from '../model/document';
import type { InputError } from '../model/types';

/** Where the model command writes and which folder relative inputs are relative to. */
export interface ModelIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

export const MODEL_HELP = `Usage: sg-lint model [options] [file|dir|glob|-]...

Prints the normalized security-group model of the inputs as JSON: every group with its
ingress and egress rules (one peer each), the resources that attach groups, and every value the
input does not determine, whatever the input format. Described by schemas/model.schema.json.
With no input, reads the current directory.

Options:
  -f, --format <name>     json (the only format)
  -o, --output <file>     write the model to a file instead of standard output
  -c, --config <file>     configuration file whose ignorePatterns apply
                          (default: .sg-lint.{yaml,yml,json} found upward)
      --max-file-size <n> refuse inputs larger than n bytes
  -h, --help              print this help and exit

Exit codes: 0 the model was written, 2 usage or configuration error, or an input that could not
be read or parsed (the model of all other inputs is still written, the problems are in "errors").`;

/** Thrown for bad command-line arguments. */
class ModelUsageError extends Error {}

/** Runs `sg-lint model` with the arguments after the word `model`; resolves to the exit code. Configuration errors throw. */
export async function runModel(argv: readonly string[], io: ModelIo, toolVersion: string): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        'max-file-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.format !== undefined && values.format !== 'json') throw new ModelUsageError(`--format must be json (got "${values.format}")`);
    if (values['max-file-size'] !== undefined && !/^\d+$/.test(values['max-file-size'])) {
      throw new ModelUsageError(`--max-file-size must be a number of bytes (got "${values['max-file-size']}")`);
    }
  } catch (e) {
    io.stderr(`sg-lint model: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}\nRun "sg-lint model --help" for usage.\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${MODEL_HELP}\n`);
    return 0;
  }
  const model = await readModel(positionals.length > 0 ? positionals : ['.'], {
    cwd: io.cwd,
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values['max-file-size'] !== undefined ? { maxFileSize: Number(values['max-file-size']) } : {}),
  });
  const text = serializeModelDocument(modelDocument(model.inputs, model.errors, model.notices, toolVersion));
  if (values.output !== undefined) {
    const target = resolve(io.cwd, values.output);
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.writeFile(target, text);
  } else {
    io.stdout(text);
  }
  for (const e of model.errors) io.stderr(formatError(e));
  return model.errors.length > 0 ? 2 : 0;
}

function formatError(e: InputError): string {
  return `${e.file}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: error: ${e.message}\n`;
}
