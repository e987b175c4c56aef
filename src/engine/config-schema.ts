/**
 * The configuration's JSON Schema, generated from the rules' metadata, and its validator: compiled ahead of time at
 * build (`dist/engine/config-validator.js`) or with ajv at run time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_PRESET_PATTERN } from './extends';
import { POLICIES_SCHEMA, USER_RULE_ID_PATTERN } from './policies';
import { PRESET_NAMES } from './presets';
import type { Rule } from './types';

/** Where the shipped schema is published (editors read it through `$schema`). */
export const CONFIG_SCHEMA_ID = 'https://raw.githubusercontent.com/sg-lint/sg-lint/main/schemas/config.schema.json';

export const SEVERITY_VALUES = ['off', 'error', 'warning', 'note'];

export const ROOT_KEYS = ['$schema', 'extends', 'ignorePatterns', 'networks', 'overrides', 'parameters', 'plugins', 'policies', 'rules', 'suppressions'];

/**
 * The configuration's JSON Schema (draft 2020-12), generated from the rules' metadata: one property per rule id,
 * each accepting a severity or `{ severity, options }` with the rule's own option schemas. Shipped as
 * `schemas/config.schema.json`.
 */
export function buildConfigSchema(rules: readonly Rule<object>[]): Record<string, unknown> {
  const ruleProps: Record<string, unknown> = {};
  const defs: Record<string, unknown> = {
    severity: { enum: SEVERITY_VALUES, description: 'off, or the severity every finding of the rule gets' },
    globs: { type: 'array', items: { type: 'string', minLength: 1 } },
    parameters: {
      type: 'object',
      description:
        'CloudFormation parameter values for the templates this configuration covers, as --parameter Key=Value gives them (a list is joined with commas); --parameters files and --parameter override them',
      propertyNames: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
      additionalProperties: {
        anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } }],
      },
    },
    preset: {
      description: "A built-in preset, or a plugin's preset as <plugin name>/<preset name>",
      anyOf: [{ enum: [...PRESET_NAMES] }, { type: 'string', pattern: PLUGIN_PRESET_PATTERN }],
    },
  };
  for (const rule of [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    const options: Record<string, unknown> = {};
    for (const [name, opt] of Object.entries(rule.meta.options as Record<string, { schema: object; description: string }>)) {
      options[name] = { ...opt.schema, description: opt.description };
    }
    defs[`rule:${rule.meta.id}`] = {
      description: `${rule.meta.description} (default severity ${rule.meta.defaultSeverity})`,
      if: { type: 'string' },
      then: { $ref: '#/$defs/severity' },
      else: {
        type: 'object',
        additionalProperties: false,
        properties: {
          severity: { $ref: '#/$defs/severity' },
          options: { type: 'object', additionalProperties: false, properties: options },
        },
      },
    };
    ruleProps[rule.meta.id] = { $ref: `#/$defs/rule:${rule.meta.id}` };
  }
  defs.userRule = {
    description: 'A plugin rule or a policy (namespaced id such as acme/ssh-from-vpn): off, a severity, or { severity, options }',
    if: { type: 'string' },
    then: { $ref: '#/$defs/severity' },
    else: {
      type: 'object',
      additionalProperties: false,
      properties: { severity: { $ref: '#/$defs/severity' }, options: { type: 'object' } },
    },
  };
  defs.rules = {
    type: 'object',
    additionalProperties: false,
    properties: ruleProps,
    patternProperties: { [USER_RULE_ID_PATTERN]: { $ref: '#/$defs/userRule' } },
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: CONFIG_SCHEMA_ID,
    title: 'sg-lint configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      extends: {
        description:
          "Presets the rules start from, in order: recommended (the default), strict, all, or a plugin's preset (acme/strict); this file's rules, overrides and policies apply after them",
        anyOf: [{ $ref: '#/$defs/preset' }, { type: 'array', items: { $ref: '#/$defs/preset' } }],
      },
      rules: { $ref: '#/$defs/rules' },
      overrides: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['files'],
          properties: {
            files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
            rules: { $ref: '#/$defs/rules' },
            parameters: { $ref: '#/$defs/parameters' },
          },
        },
      },
      ignorePatterns: { $ref: '#/$defs/globs' },
      parameters: { $ref: '#/$defs/parameters' },
      suppressions: {
        type: 'object',
        description: 'What inline suppressions (sg-lint markers and the markers of other tools) may do in the files this configuration covers',
        additionalProperties: false,
        properties: {
          inline: {
            enum: ['allow', 'require-reason', 'deny'],
            description: 'allow (default); require-reason: a marker without a reason does not apply; deny: no inline marker applies',
          },
          maxExpiryDays: { type: 'integer', minimum: 0, description: 'Every marker needs an expiry date at most this many days after today' },
          allowedRules: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            description: 'Only these rules may be suppressed inline (a marker of another tool counts for the rules its id maps to)',
          },
        },
      },
      plugins: {
        type: 'array',
        description: 'Plugins to load: paths relative to this file\'s folder, or package names resolved from its node_modules. A plugin is code you choose to run.',
        items: { type: 'string', minLength: 1 },
      },
      policies: POLICIES_SCHEMA,
      networks: {
        type: 'object',
        description: 'Named trusted networks: CIDRs rules treat as known rather than public',
        propertyNames: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
        additionalProperties: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^[0-9A-Fa-f:.]+/[0-9]{1,3}$' },
        },
      },
    },
    $defs: defs,
  };
}

/** The subset of an ajv error this module reads. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A compiled validator (ajv standalone or runtime-compiled). */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

let validatorCache: { rules: readonly Rule<object>[]; validate: SchemaValidator } | undefined;

/**
 * The config validator: the one pre-generated at build time (`dist/engine/config-validator.js`, see
 * scripts/gen-config-validator.mjs) when present, else compiled at run time with ajv (ts-jest, custom rule sets).
 */
export function configValidator(rules: readonly Rule<object>[]): SchemaValidator {
  if (validatorCache?.rules === rules) return validatorCache.validate;
  const validate = loadPrebuilt(rules) ?? compileValidator(rules);
  validatorCache = { rules, validate };
  return validate;
}

function loadPrebuilt(rules: readonly Rule<object>[]): SchemaValidator | undefined {
  const file = join(__dirname, 'config-validator.js');
  if (!existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { default?: SchemaValidator; ruleIds?: string[] };
  const ids = rules.map((r) => r.meta.id).sort();
  // A validator built for another rule set (a program passing its own rules) cannot be reused.
  if (!mod.default || JSON.stringify(mod.ruleIds) !== JSON.stringify(ids)) return undefined;
  return mod.default;
}

/** Compiles the schema with ajv at run time (about 100 ms; only when a config file exists). */
export function compileValidator(rules: readonly Rule<object>[]): SchemaValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv2020 = (require('ajv/dist/2020') as { default: new (o: object) => { compile(s: object): SchemaValidator } }).default;
  return new Ajv2020({ allErrors: true, strict: true }).compile(buildConfigSchema(rules));
}
