/**
 * Configuration files: discovery (`.sg-lint.yaml`, `.sg-lint.yml`, `.sg-lint.json`, nearest one upward) and caching,
 * loading (validated against the schema of config-schema.ts, problems rendered by config-errors.ts), and resolution of
 * the effective configuration of each linted file (preset, rule settings, overrides, networks).
 */
import type { ParameterValue } from '../parsers/types';
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type picomatchType from 'picomatch';
import { parseCidr } from '../model/cidr';
import type { CidrPeer } from '../model/types';
import { findDeepYamlNesting } from '../parsers/cloudformation/yaml-depth';
import { readJson } from '../parsers/shared/json-positions';
import { readTextSync } from '../parsers/read';
import { LineIndex } from '../parsers/shared/line-index';
import type { ParsedTree, TreeNode } from '../parsers/shared/tree';
import { stripBom } from '../parsers/shared/tree';
import { checkExtends, resolveExtends } from './extends';
import type { ExtendsProblem, PresetLayer } from './extends';
import { loadPlugin } from './plugins';
import type { LoadedPlugin } from './plugins';
import { checkPolicy, policyRule, policyRules } from './policies';
import type { PolicyConfig } from './policies';
import { isPresetName, inPreset, PRESET_NAMES } from './presets';
import type { PresetName } from './presets';
import { ConfigError } from './run';
import type { ActiveRule, RuleSetting, RuleSettings } from './run';
import type { SuppressionPolicy } from './suppressions';
import type { Rule, RuleMeta, Severity, TrustedNetwork } from './types';
import { SEVERITIES } from './types';
import { describe, formatConfigPath, got, locate, pickErrors, render, suggestion } from './config-errors';
import type { Problem } from './config-errors';
import { configValidator } from './config-schema';
import type { SchemaValidator } from './config-schema';
import { pushAll } from '../model/arrays';

/** Names looked for in each folder, in this order. */
export const CONFIG_FILE_NAMES = ['.sg-lint.yaml', '.sg-lint.yml', '.sg-lint.json'] as const;

/**
 * Deepest YAML nesting read in a config file: the limit templates have (`MAX_YAML_DEPTH` of the YAML reader, which
 * cannot be imported without loading the `yaml` package). Real configs stay below 10 levels.
 */
export const MAX_CONFIG_YAML_DEPTH = 500;

/** A configuration file's content after validation. */
export interface SgLintConfig {
  $schema?: string;
  /**
   * Presets the rules start from, in order: built-in (`recommended`, the default, `strict`, `all`) or a plugin's
   * (`acme/strict`); see src/engine/extends.ts.
   */
  extends?: string | string[];
  rules?: RuleSettings;
  /** Rule settings for files matching globs (relative to the config's folder), applied in order after `rules`. */
  overrides?: { files: string[]; rules?: RuleSettings; parameters?: ConfigParameters }[];
  /** Globs (relative to the config's folder) of inputs never linted. */
  ignorePatterns?: string[];
  /** Named trusted networks: name to CIDR list. */
  networks?: Record<string, string[]>;
  /** What inline suppressions may do in the files this configuration covers. */
  suppressions?: SuppressionPolicy;
  /** Plugins to load: paths relative to the config's folder, or package names resolved from it. */
  plugins?: string[];
  /** Policies without code (see src/engine/policies.ts). */
  policies?: PolicyConfig[];
  /** CloudFormation parameter values for the templates this configuration covers (overrides add per-glob values). */
  parameters?: ConfigParameters;
}

/** CloudFormation parameter values as a configuration writes them: name to value (a list is joined with commas). */
export type ConfigParameters = Record<string, string | number | boolean | (string | number)[]>;

/** A loaded, validated configuration file. */
export interface ConfigFile {
  /** Absolute path. */
  path: string;
  /** Folder `overrides.files` and `ignorePatterns` are relative to. */
  baseDir: string;
  config: SgLintConfig;
  networks: TrustedNetwork[];
  /** Every rule this file's inputs can run: the resolver's rules, the file's plugins' rules and its policies. */
  rules: readonly Rule<object>[];
  /** Plugins loaded for this file (command-line plugins first). */
  plugins: LoadedPlugin[];
  /** The widest built-in preset `extends` names, directly or through plugin presets; undefined when none. */
  preset?: PresetName;
  /** The plugin presets `extends` brings in, in the order their rule settings apply (before the file's own). */
  presets: { name: string; rules: RuleSettings }[];
}

/** A rule setting in one shape: severity (or off) and options, either absent when not configured. */
export interface NormalizedSetting {
  severity?: Severity | 'off';
  options?: Record<string, unknown>;
}

/** The configuration that applies to one file. */
export interface EffectiveConfig {
  /** Absolute path of the config file, if any applies. */
  configFile?: string;
  preset: PresetName;
  /** Configured rules only (the preset decides the others). */
  rules: Record<string, NormalizedSetting>;
  trustedNetworks: TrustedNetwork[];
  /** The file matches an `ignorePatterns` entry. */
  ignored: boolean;
  /** The configuration's suppressions policy, when it sets one. */
  suppressions?: SuppressionPolicy;
  /** Every rule that can run for the file (built-in, plugins, policies); `rules` above says which run and how. */
  ruleSet: readonly Rule<object>[];
  /** Plugins loaded for the file. */
  plugins: LoadedPlugin[];
  /** Plugin presets the configuration extends, in the order they apply (`acme/strict`). */
  presets: string[];
  /**
   * CloudFormation parameter values the configuration gives this file (`parameters`, then matching `overrides`), each
   * with the configuration file as its source. `--parameters` and `--parameter` override them.
   */
  parameters: Record<string, ParameterValue>;
}

/** What the programmatic API and the CLI add on top of configuration files. */
export interface ConfigOverlay {
  /** Replaces the config's `extends`. */
  preset?: PresetName;
  /** Applied after the config's rules and overrides. */
  rules?: RuleSettings;
  /** Every rule of the rule set not named here is off (after `rules`); the named ones keep their settings. */
  only?: readonly string[];
  /** Added to the config's networks. */
  trustedNetworks?: TrustedNetwork[];
}

/** Options of a {@link ConfigResolver}. */
export interface ResolverOptions {
  cwd: string;
  /** A config file for every input (CLI `--config`), `false` for none, undefined to look upward from each file. */
  config?: string | false;
  overlay?: ConfigOverlay;
  rules: readonly Rule<object>[];
  /** Plugins for every input (CLI `--plugin`), resolved from `cwd`. */
  plugins?: readonly string[];
}

/**
 * Finds, loads and caches configuration files and resolves each linted file's effective configuration.
 * Looking upward stops at the folder that contains `.git` (the repository root) or at the filesystem root; the nearest
 * config file wins (files are not merged). With an explicit config, its globs are relative to the working directory.
 */
export class ConfigResolver {
  private readonly files = new Map<string, ConfigFile>();
  private readonly dirs = new Map<string, string | undefined>();
  private readonly active = new Map<string, ActiveRule[]>();
  private readonly effectiveCache = new Map<string, EffectiveConfig>();
  private readonly explicit: ConfigFile | undefined;
  /** Command-line plugins, loaded once. */
  private readonly basePlugins: LoadedPlugin[];
  /** The built-in rules plus the command-line plugins' rules. */
  private readonly baseRules: readonly Rule<object>[];

  constructor(private readonly options: ResolverOptions) {
    this.basePlugins = (options.plugins ?? []).map((spec) => loadPlugin(spec, options.cwd, '--plugin'));
    this.baseRules = withPluginRules(options.rules, this.basePlugins, '--plugin');
    if (typeof options.config === 'string') {
      const abs = resolve(options.cwd, options.config);
      this.explicit = this.load(abs, options.cwd);
    }
  }

  /** Every rule id the resolver knows: built-in, plugin and policy rules of every configuration loaded so far. */
  ruleIds(): string[] {
    const ids = new Set(this.baseRules.map((r) => r.meta.id));
    for (const f of this.files.values()) for (const r of f.rules) ids.add(r.meta.id);
    return [...ids].sort();
  }

  /** The config file that applies to `file` (relative to cwd, or absolute), if any. */
  configFileFor(file: string): ConfigFile | undefined {
    if (this.options.config === false) return undefined;
    if (this.explicit) return this.explicit;
    const path = this.findUpward(dirname(resolve(this.options.cwd, file)));
    return path ? this.load(path, dirname(path)) : undefined;
  }

  /** The effective configuration of `file`. Standard input uses the working directory's. */
  effective(file: string): EffectiveConfig {
    const target = file === '<stdin>' ? join(this.options.cwd, '<stdin>') : resolve(this.options.cwd, file);
    let hit = this.effectiveCache.get(target);
    if (!hit) {
      hit = this.resolveEffective(target);
      this.effectiveCache.set(target, hit);
    }
    return hit;
  }

  private resolveEffective(target: string): EffectiveConfig {
    const cf = this.configFileFor(target);
    const overlay = this.options.overlay ?? {};
    const rules: Record<string, NormalizedSetting> = {};
    const parameters = Object.create(null) as Record<string, ParameterValue>;
    if (cf) {
      const source = displayPath(cf.path, this.options.cwd);
      for (const p of cf.presets) mergeSettings(rules, p.rules);
      mergeSettings(rules, cf.config.rules);
      mergeParameters(parameters, cf.config.parameters, source);
      for (const o of cf.config.overrides ?? []) {
        if (!matchesAny(o.files, cf.baseDir, target)) continue;
        mergeSettings(rules, o.rules);
        mergeParameters(parameters, o.parameters, source);
      }
    }
    mergeSettings(rules, overlay.rules);
    const ruleSet = cf?.rules ?? this.baseRules;
    if (overlay.only) onlyThese(rules, ruleSet, overlay.only);
    return {
      ...(cf ? { configFile: cf.path } : {}),
      preset: overlay.preset ?? cf?.preset ?? 'recommended',
      rules,
      trustedNetworks: [...(cf?.networks ?? []), ...(overlay.trustedNetworks ?? [])],
      ignored: cf ? matchesAny(cf.config.ignorePatterns ?? [], cf.baseDir, target) : false,
      ...(cf?.config.suppressions ? { suppressions: cf.config.suppressions } : {}),
      ruleSet,
      plugins: cf?.plugins ?? this.basePlugins,
      presets: cf?.presets.map((p) => p.name) ?? [],
      parameters,
    };
  }

  /** The rules that run for an effective configuration (cached per distinct preset and settings). */
  activeRules(config: EffectiveConfig): ActiveRule[] {
    const key = JSON.stringify([config.configFile ?? '', config.preset, Object.entries(config.rules).sort(([a], [b]) => (a < b ? -1 : 1))]);
    let hit = this.active.get(key);
    if (!hit) {
      hit = activateConfigured(config.ruleSet, config.preset, config.rules);
      this.active.set(key, hit);
    }
    return hit;
  }

  private findUpward(start: string): string | undefined {
    const visited: string[] = [];
    let dir = start;
    let found: string | undefined;
    for (;;) {
      if (this.dirs.has(dir)) {
        found = this.dirs.get(dir);
        break;
      }
      visited.push(dir);
      found = CONFIG_FILE_NAMES.map((n) => join(dir, n)).find(isFile);
      const parent = dirname(dir);
      if (found || existsSync(join(dir, '.git')) || parent === dir) break;
      dir = parent;
    }
    for (const d of visited) this.dirs.set(d, found);
    return found;
  }

  private load(path: string, baseDir: string): ConfigFile {
    const hit = this.files.get(path);
    if (hit) return hit;
    const display = displayPath(path, this.options.cwd);
    // Read as inputs are (a configuration file found in the repository may be a link to a device).
    const read = readTextSync(path);
    if (!read.ok) throw new ConfigError(`${display}: cannot read config file: ${read.message === 'no such file or directory' ? 'no such file' : read.message}`);
    const text = read.text;
    const loaded = parseConfigText(text, path, display, this.baseRules, { dir: dirname(path), basePlugins: this.basePlugins, builtIn: this.options.rules });
    const file: ConfigFile = {
      path,
      baseDir,
      config: loaded.config,
      networks: loaded.networks,
      rules: loaded.rules,
      plugins: loaded.plugins,
      ...(loaded.preset !== undefined ? { preset: loaded.preset } : {}),
      presets: loaded.presets,
    };
    this.files.set(path, file);
    return file;
  }
}

/** Adds configured parameter values (later ones win), as `--parameter` would give them: lists joined with commas. */
function mergeParameters(into: Record<string, ParameterValue>, values: ConfigParameters | undefined, source: string): void {
  for (const [key, value] of Object.entries(values ?? {})) into[key] = { value: Array.isArray(value) ? value.join(',') : String(value), source };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A path relative to cwd when it lies inside it, else as is. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

function matchesAny(patterns: readonly string[], baseDir: string, target: string): boolean {
  if (patterns.length === 0) return false;
  const rel = relative(baseDir, target).split(sep).join('/');
  if (rel.startsWith('../') || rel === '..' || isAbsolute(rel)) return false;
  const globs = patterns.flatMap((p) => {
    const clean = p.replace(/^\.\//, '').replace(/\/+$/, '');
    return [clean, `${clean}/**`];
  });
  return matcher(globs)(rel);
}

const matchers = new Map<string, (path: string) => boolean>();

/** A compiled glob matcher; picomatch is loaded on first use, since most runs have no patterns at all. */
function matcher(globs: readonly string[]): (path: string) => boolean {
  const key = globs.join('\u0000');
  let m = matchers.get(key);
  if (!m) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const picomatch = require('picomatch') as typeof picomatchType;
    m = picomatch([...globs], { dot: true });
    matchers.set(key, m);
  }
  return m;
}

function normalize(setting: RuleSetting): NormalizedSetting {
  return typeof setting === 'string' ? { severity: setting } : { ...setting };
}

/**
 * `only`: turns off every rule of the set that is not named (built-in, plugin and policy rules alike). A named id the
 * set does not know is a {@link ConfigError} with a suggestion, as an unknown id in rule settings is.
 */
function onlyThese(into: Record<string, NormalizedSetting>, ruleSet: readonly Rule<object>[], only: readonly string[]): void {
  const ids = ruleSet.map((r) => r.meta.id);
  for (const id of only) if (!ids.includes(id)) throw new ConfigError(`--only: unknown rule "${id}"${suggestion(id, ids)}`);
  for (const id of ids) if (!only.includes(id)) into[id] = { ...into[id], severity: 'off' };
}

/** Layers settings: a later severity replaces an earlier one; options merge key by key. */
function mergeSettings(into: Record<string, NormalizedSetting>, settings: RuleSettings | undefined): void {
  for (const [id, raw] of Object.entries(settings ?? {})) {
    const next = normalize(raw);
    const prev = into[id] ?? {};
    const merged: NormalizedSetting = { ...prev };
    if (next.severity !== undefined) merged.severity = next.severity;
    if (next.options !== undefined) merged.options = { ...(prev.options ?? {}), ...next.options };
    into[id] = merged;
  }
}

/**
 * Turns a preset plus rule settings into the rules that run: a rule is on when its setting names a severity other than
 * `off`, or, without a severity, when the preset includes it. Options are the rule's defaults overlaid with the
 * configured ones. Throws {@link ConfigError} for an unknown rule id or severity (programmatic settings).
 */
function activateConfigured(
  all: readonly Rule<object>[],
  preset: PresetName,
  settings: Record<string, NormalizedSetting>,
): ActiveRule[] {
  const ids = all.map((r) => r.meta.id);
  for (const [id, s] of Object.entries(settings)) {
    if (!ids.includes(id)) throw new ConfigError(`unknown rule "${id}"${suggestion(id, ids)}`);
    if (s.severity !== undefined && s.severity !== 'off' && !SEVERITIES.includes(s.severity)) {
      throw new ConfigError(`rule "${id}": severity must be one of off, error, warning, note (got "${String(s.severity)}")`);
    }
  }
  const active: ActiveRule[] = [];
  for (const rule of [...all].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0))) {
    const s = settings[rule.meta.id] ?? {};
    const on = s.severity !== undefined ? s.severity !== 'off' : inPreset(rule.meta, preset);
    if (!on) continue;
    active.push({
      rule,
      ...(s.severity !== undefined && s.severity !== 'off' ? { severity: s.severity } : {}),
      options: { ...optionDefaults(rule.meta), ...(s.options ?? {}) },
    });
  }
  return active;
}

/** A rule's option defaults. */
export function optionDefaults(meta: RuleMeta<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, opt] of Object.entries(meta.options as Record<string, { default: unknown }>)) out[name] = opt.default;
  return out;
}

/** Adds plugins' rules to a rule set; two plugins (or a plugin and a built-in) with one rule id is an error. */
function withPluginRules(rules: readonly Rule<object>[], plugins: readonly LoadedPlugin[], where: string): readonly Rule<object>[] {
  if (plugins.length === 0) return rules;
  const out = [...rules];
  const ids = new Set(rules.map((r) => r.meta.id));
  for (const p of plugins) {
    for (const r of p.rules) {
      if (ids.has(r.meta.id)) throw new ConfigError(`${where}: plugin "${p.spec}": rule ${r.meta.id} is already defined (two plugins named ${p.name}?)`);
      ids.add(r.meta.id);
      out.push(r);
    }
  }
  return out;
}

interface Loaded {
  config: SgLintConfig;
  networks: TrustedNetwork[];
  /** `rules` plus the file's plugins' rules and policies. */
  rules: readonly Rule<object>[];
  /** Command-line plugins and the file's. */
  plugins: LoadedPlugin[];
  /** The widest built-in preset `extends` names (directly or through plugin presets). */
  preset?: PresetName;
  /** Plugin presets in the order they apply. */
  presets: { name: string; rules: RuleSettings }[];
}

/** What loading plugins needs to know about the config file. */
export interface PluginContext {
  /** Folder plugin paths and package names are resolved from. */
  dir: string;
  /** Plugins already loaded for every input (`--plugin`); their rules are in `rules`. */
  basePlugins: readonly LoadedPlugin[];
  /** The built-in rules the configuration schema lists (`rules` minus plugin rules). */
  builtIn: readonly Rule<object>[];
}

/**
 * Parses and validates a config text, loads the plugins it names and turns its policies into rules. Throws
 * {@link ConfigError} whose message has one line per problem: `file:line:column: path: what is wrong and what is
 * allowed`, or a `PluginError` for a plugin that cannot be loaded.
 */
export function parseConfigText(text: string, path: string, display: string, rules: readonly Rule<object>[], plugins?: PluginContext): Loaded {
  const tree = path.endsWith('.json') ? readJson(text) : readConfigYaml(text, display);
  const firstError = tree.errors[0];
  if (firstError) {
    const p = tree.lines.position(firstError.offset);
    throw new ConfigError(`${display}:${p.line}:${p.column}: ${firstError.message}`);
  }
  const data = tree.root === undefined ? {} : plainOf(tree.root);
  const builtIn = plugins?.builtIn ?? rules.filter((r) => !r.meta.id.includes('/'));
  const validate = configValidator(builtIn);
  const problems: Problem[] = [];
  // `extends` is checked in code (one message per entry, suggestions) rather than by the schema's anyOf errors.
  if (!validate(data)) {
    const errors = pickErrors(validate.errors ?? []).filter((e) => e.instancePath !== '/extends' && !e.instancePath.startsWith('/extends/'));
    pushAll(problems, errors.map((e) => describe(e, data, builtIn)));
  }
  const extendsValue = isPlainObject(data) ? data.extends : undefined;
  pushAll(problems, checkExtends(extendsValue, suggestion).map(extendsProblem));
  const networks = readNetworks(data, problems);
  const config = data as SgLintConfig;
  const loaded: LoadedPlugin[] = [...(plugins?.basePlugins ?? [])];
  let all = rules;
  let preset: PresetName | undefined;
  let layers: PresetLayer[] = [];
  if (problems.length === 0) {
    const own = (config.plugins ?? []).map((spec) => loadPlugin(spec, plugins?.dir ?? dirname(path), display));
    pushAll(loaded, own);
    all = withPluginRules(rules, own, display);
    const resolved = resolveExtends(config.extends, loaded, suggestion);
    pushAll(problems, resolved.problems.map(extendsProblem));
    preset = resolved.resolved.base;
    layers = resolved.resolved.layers;
    const presetPolicies = readPresetPolicies(layers, config.policies ?? [], all, validate, builtIn, problems);
    all = [...all, ...presetPolicies, ...readPolicies(config.policies ?? [], all, problems)];
    for (const layer of layers) {
      const inner: Problem[] = [];
      checkUserRuleSettings({ rules: layer.rules }, all, inner);
      pushAll(problems, inner.map((p) => atPresetEntry(layer, p)));
    }
    checkUserRuleSettings(config, all, problems);
  }
  if (problems.length > 0) {
    const lines = problems
      .map((p) => ({ offset: locate(tree.root, p.segments, p.key) ?? 0, text: render(p, tree.root, tree.lines, display) }))
      .sort((a, b) => a.offset - b.offset);
    throw new ConfigError([...new Set(lines.map((l) => l.text))].join('\n'));
  }
  return {
    config,
    networks,
    rules: all,
    plugins: loaded,
    ...(preset !== undefined ? { preset } : {}),
    presets: layers.map((l) => ({ name: l.name, rules: l.rules })),
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function extendsProblem(p: ExtendsProblem): Problem {
  return { segments: p.segments, key: false, text: p.text };
}

/** A problem inside a plugin preset, reported at the configuration's `extends` entry that brought the preset in. */
function atPresetEntry(layer: PresetLayer, p: Problem): Problem {
  return { segments: layer.segments, key: false, text: `preset ${layer.name}: ${formatConfigPath(p.segments)}: ${p.text}` };
}

/**
 * Checks the plugin presets' rule settings and policies against the configuration schema (as if a configuration file
 * wrote them) and returns their policies as rules: a later preset's policy replaces an earlier one with the same id,
 * and the configuration's own policies replace the presets'.
 */
function readPresetPolicies(
  layers: readonly PresetLayer[],
  own: readonly PolicyConfig[],
  rules: readonly Rule<object>[],
  validate: SchemaValidator,
  builtIn: readonly Rule<object>[],
  problems: Problem[],
): Rule<object>[] {
  const byId = new Map<string, { policy: PolicyConfig; layer: PresetLayer }>();
  const taken = new Set(rules.map((r) => r.meta.id));
  let bad = false;
  for (const layer of layers) {
    const content = { rules: layer.rules, policies: layer.policies };
    const inner: Problem[] = [];
    if (!validate(content)) pushAll(inner, pickErrors(validate.errors ?? []).map((e) => describe(e, content, builtIn)));
    if (inner.length === 0) {
      layer.policies.forEach((policy, i) => {
        for (const p of checkPolicy(policy)) inner.push({ segments: ['policies', i, ...p.segments], key: false, text: p.text });
        if (taken.has(policy.id)) inner.push({ segments: ['policies', i, 'id'], key: false, text: `"${policy.id}" is already the id of a rule` });
        byId.set(policy.id, { policy, layer });
      });
    }
    if (inner.length > 0) bad = true;
    pushAll(problems, inner.map((p) => atPresetEntry(layer, p)));
  }
  if (bad) return [];
  const ownIds = new Set(own.map((p) => p.id));
  return [...byId.values()].filter(({ policy }) => !ownIds.has(policy.id)).map(({ policy, layer }) => policyRule(policy, layer.plugin));
}

/** The policies as rules; problems for what the schema cannot check and for ids that are taken. */
function readPolicies(policies: readonly PolicyConfig[], rules: readonly Rule<object>[], problems: Problem[]): Rule<object>[] {
  const taken = new Set(rules.map((r) => r.meta.id));
  const before = problems.length;
  policies.forEach((policy, i) => {
    for (const p of checkPolicy(policy)) problems.push({ segments: ['policies', i, ...p.segments], key: false, text: p.text });
    if (taken.has(policy.id)) problems.push({ segments: ['policies', i, 'id'], key: false, text: `"${policy.id}" is already the id of a rule or another policy` });
    taken.add(policy.id);
  });
  return problems.length > before ? [] : policyRules(policies);
}

/**
 * Checks the settings of namespaced rule ids (plugin rules and policies), which the schema accepts by pattern: the
 * rule must exist ("did you mean") and its options must be declared and valid against the rule's own option schemas.
 */
function checkUserRuleSettings(config: Pick<SgLintConfig, 'rules' | 'overrides'>, rules: readonly Rule<object>[], problems: Problem[]): void {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const ids = [...byId.keys()];
  const check = (settings: RuleSettings | undefined, at: (string | number)[]): void => {
    for (const [id, setting] of Object.entries(settings ?? {})) {
      if (!id.includes('/')) continue;
      const rule = byId.get(id);
      if (!rule) {
        problems.push({ segments: [...at, id], key: true, text: `unknown rule${suggestion(id, ids) || '; run sg-lint --list-rules for the rule ids'}` });
        continue;
      }
      if (typeof setting !== 'object' || setting.options === undefined) continue;
      const declared = rule.meta.options as Record<string, { schema: Record<string, unknown>; description: string }>;
      const names = Object.keys(declared).sort();
      for (const [name, value] of Object.entries(setting.options)) {
        const where = [...at, id, 'options', name];
        const opt = Object.prototype.hasOwnProperty.call(declared, name) ? declared[name] : undefined;
        if (!opt) {
          const allowed = names.length > 0 ? `options are ${names.join(', ')}` : 'it has no options';
          problems.push({ segments: where, key: true, text: `unknown option of ${id}; ${allowed}${suggestion(name, names)}` });
          continue;
        }
        const error = optionError(opt.schema, value);
        if (error !== undefined) problems.push({ segments: where, key: false, text: `${error} (got ${got(value)}); expected: ${opt.description}` });
      }
    }
  };
  check(config.rules, ['rules']);
  (config.overrides ?? []).forEach((o, i) => check(o.rules, ['overrides', i, 'rules']));
}

const optionValidators = new WeakMap<object, SchemaValidator>();

/** The first problem of a value against a plugin option's JSON Schema, or undefined when it is valid. */
function optionError(schema: Record<string, unknown>, value: unknown): string | undefined {
  let validate = optionValidators.get(schema);
  if (!validate) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv2020 = (require('ajv/dist/2020') as { default: new (o: object) => { compile(s: object): SchemaValidator } }).default;
    try {
      validate = new Ajv2020({ allErrors: false, strict: false }).compile(schema);
    } catch (e) {
      return `the rule's option schema is invalid: ${e instanceof Error ? e.message : String(e)}`;
    }
    optionValidators.set(schema, validate);
  }
  if (validate(value)) return undefined;
  const e = validate.errors?.[0];
  return `${e?.instancePath ? `${e.instancePath.slice(1).replace(/\//g, '.')} ` : ''}${e?.message ?? 'is invalid'}`;
}

/**
 * Reads a YAML config. Nesting deeper than `MAX_CONFIG_YAML_DEPTH` is refused before anything parses it (the `yaml`
 * package recurses and would run out of stack), and the YAML reader, with the `yaml` package, is loaded here on first
 * use: runs with a JSON config or none never load it.
 */
function readConfigYaml(text: string, display: string): ParsedTree {
  // The reader's own normalization (BOM, lone CR line endings), so positions match its messages.
  const normalized = stripBom(text).replace(/\r(?!\n)/g, '\n');
  const deep = findDeepYamlNesting(normalized, MAX_CONFIG_YAML_DEPTH);
  if (deep !== undefined) {
    const p = new LineIndex(normalized).position(deep);
    throw new ConfigError(`${display}:${p.line}:${p.column}: nesting deeper than ${MAX_CONFIG_YAML_DEPTH} levels`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const reader = require('../parsers/cloudformation/yaml-reader') as { readYaml: (input: string) => ParsedTree };
  return reader.readYaml(normalized);
}

/** Parses `networks` CIDRs that have the right shape (the schema reports the others). */
function readNetworks(data: unknown, problems: Problem[]): TrustedNetwork[] {
  const raw = (data as { networks?: unknown } | null)?.networks;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const networks: TrustedNetwork[] = [];
  for (const [name, cidrs] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(cidrs)) continue;
    const parsed: CidrPeer[] = [];
    cidrs.forEach((c: unknown, i) => {
      if (typeof c !== 'string' || !/^[0-9A-Fa-f:.]+\/[0-9]{1,3}$/.test(c)) return;
      const r = parseCidr(c);
      if (r.ok) parsed.push(r.peer);
      else problems.push({ segments: ['networks', name, i], key: false, text: `"${c}" is not a valid CIDR block; expected address/prefix such as 203.0.113.0/24` });
    });
    networks.push({ name, cidrs: parsed });
  }
  return networks;
}

/** Converts a positioned tree to plain JSON data (maps become objects with own properties). */
export function plainOf(node: TreeNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(plainOf);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, e] of node.entries) Object.defineProperty(out, k, { value: plainOf(e.value), enumerable: true, writable: true, configurable: true });
      return out;
    }
  }
}

/** Checks a preset name given on the command line or through the API. */
export function checkPreset(name: string): PresetName {
  if (isPresetName(name)) return name;
  throw new ConfigError(`preset must be one of ${PRESET_NAMES.join(', ')} (got "${name}")${suggestion(name, PRESET_NAMES)}`);
}
