/**
 * The model as a JSON document (`sg-lint model PATHS --format json`), for policy engines that are not sg-lint
 * (OPA/Rego, cfn-guard, jq): one normalized description of every group, rule, peer, attachment and unknown value,
 * whatever the input format. Described by `schemas/model.schema.json`; `MODEL_DOCUMENT_VERSION` changes whenever a
 * field is removed or changes meaning (adding a field is not a new version).
 */
import { describeConditions } from './conditions';
import type { InputError, InputFormat, InputNotice, ParsedInput, SecurityGroup, SgRule, SourceLocation, Value } from './types';

/** Version of the document's shape; the schema's `version` constant. */
export const MODEL_DOCUMENT_VERSION = 1;

/** Where the schema is published (the document's `$schema`). */
export const MODEL_SCHEMA_ID = 'https://raw.githubusercontent.com/sg-lint/sg-lint/main/schemas/model.schema.json';

/** One value the input does not determine, listed per input so a policy can find them without walking the tree. */
export interface ModelUnknown {
  /** The resource where the value is written. */
  resource: string;
  /** The group concerned, when there is one. */
  securityGroup?: string;
  /** Which value: `name`, `description`, `ingress.protocol`, `egress.peer`, `groups`, ... */
  field: string;
  reason: string;
  location: SourceLocation;
}

/** The JSON form of one parsed input. */
export interface ModelInput {
  file: string;
  format: InputFormat;
  groups: unknown[];
  users: unknown[];
  unknowns: ModelUnknown[];
  changedResources?: string[];
}

/** The whole document. */
export interface ModelDocument {
  $schema: string;
  version: number;
  tool: { name: 'sg-lint'; version: string };
  inputs: ModelInput[];
  errors: InputError[];
  notices: InputNotice[];
}

/**
 * Builds the model document of parsed inputs. Values are plain JSON: CIDR blocks keep their canonical and written
 * forms and prefix length (the integer bounds are dropped: JSON has no 128-bit integers, and every policy language has
 * CIDR functions), and a known-but-absent value (a rule without a description) is `{ "known": true, "value": null }`.
 */
export function modelDocument(
  inputs: readonly ParsedInput[],
  errors: readonly InputError[],
  notices: readonly InputNotice[],
  toolVersion: string,
): ModelDocument {
  return {
    $schema: MODEL_SCHEMA_ID,
    version: MODEL_DOCUMENT_VERSION,
    tool: { name: 'sg-lint', version: toolVersion },
    inputs: inputs.map((input) => ({
      file: input.file,
      format: input.format,
      groups: plain(input.groups.map(withAssumptions)) as unknown[],
      users: plain(input.users) as unknown[],
      unknowns: unknownsOf(input),
      ...(input.changedResources ? { changedResources: [...input.changedResources] } : {}),
    })),
    errors: plain(errors) as InputError[],
    notices: plain(notices) as InputNotice[],
  };
}

/** A group and its rules with `assumptions`, the message words of their typed `conditions`, beside them. */
function withAssumptions(g: SecurityGroup): SecurityGroup & { assumptions: string[] } {
  const rule = (r: SgRule): SgRule & { assumptions: string[] } => ({ ...r, assumptions: describeConditions(r.conditions) });
  return { ...g, ingress: g.ingress.map(rule), egress: g.egress.map(rule), assumptions: describeConditions(g.conditions) };
}

/** Serializes a model document: two-space indentation, a final newline. */
export function serializeModelDocument(doc: ModelDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A deep copy as plain JSON data: bigints dropped, `{ known: true }` without a value given `value: null`. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint' || value === undefined || typeof value === 'function') return undefined;
  if (Array.isArray(value)) return value.map((v) => plain(v) ?? null);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = plain(v);
      if (p !== undefined) out[k] = p;
    }
    if (out.known === true && !('value' in out)) out.value = null;
    return out;
  }
  return value;
}

function unknownsOf(input: ParsedInput): ModelUnknown[] {
  const out: ModelUnknown[] = [];
  const seen = new Set<string>();
  const add = (v: Value<unknown> | undefined, field: string, resource: string, location: SourceLocation, securityGroup?: string): void => {
    if (v === undefined || v.known) return;
    // Variants of one rule entry (Fn::If branches, one rule per CIDR) share its unknowns: list each once.
    const key = [resource, securityGroup ?? '', field, v.reason, location.file, location.line, location.column].join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ resource, ...(securityGroup !== undefined ? { securityGroup } : {}), field, reason: v.reason, location: { ...location } });
  };
  for (const g of input.groups) {
    add(g.name, 'name', g.address, g.location, g.address);
    add(g.description, 'description', g.address, g.location, g.address);
    for (const r of [...g.ingress, ...g.egress]) {
      for (const field of ['protocol', 'ports', 'peer', 'description'] as const) {
        add(r[field], `${r.direction}.${field}`, r.resource, r.fieldLocations?.[field] ?? r.location, r.group);
      }
    }
  }
  for (const u of input.users) {
    for (const g of u.groups) add(g, 'groups', u.resource, u.location);
  }
  return out;
}
