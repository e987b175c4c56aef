/**
 * Reports an inline suppression that the configuration's `suppressions` policy (inline: deny or require-reason,
 * maxExpiryDays, allowedRules) does not allow. A denied suppression does not apply: the finding it would silence is
 * reported as well. Reported by the engine; `check` is empty.
 */
import { defineRule } from './api';

export default defineRule({
  meta: {
    id: 'denied-suppression',
    description: 'Enforce the configured suppressions policy on inline suppressions',
    defaultSeverity: 'warning',
    tags: ['suppression'],
    fix: 'Fix the finding instead, or bring the suppression within the policy (a reason, an expiry within the limit)',
    recommended: true,
    options: {},
  },
  check() {
    // Reported by the engine (src/engine/suppressions.ts).
  },
});
