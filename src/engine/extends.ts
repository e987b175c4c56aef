/**
 * `extends`: the presets a configuration starts from, in order. A built-in preset (`recommended`, `strict`, `all`)
 * chooses which rules are on by their metadata; built-in presets nest, so the widest one named anywhere in the chain is
 * the starting point (`recommended` when none is named). A plugin's preset (`acme/strict`: preset `strict` of the
 * plugin named `acme`, from its `presets` export) adds rule settings and policies and may extend other presets; the
 * presets apply in order (each once, the first time it is reached, after the presets it extends), and the
 * configuration's own `rules`, `overrides` and `policies` apply after them.
 */
import type { LoadedPlugin, PluginPreset } from './plugins';
import type { PolicyConfig } from './policies';
import { isPresetName, PRESET_NAMES } from './presets';
import type { PresetName } from './presets';
import type { RuleSettings } from './run';

/** A problem with the configuration's `extends`: the path of the entry it concerns, and what is wrong. */
export interface ExtendsProblem {
  segments: (string | number)[];
  text: string;
}

/** One plugin preset as it applies. */
export interface PresetLayer {
  /** `acme/strict`. */
  name: string;
  /** Path of the configuration's `extends` entry that brought it in (for messages). */
  segments: (string | number)[];
  /** The plugin the preset belongs to. */
  plugin: { plugin: string; version: string };
  rules: RuleSettings;
  policies: PolicyConfig[];
}

/** What `extends` amounts to. */
export interface ResolvedExtends {
  /** The widest built-in preset named anywhere in the chain; undefined when none is. */
  base?: PresetName;
  /** Plugin presets in the order they apply. */
  layers: PresetLayer[];
}

/** A plugin preset's name: `<plugin name>/<preset name>`, both kebab-case (`acme/strict`). */
export const PLUGIN_PRESET_PATTERN = '^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$';
const PLUGIN_PRESET = new RegExp(PLUGIN_PRESET_PATTERN);

/** What presets are, for messages. */
const PRESETS_ARE = `${PRESET_NAMES.join(', ')}, or a plugin's preset such as acme/strict`;

/** The entries of `extends` with the path of each (a single name is one entry at `extends`). */
function entriesOf(value: unknown): { name: unknown; segments: (string | number)[] }[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((name: unknown, i) => ({ name, segments: ['extends', i] }));
  return [{ name: value, segments: ['extends'] }];
}

/**
 * Checks what `extends` says before any plugin is loaded: a preset name or a list of them, each built-in or
 * `<plugin>/<preset>`. Returns one problem per bad entry.
 */
export function checkExtends(value: unknown, suggest: (word: string, candidates: readonly string[]) => string): ExtendsProblem[] {
  if (value !== undefined && typeof value !== 'string' && !Array.isArray(value)) {
    return [{ segments: ['extends'], text: `must be a preset name or a list of preset names: ${PRESETS_ARE} (got ${describe(value)})` }];
  }
  const problems: ExtendsProblem[] = [];
  for (const { name, segments } of entriesOf(value)) {
    const text = nameProblem(name, suggest);
    if (text !== undefined) problems.push({ segments, text });
  }
  return problems;
}

function nameProblem(name: unknown, suggest: (word: string, candidates: readonly string[]) => string): string | undefined {
  if (typeof name !== 'string') return `must be one of ${PRESETS_ARE} (got ${describe(name)})`;
  if (isPresetName(name) || PLUGIN_PRESET.test(name)) return undefined;
  const bare = /^plugin:(.*)$/.exec(name)?.[1];
  if (bare !== undefined && PLUGIN_PRESET.test(bare)) return `write a plugin's preset as "${bare}", without "plugin:"`;
  return `must be one of ${PRESETS_ARE} (got ${describe(name)})${suggest(name, PRESET_NAMES)}`;
}

/**
 * Resolves a checked `extends` against the loaded plugins: the widest built-in preset and the plugin presets in the
 * order they apply. An unknown plugin or preset, or presets that extend each other in a cycle, is a problem at the
 * configuration's entry that led to it.
 */
export function resolveExtends(
  value: unknown,
  plugins: readonly LoadedPlugin[],
  suggest: (word: string, candidates: readonly string[]) => string,
): { resolved: ResolvedExtends; problems: ExtendsProblem[] } {
  const byName = new Map<string, LoadedPlugin>();
  for (const p of plugins) if (!byName.has(p.name)) byName.set(p.name, p);
  const problems: ExtendsProblem[] = [];
  const layers: PresetLayer[] = [];
  const applied = new Set<string>();
  let base: PresetName | undefined;

  const visit = (name: string, chain: string[], segments: (string | number)[]): void => {
    const via = chain.length > 0 ? `preset ${chain.join(' → ')} extends "${name}": ` : '';
    const fail = (text: string): void => {
      problems.push({ segments, text: `${via}${text}` });
    };
    if (isPresetName(name)) {
      if (base === undefined || PRESET_NAMES.indexOf(name) > PRESET_NAMES.indexOf(base)) base = name;
      return;
    }
    const m = PLUGIN_PRESET.exec(name);
    if (!m) {
      fail(nameProblem(name, suggest) ?? `unknown preset ${describe(name)}`);
      return;
    }
    const [, pluginName = '', presetName = ''] = m;
    if (chain.includes(name)) {
      problems.push({ segments, text: `presets extend each other in a cycle: ${[...chain.slice(chain.indexOf(name)), name].join(' → ')}` });
      return;
    }
    if (applied.has(name)) return;
    const plugin = byName.get(pluginName);
    if (!plugin) {
      const loaded = [...byName.keys()].sort();
      const known = [...byName.values()].flatMap((p) => Object.keys(p.presets).map((n) => `${p.name}/${n}`));
      fail(
        loaded.length > 0
          ? `unknown plugin "${pluginName}" (loaded: ${loaded.join(', ')})${suggest(name, known)}`
          : `unknown plugin "${pluginName}": no plugin is loaded; name it under plugins (or with --plugin)`,
      );
      return;
    }
    const presets = plugin.presets;
    const preset: PluginPreset | undefined = Object.prototype.hasOwnProperty.call(presets, presetName) ? presets[presetName] : undefined;
    if (!preset) {
      const names = Object.keys(presets).sort().map((p) => `${pluginName}/${p}`);
      fail(`unknown preset "${name}": plugin ${pluginName} has ${names.length > 0 ? names.join(', ') : 'no presets'}${suggest(name, names)}`);
      return;
    }
    for (const parent of entriesOf(preset.extends)) visit(String(parent.name), [...chain, name], segments);
    if (applied.has(name)) return;
    applied.add(name);
    layers.push({ name, segments, plugin: { plugin: plugin.name, version: plugin.version }, rules: preset.rules ?? {}, policies: preset.policies ?? [] });
  };

  for (const { name, segments } of entriesOf(value)) visit(String(name), [], segments);
  return { resolved: { ...(base !== undefined ? { base } : {}), layers }, problems };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
