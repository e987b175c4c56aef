import { looksLikeCloudFormation } from './cloudformation';
import { looksLikeTerraformJson, looksLikeTerraformPlan } from './terraform/detect';

/** What a file holds, decided by its content (and, for HCL, its name). */
export type DetectedFormat = 'cloudformation' | 'terraform-plan' | 'terraform-json' | 'terraform-hcl' | 'terragrunt' | null;

/**
 * Detects the input family by content, not only by extension: a `.json` file may be a CloudFormation template, a
 * Terraform plan/state or a `.tf.json` configuration; a `.yaml` file a template or something else entirely (null).
 */
export function detectFormat(path: string, text: string): DetectedFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tf')) return 'terraform-hcl';
  if (lower === 'terragrunt.hcl' || lower.endsWith('/terragrunt.hcl') || lower.endsWith('\\terragrunt.hcl')) return 'terragrunt';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (looksLikeTerraformPlan(text)) return 'terraform-plan';
    if (looksLikeCloudFormation(text)) return 'cloudformation';
    if (lower.endsWith('.tf.json') || looksLikeTerraformJson(text)) return 'terraform-json';
    return null;
  }
  if (looksLikeCloudFormation(text)) return 'cloudformation';
  if (path === '<stdin>' && /^[ \t]*(resource|variable|module|locals)[ \t]+"/m.test(text)) return 'terraform-hcl';
  return null;
}
