/**
 * Flags a suppression whose `expires` date has passed (or is not a date). The suppression no longer applies, so the
 * finding it silenced is reported again next to this one. Reported by the engine; `check` is empty.
 */
import { defineRule } from './api';

export default defineRule({
  meta: {
    id: 'expired-suppression',
    description: 'Disallow suppressions past their expiry date',
    defaultSeverity: 'warning',
    tags: ['suppression'],
    recommended: true,
    fix: 'Fix the finding the suppression hides, or renew the suppression with a new expiry date and reason',
    options: {},
  },
  check() {
    // Reported by the engine (src/engine/suppressions.ts).
  },
});
