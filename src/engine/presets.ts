/**
 * Presets: which rules are on before a configuration's `rules` apply. Derived from rule metadata, never listed by hand:
 * - `recommended` (the default): rules whose `meta.recommended` is true, at their default severities;
 * - `strict`: `recommended` plus every other rule tagged `security` (exposure and egress checks that are too noisy
 *   for every project but that a security-sensitive one wants);
 * - `all`: every rule, including hygiene and informational ones.
 */
import type { RuleMeta } from './types';

/** Preset names accepted by `extends`. */
export const PRESET_NAMES = ['recommended', 'strict', 'all'] as const;

/** A preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** True when the preset turns the rule on. */
export function inPreset(meta: Pick<RuleMeta<object>, 'recommended' | 'tags'>, preset: PresetName): boolean {
  switch (preset) {
    case 'recommended':
      return meta.recommended;
    case 'strict':
      return meta.recommended || meta.tags.includes('security');
    case 'all':
      return true;
  }
}

/** Ids of the rules a preset turns on, sorted. */
export function presetRuleIds(rules: readonly { meta: RuleMeta<object> }[], preset: PresetName): string[] {
  return rules
    .filter((r) => inPreset(r.meta, preset))
    .map((r) => r.meta.id)
    .sort();
}

/** True for a known preset name. */
export function isPresetName(name: unknown): name is PresetName {
  return typeof name === 'string' && (PRESET_NAMES as readonly string[]).includes(name);
}
