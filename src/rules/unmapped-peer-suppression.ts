/**
 * Reports, once per marker id, a marker of another tool (checkov, cfn_nag, cfn-lint, tfsec/trivy, KICS) that
 * sg-lint cannot apply: its id maps to no sg-lint rule, it names every check, or it filters in a way sg-lint cannot
 * follow. Nothing another tool's marker says is ignored silently. Reported by the engine; `check` is empty.
 */
import { defineRule } from './api';

export default defineRule({
  meta: {
    id: 'unmapped-peer-suppression',
    description: 'Disallow markers of other tools that sg-lint cannot apply passing unnoticed',
    defaultSeverity: 'note',
    tags: ['suppression'],
    fix: "Add sg-lint's own marker for its rule next to the other tool's marker, or turn this rule off",
    recommended: true,
    options: {},
  },
  check() {
    // Reported by the engine (src/engine/suppressions.ts).
  },
});
