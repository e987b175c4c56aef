import type { InputFormat, ParsedInput } from '../../model/types';
import { ExpansionBudget } from '../shared/budget';
import type { MapNode, ParsedTree, TreeNode } from '../shared/tree';
import { childOf, entryOf, stripBom } from '../shared/tree';
import { readJson } from '../shared/json-positions';
import type { ParseOptions } from '../types';
import { DEFAULT_MAX_VARIANTS } from '../types';
import { expandForEach, mentionsForEach } from './foreach';
import { buildModel } from './model';
import { shapeName, Template, templateResources } from './template';
import { readYamlFast } from '../shared/yaml-fast';
import { pushAll } from '../../model/arrays';

export { normalizeConstructPath } from './model';

/** Options of the CloudFormation parser. */
export interface CfnParseOptions extends ParseOptions {
  /** Report the input as CDK output (templates inside a cloud assembly). */
  format?: 'cdk';
  /** Logical ID -> CDK construct path, for resources without `aws:cdk:path` metadata. */
  constructPaths?: Map<string, string>;
}

/** A parse result plus the nested-stack template files the template names (used by the CDK reader). */
export interface CfnParseDetail {
  input: ParsedInput;
  nestedTemplates: string[];
}

/**
 * Parses one CloudFormation template (YAML or JSON, told apart by content) into the security-group model. Syntax
 * problems become `errors` with line and column; a text that is not a template yields a notice and no groups.
 * Never throws on bad input.
 */
export function parseCloudFormation(text: string, file: string, options: CfnParseOptions = {}): ParsedInput {
  return parseCloudFormationDetailed(text, file, options).input;
}

/** Like `parseCloudFormation`, also returning the nested-stack templates named in the template's metadata. */
export function parseCloudFormationDetailed(text: string, file: string, options: CfnParseOptions = {}): CfnParseDetail {
  const json = isJsonText(text);
  const format: InputFormat = options.format ?? (json ? 'cloudformation-json' : 'cloudformation-yaml');
  const input: ParsedInput = { file, format, groups: [], users: [], errors: [], notices: [] };
  let tree: ParsedTree;
  try {
    tree = readTemplateTree(text);
  } catch (e) {
    input.errors.push({ file, message: `cannot read template: ${describeError(e)}` });
    return { input, nestedTemplates: [] };
  }
  // CloudFormation accepts a key written twice in one mapping and uses the last value (see docs/cloudformation.md).
  for (const p of tree.errors) {
    if (p.duplicateKey) input.notices.push({ file, message: `${p.message}: CloudFormation uses the last value`, ...tree.lines.position(p.offset) });
  }
  for (const p of tree.notices) input.notices.push({ file, message: p.message, ...tree.lines.position(p.offset) });
  // A text that cannot be read is one located error, and nothing built from the half-read tree: the problems after
  // the first are mostly its echoes, and findings from a guessed structure would be wrong.
  const syntax = tree.errors.find((p) => !p.duplicateKey);
  if (syntax) {
    input.errors.push({ file, message: syntax.message, ...tree.lines.position(syntax.offset) });
    return { input, nestedTemplates: [] };
  }
  // Offsets refer to the BOM-stripped text; lone CRs count as line breaks in both readers (same length either way).
  const body = withoutLoneCr(stripBom(text));
  const budget = new ExpansionBudget(options.expansionBudget);
  // AWS::LanguageExtensions loops are expanded first, as CloudFormation does before it reads the template.
  const expand = (node: TreeNode | undefined, frameworkVariables: boolean): TreeNode | undefined => {
    if (node?.kind !== 'map' || !mentionsForEach(text)) return node;
    const written = new Template(node, EMPTY_MAP, file, tree.lines, body);
    written.frameworkVariables = frameworkVariables;
    if (options.parameters) written.parameterValues = options.parameters;
    const expanded = expandForEach(node, { file, lines: tree.lines, budget, template: written, maxVariants: options.maxVariants ?? DEFAULT_MAX_VARIANTS });
    pushAll(input.errors, expanded.errors);
    pushAll(input.notices, expanded.notices);
    return expanded.root;
  };
  let root = expand(tree.root, false);
  let resources = templateResources(root);
  // A Serverless Framework service: `resources.Resources` (with `Conditions`, `Outputs`) is CloudFormation.
  const serverless = !resources && root?.kind === 'map' && root.entries.has('service') ? expand(childOf(root, 'resources'), true) : undefined;
  if (serverless) {
    root = serverless;
    resources = templateResources(root);
  }
  const shapeError = resources || serverless ? undefined : resourcesProblem(tree);
  if (shapeError) {
    input.errors.push({ file, ...shapeError });
    return { input, nestedTemplates: [] };
  }
  if (!resources || root?.kind !== 'map') {
    input.notices.push({ file, message: 'not a CloudFormation template' });
    return { input, nestedTemplates: [] };
  }
  const template = new Template(root, resources, file, tree.lines, body);
  if (serverless) template.frameworkVariables = true;
  if (options.parameters) template.parameterValues = options.parameters;
  for (const p of template.problems) input.errors.push({ file, message: p.message, line: p.location.line, column: p.location.column });
  let model: ReturnType<typeof buildModel>;
  try {
    model = buildModel(template, {
      maxVariants: options.maxVariants ?? DEFAULT_MAX_VARIANTS,
      budget,
      ...(options.constructPaths ? { constructPaths: options.constructPaths } : {}),
    });
  } catch (e) {
    // Only a stack overflow on absurdly nested input can get here; report it instead of crashing the run.
    input.errors.push({ file, message: `cannot evaluate template: ${describeError(e)}` });
    return { input, nestedTemplates: [] };
  }
  pushAll(input.errors, model.errors);
  input.groups = model.groups;
  input.users = model.users;
  pushAll(pushAll(input.notices, model.notices), budget.notices(file));
  return { input, nestedTemplates: model.nestedTemplates };
}

/**
 * A template whose `Resources` section has the wrong shape: a list or a scalar where a mapping belongs, or (in a text
 * that declares `AWSTemplateFormatVersion`) a mapping whose entries have no `Type`. Undefined for texts that merely
 * are not templates.
 */
function resourcesProblem(tree: ParsedTree): { message: string; line: number; column: number } | undefined {
  const entry = entryOf(tree.root, 'Resources');
  if (!entry) return undefined;
  const value = entry.value;
  const at = tree.lines.position(value.kind === 'scalar' && value.value === null ? entry.keyStart : value.start);
  if (value.kind !== 'map') return { message: `Resources must be a mapping of logical IDs to resources, got ${shapeName(value)}`, ...at };
  const declared = entryOf(tree.root, 'AWSTemplateFormatVersion') !== undefined;
  if (!declared) return undefined;
  const first = value.entries.values().next().value;
  if (!first) return undefined;
  const body = first.value;
  const why = body.kind !== 'map' ? `must be a mapping, got ${shapeName(body)}` : 'has no Type';
  return { message: `resource ${first.key} ${why}`, ...tree.lines.position(first.keyStart) };
}

const EMPTY_MAP: MapNode = { kind: 'map', entries: new Map(), start: 0, end: 0 };

function describeError(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'name' in e && e.name === 'RangeError') return 'nesting too deep';
  return typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e);
}

/** True when the first non-blank character is `{`: the template is JSON. */
function isJsonText(text: string): boolean {
  return /^\s*\{/.test(stripBom(text));
}

/** A `Resources:` key (at any indentation) followed, after blank and comment lines, by a more indented mapping key. */
const RESOURCES_MAPPING = /^([ \t]*)["']?Resources["']?[ \t]*:[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*\1[ \t]+(?![-#\s])/m;
const RESOURCE_TYPE = /["']?Type["']?[ \t]*:[ \t]*["']?(?:AWS|Custom|Alexa)::[A-Za-z0-9]+/;
const JSON_RESOURCES = /"Resources"\s*:\s*\{/;

/**
 * Cheap content sniff for format detection: true for text with `AWSTemplateFormatVersion`, or a `Resources` mapping
 * whose entries have `Type: AWS::...` (or `Custom::...`). Other YAML/JSON (package.json, Kubernetes manifests) gives
 * false, and so does a CodeDeploy `appspec.yaml`, whose `Resources` is a list. A Serverless Framework
 * `serverless.yml` (`resources.Resources`) passes: its resources are CloudFormation.
 */
export function looksLikeCloudFormation(text: string): boolean {
  const head = stripBom(text);
  if (/["']?AWSTemplateFormatVersion["']?\s*:/.test(head)) return true;
  return (RESOURCES_MAPPING.test(head) || JSON_RESOURCES.test(head)) && RESOURCE_TYPE.test(head);
}

/** The text with lone CR line ends made LF (CRLF kept), as the positions of the tree count them. */
function withoutLoneCr(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * The reference YAML reader, for what the fast path declines (problems, aliases, unusual syntax). Loaded on first use:
 * it pulls in the `yaml` package, which most runs never need (see docs/performance.md).
 */
/**
 * Reads template text (JSON or YAML) into the positioned tree: JSON with the positioned JSON reader, YAML with the fast
 * reader, falling back to the `yaml`-based reference reader (loaded only then) for what the fast one declines.
 */
export function readTemplateTree(text: string): ParsedTree {
  return isJsonText(text) ? readJson(text) : (readYamlFast(text) ?? readYamlReference(text));
}

function readYamlReference(text: string): ParsedTree {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./yaml-reader') as { readYaml: (input: string) => ParsedTree }).readYaml(text);
}
