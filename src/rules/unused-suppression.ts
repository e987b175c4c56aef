/**
 * Flags an sg-lint suppression that silenced nothing. The engine reports it after applying suppressions (a rule's
 * check cannot see other rules' findings), so `check` is empty: the rule exists for its metadata, config and docs.
 */
import { defineRule } from './api';

export default defineRule({
  meta: {
    id: 'unused-suppression',
    description: 'Disallow suppressions that match no finding',
    defaultSeverity: 'warning',
    tags: ['suppression'],
    recommended: true,
    fix: 'Delete the suppression: it matches no finding',
    options: {},
  },
  check() {
    // Reported by the engine (src/engine/suppressions.ts).
  },
});
