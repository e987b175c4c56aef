/**
 * Configuration files: discovery (`.sg-lint.yaml`, `.sg-lint.yml`, `.sg-lint.json`, nearest one upward) and caching,
 * loading (validated against the schema of config-schema.ts, problems rendered by config-errors.ts), and resolution of
 * the effective configuration of each linted file (preset, rule settings, overrides, networks).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type picomatchType from 'picomatch';
import { parseCidr } from '../model/cidr';
import type { CidrPeer } from '../model/types';
import { findDeepYamlNesting } from '../parsers/cloudformation/yaml-depth';
import { readJson } from '../parsers/shared/json-positions';
import { LineIndex } from '../parsers/shared/line-index';
import type { ParsedTree, TreeNode } from '../parsers/shared/tree';
import { stripBom } from '../parsers/shared/tree';
import { isPresetName, inPreset, PRESET_NAMES } from './presets';
import type { PresetName } from './presets';
import { ConfigError } from './run';
import type { ActiveRule, RuleSetting, RuleSettings } from './run';
import type { SuppressionPolicy } from './suppressions';
import type { Rule, RuleMeta, Severity, TrustedNetwork } from './types';
import { SEVERITIES } from './types';
import { describe, locate, pickErrors, render, suggestion } from './config-errors';
import type { Problem } from './config-errors';
import { configValidator } from './config-schema';

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
  /** Preset the rules start from; default `recommended`. */
  extends?: PresetName;
  rules?: RuleSettings;
  /** Rule settings for files matching globs (relative to the config's folder), applied in order after `rules`. */
  overrides?: { files: string[]; rules?: RuleSettings }[];
  /** Globs (relative to the config's folder) of inputs never linted. */
  ignorePatterns?: string[];
  /** Named trusted networks: name to CIDR list. */
  networks?: Record<string, string[]>;
  /** What inline suppressions may do in the files this configuration covers. */
  suppressions?: SuppressionPolicy;
}

/** A loaded, validated configuration file. */
export interface ConfigFile {
  /** Absolute path. */
  path: string;
  /** Folder `overrides.files` and `ignorePatterns` are relative to. */
  baseDir: string;
  config: SgLintConfig;
  networks: TrustedNetwork[];
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
}

/** What the programmatic API and the CLI add on top of configuration files. */
export interface ConfigOverlay {
  /** Replaces the config's `extends`. */
  preset?: PresetName;
  /** Applied after the config's rules and overrides. */
  rules?: RuleSettings;
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

  constructor(private readonly options: ResolverOptions) {
    if (typeof options.config === 'string') {
      const abs = resolve(options.cwd, options.config);
      this.explicit = this.load(abs, options.cwd);
    }
  }

  /** Every rule id the resolver knows. */
  ruleIds(): string[] {
    return this.options.rules.map((r) => r.meta.id);
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
    if (cf) {
      mergeSettings(rules, cf.config.rules);
      for (const o of cf.config.overrides ?? []) {
        if (matchesAny(o.files, cf.baseDir, target)) mergeSettings(rules, o.rules);
      }
    }
    mergeSettings(rules, overlay.rules);
    return {
      ...(cf ? { configFile: cf.path } : {}),
      preset: overlay.preset ?? cf?.config.extends ?? 'recommended',
      rules,
      trustedNetworks: [...(cf?.networks ?? []), ...(overlay.trustedNetworks ?? [])],
      ignored: cf ? matchesAny(cf.config.ignorePatterns ?? [], cf.baseDir, target) : false,
      ...(cf?.config.suppressions ? { suppressions: cf.config.suppressions } : {}),
    };
  }

  /** The rules that run for an effective configuration (cached per distinct preset and settings). */
  activeRules(config: EffectiveConfig): ActiveRule[] {
    const key = JSON.stringify([config.preset, Object.entries(config.rules).sort(([a], [b]) => (a < b ? -1 : 1))]);
    let hit = this.active.get(key);
    if (!hit) {
      hit = activateConfigured(this.options.rules, config.preset, config.rules);
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
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ConfigError(`${display}: cannot read config file${code === 'ENOENT' ? ': no such file' : `: ${code ?? String(e)}`}`);
    }
    const loaded = parseConfigText(text, path, display, this.options.rules);
    const file: ConfigFile = { path, baseDir, config: loaded.config, networks: loaded.networks };
    this.files.set(path, file);
    return file;
  }
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

interface Loaded {
  config: SgLintConfig;
  networks: TrustedNetwork[];
}

/**
 * Parses and validates a config text. Throws {@link ConfigError} whose message has one line per problem:
 * `file:line:column: path: what is wrong and what is allowed`.
 */
export function parseConfigText(text: string, path: string, display: string, rules: readonly Rule<object>[]): Loaded {
  const tree = path.endsWith('.json') ? readJson(text) : readConfigYaml(text, display);
  const firstError = tree.errors[0];
  if (firstError) {
    const p = tree.lines.position(firstError.offset);
    throw new ConfigError(`${display}:${p.line}:${p.column}: ${firstError.message}`);
  }
  const data = tree.root === undefined ? {} : plainOf(tree.root);
  const validate = configValidator(rules);
  const problems: Problem[] = [];
  if (!validate(data)) problems.push(...pickErrors(validate.errors ?? []).map((e) => describe(e, data, rules)));
  const networks = readNetworks(data, problems);
  if (problems.length > 0) {
    const lines = problems
      .map((p) => ({ offset: locate(tree.root, p.segments, p.key) ?? 0, text: render(p, tree.root, tree.lines, display) }))
      .sort((a, b) => a.offset - b.offset);
    throw new ConfigError([...new Set(lines.map((l) => l.text))].join('\n'));
  }
  return { config: data as SgLintConfig, networks };
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
