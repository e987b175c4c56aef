/**
 * Flags a marker of another tool whose syntax has no place for a reason (tfsec/trivy comments, KICS comments,
 * cfn-lint Metadata). The marker applies; this note records that the accepted risk has no written justification.
 * Reported by the engine; `check` is empty.
 */
import { defineRule } from './api';

export default defineRule({
  meta: {
    id: 'peer-suppression-without-reason',
    description: 'Require a reason on markers of other tools, as a note where their syntax has no place for one',
    defaultSeverity: 'note',
    tags: ['suppression'],
    fix: "Document the exception with sg-lint's own marker, which holds a reason and an expiry date",
    recommended: true,
    options: {},
  },
  check() {
    // Reported by the engine (src/engine/suppressions.ts).
  },
});
