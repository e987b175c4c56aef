/** Content sniffing for the Terraform JSON inputs. */

const CONFIG_KEYS = ['resource', 'variable', 'module', 'locals', 'terraform', 'provider', 'data', 'output'];

/**
 * True for `terraform show -json` output: `format_version` plus `planned_values`/`resource_changes` (a plan) or
 * `values.root_module` (state). Text that is not valid JSON is judged by its first keys, so a damaged plan still
 * goes to the plan parser, which reports where it breaks.
 */
export function looksLikeTerraformPlan(text: string): boolean {
  // Both tests below need the key `format_version`, which JSON text can only spell literally or with a \u escape:
  // text without either is no plan, and a large template is not parsed an extra time to find that out.
  if (!text.includes('format_version') && !text.includes('\\u')) return false;
  const root = parseObject(text);
  if (root === null) {
    const head = text.slice(0, 4096);
    return /"format_version"\s*:/.test(head) && /"(planned_values|resource_changes|values)"\s*:/.test(text.slice(0, 1 << 20));
  }
  if (root === undefined || !('format_version' in root)) return false;
  if ('planned_values' in root || 'resource_changes' in root) return true;
  const values = root['values'];
  return typeof values === 'object' && values !== null && 'root_module' in values;
}

/** True for Terraform JSON configuration (`.tf.json`): a top-level `resource`, `variable`, `module`, ... key. */
export function looksLikeTerraformJson(text: string): boolean {
  const root = parseObject(text);
  if (!root) return false;
  if ('format_version' in root || 'Resources' in root || 'AWSTemplateFormatVersion' in root) return false;
  return Object.keys(root).some((k) => CONFIG_KEYS.includes(k));
}

/** The top-level object; undefined when the JSON is not an object, null when the text is not JSON. */
function parseObject(text: string): Record<string, unknown> | undefined | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return null;
  }
}
