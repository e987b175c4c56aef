/**
 * Which rules report the same problem, and which of them speaks for it. Defined once, here: the engine folds the
 * findings of these rules on one rule entry into the finding of the rule listed first (the most specific description
 * of the problem) and keeps the others' ids on it, so suppressions and filters by any of them still work.
 */

/**
 * Exposure rules, most specific first. They all report one problem — a rule entry that admits public addresses — from
 * different angles: a group that guards a data store (`exposed-database-group`) says the most, then every port
 * (`open-all-ports`), then the services reached (admin, database, other sensitive ports), then the width of the
 * range, then the allow-list of world-facing ports.
 */
export const EXPOSURE_PRECEDENCE = [
  'exposed-database-group',
  'open-all-ports',
  'open-admin-port',
  'open-db-port',
  'open-sensitive-port',
  'wide-port-range',
  'world-ingress-unexpected-port',
] as const;

/** Rank of a rule among the overlapping exposure rules (0 is most specific); undefined for other rules. */
export function overlapRank(ruleId: string): number | undefined {
  const i = (EXPOSURE_PRECEDENCE as readonly string[]).indexOf(ruleId);
  return i === -1 ? undefined : i;
}
