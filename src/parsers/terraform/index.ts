/**
 * Terraform parsers: `terraform show -json` plans and state, `.tf.json` configuration and `.tf` HCL (tree-sitter,
 * loaded only when a `.tf` file is parsed).
 */
export { looksLikeTerraformJson, looksLikeTerraformPlan } from './detect';
export { parseTerraformPlan } from './plan';
export { parseTerraformHcl, parseTerraformJson, parseTerraformProject } from './project';
export type { TerraformParseOptions } from './project';
export type { TerraformOptions, TerraformVarSource } from './variables';
