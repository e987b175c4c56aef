/**
 * `sg-lint graph INPUT... [--format mermaid|dot|svg] [--output FILE] [--egress]`: draws who can reach which security
 * group and what each group guards, highlighting what the lint rules flag.
 */
import { promises as fs } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { createResolver, evaluate } from '../engine/lint';
import type { InputError } from '../model/types';
import { buildGraph, GRAPH_FORMATS, renderGraph } from '../graph';
import type { GraphFormat } from '../graph';
import { readInputs } from '../engine/pipeline';
import { escapeControl } from '../reporters/common';
import type { OptionSpec } from './options';
import { flagValue, optionHelp, parseArguments, stringValue } from './options';

/** Where the graph command writes and which folder relative inputs are relative to. */
export interface GraphIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

/** The options of `sg-lint graph`, as a table (parsed and listed in `--help` from here). */
export const GRAPH_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'format',
    short: 'f',
    value: '<name>',
    help: "mermaid (default), dot (Graphviz), svg; default from the --output file's extension (.svg, .dot/.gv, else mermaid)",
  },
  { name: 'output', short: 'o', value: '<file>', help: 'write the graph to a file instead of standard output' },
  {
    name: 'config',
    short: 'c',
    value: '<file>',
    help: 'configuration file (default: .sg-lint.{yaml,yml,json} found upward): rules, severities and suppressions highlighted',
  },
  { name: 'egress', help: 'also draw egress rules (dashed, group -> destination)' },
  { name: 'help', short: 'h', help: 'print this help and exit' },
];

export const GRAPH_HELP = `Usage: sg-lint graph [options] [file|dir|glob]...

Draws the security groups of the inputs: who can reach each group on which ports (the internet,
CIDR blocks, prefix lists, other groups) and the resources each group guards. Groups and rules
with findings are highlighted: red for errors, orange for warnings. With no input, uses the
current directory.

Options:
${optionHelp(GRAPH_OPTIONS)}

Exit codes: 0 the graph was written, 2 usage error or an input that could not be read or parsed
(the graph of all other inputs is still written).`;

interface GraphArgs {
  inputs: string[];
  format: GraphFormat;
  output?: string;
  config?: string;
  egress: boolean;
  help: boolean;
}

/** Thrown for bad command-line arguments. */
class GraphUsageError extends Error {}

/**
 * Runs `sg-lint graph` with the arguments that follow the word `graph` and resolves to the exit code: 0 when the graph
 * was written, 2 for a usage error, an input that could not be read or parsed, or a failure to render or write.
 * Never throws.
 */
export async function runGraph(argv: readonly string[], io: GraphIo): Promise<number> {
  let args: GraphArgs;
  try {
    args = parseGraphArgs(argv);
  } catch (e) {
    io.stderr(`sg-lint graph: ${escapeControl(messageOf(e))}\nRun "sg-lint graph --help" for usage.\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${GRAPH_HELP}\n`);
    return 0;
  }
  try {
    const errors = await writeGraph(args, io);
    for (const e of errors) io.stderr(`${formatError(e)}\n`);
    return errors.length > 0 ? 2 : 0;
  } catch (e) {
    io.stderr(`sg-lint graph: ${messageOf(e)}\n`);
    return 2;
  }
}

/** Parses the graph command's arguments; throws GraphUsageError on bad ones. */
function parseGraphArgs(argv: readonly string[]): GraphArgs {
  let parsed;
  try {
    parsed = parseArguments(argv, GRAPH_OPTIONS);
  } catch (e) {
    throw new GraphUsageError(messageOf(e));
  }
  const { values, positionals } = parsed;
  const output = stringValue(values, 'output');
  const config = stringValue(values, 'config');
  const format = stringValue(values, 'format') ?? formatFromExtension(output);
  if (!isGraphFormat(format)) {
    throw new GraphUsageError(`unknown format "${format}"; use one of ${GRAPH_FORMATS.join(', ')}`);
  }
  const args: GraphArgs = { inputs: positionals, format, egress: flagValue(values, 'egress'), help: flagValue(values, 'help') };
  if (output !== undefined) args.output = output;
  if (config !== undefined) args.config = config;
  return args;
}

async function writeGraph(args: GraphArgs, io: GraphIo): Promise<InputError[]> {
  const resolver = createResolver(args.config !== undefined ? { config: args.config } : {}, io.cwd);
  // The same stages as a lint run (discovery, configuration, ignore patterns, file-size cap, in-source suppressions),
  // keeping the parsed model to draw.
  const read = await readInputs(args.inputs.length > 0 ? args.inputs : ['.'], io.cwd, resolver, {});
  for (const n of read.notices) if (n.message.startsWith('not linted')) io.stderr(`${escapeControl(n.file)}: ${n.message}\n`);
  const inputs = read.inputs;
  const findings = evaluate(inputs, resolver, new Date());
  const graph = buildGraph(inputs, findings, { egress: args.egress });
  if (graph.nodes.length === 0) io.stderr('sg-lint graph: no security groups found in the inputs\n');
  const text = await renderGraph(graph, args.format);
  if (args.output !== undefined) {
    const target = resolve(io.cwd, args.output);
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.writeFile(target, text);
  } else {
    io.stdout(text);
  }
  return read.errors;
}

function formatFromExtension(output: string | undefined): string {
  const ext = output === undefined ? '' : extname(output).toLowerCase();
  if (ext === '.svg') return 'svg';
  if (ext === '.dot' || ext === '.gv') return 'dot';
  return 'mermaid';
}

function isGraphFormat(name: string): name is GraphFormat {
  return (GRAPH_FORMATS as readonly string[]).includes(name);
}

function formatError(e: InputError): string {
  return `${escapeControl(e.file)}${e.line !== undefined ? `:${e.line}:${e.column ?? 1}` : ''}: error: ${escapeControl(e.message)}`;
}

/** The message of anything thrown (errors from another realm, such as Node's own under Jest, included). */
function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') return e.message;
  return String(e);
}
