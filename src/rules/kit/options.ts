/** Option declarations shared by several rules. */
import type { OptionMeta } from '../api';
import { PORT_SPEC_PATTERN } from '../../model/catalog';
import { DEFAULT_NEAR_WORLD_PREFIX } from './peers';

/**
 * Declares a rule option that lists port specs ("tcp/22", "tcp/5985-5986"): unique strings matching
 * `PORT_SPEC_PATTERN`, with these defaults. Rules read the value with `parsePortSpec`.
 */
export function portListOption(defaults: readonly string[], description: string): OptionMeta<string[]> {
  return {
    schema: { type: 'array', items: { type: 'string', pattern: PORT_SPEC_PATTERN }, uniqueItems: true },
    default: [...defaults],
    description,
  };
}

/**
 * Declares the `nearWorldPrefix` option of the rules that classify peers (see `classifyPeer`): a prefix length
 * 0-128, by default `DEFAULT_NEAR_WORLD_PREFIX`; public CIDRs at least that wide count as near-world. Each rule
 * says in `description` what the classification changes for it.
 */
export function nearWorldPrefixOption(description: string): OptionMeta<number> {
  return { schema: { type: 'integer', minimum: 0, maximum: 128 }, default: DEFAULT_NEAR_WORLD_PREFIX, description };
}
