/** The rule registry: every rule sg-lint ships, sorted by id. Adding a rule means adding it here. */
import databaseUnrestrictedEgress from './database-unrestricted-egress';
import defaultGroupAllowsTraffic from './default-group-allows-traffic';
import deniedSuppression from './denied-suppression';
import duplicateRule from './duplicate-rule';
import excessiveRules from './excessive-rules';
import expiredSuppression from './expired-suppression';
import exposedDatabaseGroup from './exposed-database-group';
import invalidCidr from './invalid-cidr';
import invalidPortRange from './invalid-port-range';
import invalidProperty from './invalid-property';
import invalidProtocol from './invalid-protocol';
import missingDescription from './missing-description';
import mixedRuleStyles from './mixed-rule-styles';
import noDedicatedSshGroup from './no-dedicated-ssh-group';
import openAdminPort from './open-admin-port';
import openAllPorts from './open-all-ports';
import openDbPort from './open-db-port';
import openSensitivePort from './open-sensitive-port';
import peerSuppressionWithoutReason from './peer-suppression-without-reason';
import ruleWithoutPeer from './rule-without-peer';
import shadowedRule from './shadowed-rule';
import suppressionMissingReason from './suppression-missing-reason';
import tooManyGroupsPerResource from './too-many-groups-per-resource';
import unknownPeer from './unknown-peer';
import unmappedPeerSuppression from './unmapped-peer-suppression';
import unrestrictedEgress from './unrestricted-egress';
import unusedSecurityGroup from './unused-security-group';
import unusedSuppression from './unused-suppression';
import widePortRange from './wide-port-range';
import worldIngressUnexpectedPort from './world-ingress-unexpected-port';
import type { Rule } from './api';

// Each rule has its own options type; the registry holds them side by side, so the element type must be `any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const RULES: readonly Rule<any>[] = [
  databaseUnrestrictedEgress,
  defaultGroupAllowsTraffic,
  deniedSuppression,
  duplicateRule,
  excessiveRules,
  expiredSuppression,
  exposedDatabaseGroup,
  invalidCidr,
  invalidPortRange,
  invalidProperty,
  invalidProtocol,
  missingDescription,
  mixedRuleStyles,
  noDedicatedSshGroup,
  openAdminPort,
  openAllPorts,
  openDbPort,
  openSensitivePort,
  peerSuppressionWithoutReason,
  ruleWithoutPeer,
  shadowedRule,
  suppressionMissingReason,
  tooManyGroupsPerResource,
  unknownPeer,
  unmappedPeerSuppression,
  unrestrictedEgress,
  unusedSecurityGroup,
  unusedSuppression,
  widePortRange,
  worldIngressUnexpectedPort,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

/** The rule with this id, if sg-lint has one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getRule(id: string): Rule<any> | undefined {
  return RULES.find((r) => r.meta.id === id);
}
