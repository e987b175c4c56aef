/**
 * Flags a suppression written without a reason. The engine reports it while applying suppressions, so `check` is
 * empty: the rule exists for its metadata, config and docs.
 */
import { defineRule } from './api';

export default defineRule({
  meta: {
    id: 'suppression-missing-reason',
    description: 'Require a reason on every suppression',
    defaultSeverity: 'error',
    tags: ['suppression'],
    recommended: true,
    fix: 'Add a reason saying why the finding is acceptable here',
    options: {},
  },
  check() {
    // Reported by the engine (src/engine/suppressions.ts).
  },
});
