/**
 * Plugins: modules a user chose to run that add rules. A plugin exports `{ meta: { name, version, url? }, rules,
 * presets? }` (rules made with `defineRule` from `sg-lint`; presets a configuration extends, see ./extends.ts); its rules are namespaced with the plugin's name
 * (`acme/ssh-from-vpn`) and then behave exactly like built-in rules. Plugins are CommonJS modules, resolved from the
 * folder of the configuration file that names them (a path, or a package in that folder's `node_modules`), or from the
 * working directory for `--plugin`. A plugin that cannot be found, loaded or validated, or whose rule throws, is a
 * `PluginError`: exit code 2 with the plugin's name and the error. Trust model: loading a plugin runs its code with
 * the user's rights, as ESLint plugins do; sg-lint loads only plugins the configuration or the command line names.
 */
import { existsSync } from 'node:fs';
import Module from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import type { Rule, RuleContext, RuleReport } from '../rules/api';
import { isRuleTag, SEVERITIES } from '../rules/api';
import type { PolicyConfig } from './policies';
import { USER_RULE_ID_PATTERN } from './policies';
import { ConfigError } from './run';
import type { RuleSettings } from './run';

/** What a plugin module exports (`module.exports = { meta, rules }`). */
export interface PluginModule {
  meta: {
    /** The namespace of the plugin's rule ids: kebab-case, such as `acme` (rules are reported as `acme/<id>`). */
    name: string;
    version: string;
    /** Documentation of the plugin: the SARIF `helpUri` of rules that do not give their own `meta.url`. */
    url?: string;
  };
  // Rules have their own options types; a plugin's list holds them side by side.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rules: Rule<any>[];
  /** Named presets a configuration extends as `<plugin name>/<preset name>` (`extends: [acme/strict]`). */
  presets?: Record<string, PluginPreset>;
}

/**
 * A plugin's preset: rule settings and policies, as a configuration file writes them, and the presets it starts from
 * (built-in names or `<plugin>/<preset>`). A configuration that extends it can override every setting.
 */
export interface PluginPreset {
  extends?: string | string[];
  rules?: RuleSettings;
  policies?: PolicyConfig[];
}

/** The keys a plugin preset may have. */
export const PRESET_KEYS = ['extends', 'rules', 'policies'] as const;

/** A plugin as loaded: its identity, where it came from and its rules (ids namespaced). */
export interface LoadedPlugin {
  /** The namespace of its rules: `acme`. */
  name: string;
  version: string;
  url?: string;
  /** As the configuration or the command line wrote it. */
  spec: string;
  /** Resolved module file. */
  path: string;
  rules: Rule<object>[];
  /** Its presets by name (without the namespace); checked for shape, their content when a configuration uses them. */
  presets: Record<string, PluginPreset>;
}

/** A plugin could not be found, loaded or validated, or one of its rules failed while running. */
export class PluginError extends ConfigError {}

/** Plugin names: the namespace of their rule ids. */
const PLUGIN_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const RULE_ID = new RegExp(USER_RULE_ID_PATTERN);

const loaded = new Map<string, LoadedPlugin>();

/**
 * Loads the plugin `spec` (a path, relative to `baseDir`, or a package name resolved from `baseDir`). `where` names
 * the configuration that asked for it, for messages. Cached per resolved file.
 */
export function loadPlugin(spec: string, baseDir: string, where: string): LoadedPlugin {
  const label = `plugin "${spec}" (${where})`;
  const path = resolvePlugin(spec, baseDir, label);
  const hit = loaded.get(path);
  if (hit) return { ...hit, spec };
  let exported: unknown;
  try {
    exported = requireWithSgLint(path);
  } catch (e) {
    throw new PluginError(`${label}: failed to load: ${messageOf(e)}`);
  }
  let plugin: LoadedPlugin;
  try {
    plugin = validatePlugin(exported, spec, path, label);
  } catch (e) {
    // A getter of the exported object that throws is the plugin's failure too, never an internal error.
    if (e instanceof PluginError) throw e;
    throw new PluginError(`${label}: failed to load: ${messageOf(e)}`);
  }
  loaded.set(path, plugin);
  return plugin;
}

function resolvePlugin(spec: string, baseDir: string, label: string): string {
  // A path when it says so (./, ../, absolute) or names an existing file or folder (`--plugin tools/rules.js`); else a package.
  const isPath = spec.startsWith('.') || isAbsolute(spec) || existsSync(resolve(baseDir, spec));
  try {
    return isPath ? require.resolve(resolve(baseDir, spec)) : require.resolve(spec, { paths: [baseDir] });
  } catch {
    throw new PluginError(`${label}: cannot find ${isPath ? resolve(baseDir, spec) : `package ${spec} from ${baseDir}`}`);
  }
}

/** Where the running sg-lint's public API and tester are, for plugins that cannot resolve `sg-lint` themselves. */
const SELF: Record<string, string> = {
  'sg-lint': join(__dirname, '..', 'index.js'),
  'sg-lint/testing': join(__dirname, '..', 'testing', 'index.js'),
};

/**
 * Requires a plugin module. A plugin's `require('sg-lint')` resolves as Node resolves it (the user's installed sg-lint);
 * only when that fails (sg-lint run with npx or globally, a plugin file outside any package) does it get the sg-lint
 * that is loading it.
 */
function requireWithSgLint(path: string): unknown {
  type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
  const mod = Module as unknown as { _resolveFilename: Resolve };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request, parent, isMain, options) {
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (e) {
      const self = SELF[request];
      if (self !== undefined) return self;
      throw e;
    }
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(path) as { default?: unknown; __esModule?: boolean };
    return m.__esModule && m.default !== undefined ? m.default : m;
  } finally {
    mod._resolveFilename = original;
  }
}

function validatePlugin(exported: unknown, spec: string, path: string, label: string): LoadedPlugin {
  const fail = (what: string): never => {
    throw new PluginError(`${label}: ${what}`);
  };
  if (!isObject(exported)) return fail('must export an object { meta: { name, version }, rules: [...] }');
  const meta = exported.meta;
  if (!isObject(meta) || typeof meta.name !== 'string' || typeof meta.version !== 'string') return fail('must export meta: { name, version } (strings)');
  const name = meta.name;
  if (!PLUGIN_NAME.test(name)) return fail(`meta.name "${name}" must be kebab-case (letters, digits, "-"): it is the namespace of the plugin's rule ids`);
  if (meta.url !== undefined && typeof meta.url !== 'string') return fail('meta.url must be a string');
  const url = typeof meta.url === 'string' ? meta.url : undefined;
  if (!Array.isArray(exported.rules)) return fail('must export rules: an array of rules made with defineRule');
  const seen = new Set<string>();
  const rules = exported.rules.map((r: unknown, i: number) => {
    const rule = validateRule(r, { plugin: name, version: meta.version as string }, url, (what) => fail(`rules[${i}]: ${what}`));
    if (seen.has(rule.meta.id)) fail(`two rules have the id ${rule.meta.id}`);
    seen.add(rule.meta.id);
    return rule;
  });
  const presets = validatePresets(exported.presets, (what) => fail(`presets${what}`));
  return { name, version: meta.version, ...(url !== undefined ? { url } : {}), spec, path, rules, presets };
}

/** Checks the shape of a plugin's `presets` export; what the settings say is checked by the configuration using them. */
function validatePresets(raw: unknown, fail: (what: string) => never): Record<string, PluginPreset> {
  if (raw === undefined) return {};
  if (!isObject(raw)) return fail(' must be an object: { <name>: { extends?, rules?, policies? } }');
  const out: Record<string, PluginPreset> = {};
  for (const [name, preset] of Object.entries(raw)) {
    if (!PLUGIN_NAME.test(name)) fail(`: preset name "${name}" must be kebab-case (letters, digits, "-")`);
    if (!isObject(preset)) return fail(`.${name} must be an object: { extends?, rules?, policies? }`);
    const extra = Object.keys(preset).find((k) => !(PRESET_KEYS as readonly string[]).includes(k));
    if (extra !== undefined) fail(`.${name}: unknown key "${extra}"; allowed keys are ${PRESET_KEYS.join(', ')}`);
    const ext = preset.extends;
    if (ext !== undefined && typeof ext !== 'string' && !(Array.isArray(ext) && ext.every((e) => typeof e === 'string'))) {
      fail(`.${name}.extends must be a preset name or a list of preset names`);
    }
    if (preset.rules !== undefined && !isObject(preset.rules)) fail(`.${name}.rules must be an object of rule settings`);
    if (preset.policies !== undefined && !Array.isArray(preset.policies)) fail(`.${name}.policies must be a list of policies`);
    Object.defineProperty(out, name, { value: preset as PluginPreset, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function validateRule(r: unknown, from: { plugin: string; version: string }, pluginUrl: string | undefined, fail: (what: string) => never): Rule<object> {
  const namespace = from.plugin;
  if (!isObject(r) || !isObject(r.meta) || typeof r.check !== 'function') return fail('must be { meta, check(ctx) } (use defineRule)');
  const meta = r.meta;
  if (typeof meta.id !== 'string') return fail('meta.id must be a string');
  const id = meta.id.startsWith(`${namespace}/`) ? meta.id : `${namespace}/${meta.id}`;
  if (!RULE_ID.test(id)) return fail(`meta.id "${meta.id}" must be kebab-case, such as ssh-from-vpn (reported as ${namespace}/ssh-from-vpn)`);
  if (typeof meta.description !== 'string' || meta.description === '') return fail(`${id}: meta.description must be a non-empty string`);
  if (!(SEVERITIES as readonly unknown[]).includes(meta.defaultSeverity)) return fail(`${id}: meta.defaultSeverity must be one of ${SEVERITIES.join(', ')}`);
  if (!Array.isArray(meta.tags) || !meta.tags.every(isRuleTag)) return fail(`${id}: meta.tags must be a list of known tags (see RULE_TAGS)`);
  if (typeof meta.recommended !== 'boolean') return fail(`${id}: meta.recommended must be true or false`);
  if (meta.url !== undefined && typeof meta.url !== 'string') return fail(`${id}: meta.url must be a string`);
  const options = meta.options ?? {};
  if (!isObject(options)) return fail(`${id}: meta.options must be an object`);
  for (const [name, opt] of Object.entries(options)) {
    if (!isObject(opt) || !isObject(opt.schema) || !('default' in opt) || typeof opt.description !== 'string') {
      return fail(`${id}: option ${name} must be { schema, default, description }`);
    }
  }
  const check = r.check as (ctx: RuleContext<object>) => unknown;
  const url = typeof meta.url === 'string' ? meta.url : pluginUrl;
  return {
    meta: { ...(meta as unknown as Rule<object>['meta']), id, options, ...(url !== undefined ? { url } : {}), origin: { kind: 'plugin', ...from } },
    check(ctx) {
      let targets: Targets | undefined;
      const report = (r: unknown): void => {
        targets ??= targetsOf(ctx);
        const problem = reportProblem(r, targets);
        if (problem !== undefined) throw new PluginError(`plugin "${namespace}": rule ${id} made an invalid report on ${ctx.file}: ${problem}`);
        ctx.report(r as RuleReport);
      };
      let result: unknown;
      try {
        result = check({ ...ctx, report });
      } catch (e) {
        if (e instanceof PluginError) throw e;
        throw new PluginError(`plugin "${namespace}": rule ${id} failed on ${ctx.file}: ${messageOf(e)}`);
      }
      if (isThenable(result)) {
        // An async check would report after the engine moved on, and its failure would crash the process: refuse it,
        // and keep its rejection from going unhandled.
        result.then(undefined, () => undefined);
        throw new PluginError(`plugin "${namespace}": rule ${id} returned a promise on ${ctx.file}: check(ctx) must be synchronous (not async)`);
      }
    },
  };
}

/** The model objects of one input a report may target. */
interface Targets {
  groups: Set<unknown>;
  rules: Set<unknown>;
  users: Set<unknown>;
}

function targetsOf(ctx: RuleContext<object>): Targets {
  return {
    groups: new Set(ctx.groups),
    rules: new Set(ctx.groups.flatMap((g) => [...g.ingress, ...g.egress])),
    users: new Set(ctx.users),
  };
}

/**
 * What is wrong with a plugin rule's report, or undefined: the engine locates and fingerprints findings from the
 * target, so it must be one of the input's own model objects (as `ctx.groups`, their `ingress`/`egress` and
 * `ctx.users` hold them), never a copy.
 */
function reportProblem(r: unknown, targets: Targets): string | undefined {
  if (!isObject(r)) return 'a report must be an object { target, message }';
  if (typeof r.message !== 'string' || r.message === '') return 'message must be a non-empty string';
  if (r.severity !== undefined && !(SEVERITIES as readonly unknown[]).includes(r.severity)) return `severity must be one of ${SEVERITIES.join(', ')}`;
  if (r.key !== undefined && typeof r.key !== 'string') return 'key must be a string';
  const loc = r.location;
  if (loc !== undefined && !(isObject(loc) && typeof loc.file === 'string' && ['line', 'column', 'endLine', 'endColumn'].every((k) => Number.isInteger(loc[k]) && (loc[k] as number) >= 1))) {
    return 'location must be { file, line, column, endLine, endColumn } (positions from 1)';
  }
  const t = r.target;
  const of = 'one of the input\'s own objects, not a copy';
  if (!isObject(t)) return 'target must be { rule, group? }, { group } or { user }';
  if ('rule' in t) {
    if (!targets.rules.has(t.rule)) return `target.rule must be a rule of ctx.groups (group.ingress or group.egress), ${of}`;
    if (t.group !== undefined && !targets.groups.has(t.group)) return `target.group must be a group of ctx.groups, ${of}`;
    return undefined;
  }
  if ('group' in t) return targets.groups.has(t.group) ? undefined : `target.group must be a group of ctx.groups, ${of}`;
  if ('user' in t) return targets.users.has(t.user) ? undefined : `target.user must be a resource of ctx.users, ${of}`;
  return 'target must be { rule, group? }, { group } or { user }';
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') {
    const name = 'name' in e && typeof e.name === 'string' && e.name !== 'Error' ? `${e.name}: ` : '';
    return `${name}${e.message}`.split('\n')[0] ?? '';
  }
  return String(e);
}
