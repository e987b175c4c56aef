/**
 * Terraform parsers: `terraform show -json` plans and state, `.tf.json` configuration and `.tf` HCL (tree-sitter,
 * loaded only when a `.tf` file is parsed).
 */
export { looksLikeTerraformJson, looksLikeTerraformPlan } from './detect';
export { parseTerraformPlan } from './plan';
export { parseTerraformJson } from './json-config';
export { parseTerraformHcl } from './hcl';
