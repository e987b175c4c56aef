/**
 * Suppression ids of other scanners (cfn_nag, checkov, trivy/tfsec) mapped to the sg-lint rules that flag the same
 * condition, so a template already annotated for a peer does not need a second marker. Only ids whose meaning matches
 * one of our rules are mapped; anything else is ignored by sg-lint (it still serves the peer tool).
 */

/** One sg-lint rule a peer id stands for, optionally narrowed to findings with given keys ("tcp/22"). */
export interface PeerTarget {
  rule: string;
  /** Finding keys (exact, or followed by a space and a qualifier such as "ipv4-union"); absent means every finding. */
  keys?: readonly string[];
}

const ADMIN_SSH: PeerTarget = { rule: 'open-admin-port', keys: ['tcp/22'] };
const ADMIN_RDP: PeerTarget = { rule: 'open-admin-port', keys: ['tcp/3389'] };
const ALL_PORTS: PeerTarget = { rule: 'open-all-ports' };
const EGRESS: PeerTarget = { rule: 'unrestricted-egress' };
const DESCRIPTION: PeerTarget = { rule: 'missing-description' };
const DEFAULT_GROUP: PeerTarget = { rule: 'default-group-allows-traffic' };
const TRIVY_PUBLIC_INGRESS: readonly PeerTarget[] = [ADMIN_SSH, ADMIN_RDP, ALL_PORTS];

/** Peer ids by origin, upper-cased. */
const PEER_IDS: Readonly<Record<string, Readonly<Record<string, readonly PeerTarget[]>>>> = {
  cfn_nag: {
    // W2: ingress from 0.0.0.0/0 or ::/0 on any port; EC2.18's "world ingress on an unexpected port" is that check.
    W2: [{ rule: 'world-ingress-unexpected-port' }],
    // W5: egress to the world.
    W5: [EGRESS],
    // W27: ingress port range instead of a single port.
    W27: [{ rule: 'wide-port-range' }],
    // W36: rule without a description.
    W36: [DESCRIPTION],
    // F1000: no egress, so CloudFormation keeps the allow-all default; unrestricted-egress reports that implicit rule.
    F1000: [EGRESS],
  },
  checkov: {
    CKV_AWS_23: [DESCRIPTION],
    CKV_AWS_24: [ADMIN_SSH],
    CKV_AWS_25: [ADMIN_RDP],
    CKV_AWS_277: [ALL_PORTS],
    CKV_AWS_382: [EGRESS],
    CKV2_AWS_5: [{ rule: 'unused-security-group' }],
    CKV2_AWS_12: [DEFAULT_GROUP],
  },
  tfsec: {
    'AWS-0107': TRIVY_PUBLIC_INGRESS,
    'AVD-AWS-0107': TRIVY_PUBLIC_INGRESS,
    'AWS-EC2-NO-PUBLIC-INGRESS-SGR': TRIVY_PUBLIC_INGRESS,
    'AWS-VPC-NO-PUBLIC-INGRESS-SGR': TRIVY_PUBLIC_INGRESS,
    'AWS-0104': [EGRESS],
    'AVD-AWS-0104': [EGRESS],
    'AWS-EC2-NO-PUBLIC-EGRESS-SGR': [EGRESS],
    'AWS-VPC-NO-PUBLIC-EGRESS-SGR': [EGRESS],
    'AWS-0099': [DESCRIPTION],
    'AVD-AWS-0099': [DESCRIPTION],
    'AWS-EC2-ADD-DESCRIPTION-TO-SECURITY-GROUP': [DESCRIPTION],
    'AWS-VPC-ADD-DESCRIPTION-TO-SECURITY-GROUP': [DESCRIPTION],
    'AWS-0124': [DESCRIPTION],
    'AVD-AWS-0124': [DESCRIPTION],
    'AWS-EC2-ADD-DESCRIPTION-TO-SECURITY-GROUP-RULE': [DESCRIPTION],
    'AWS-VPC-ADD-DESCRIPTION-TO-SECURITY-GROUP-RULE': [DESCRIPTION],
    'AWS-0173': [DEFAULT_GROUP],
    'AVD-AWS-0173': [DEFAULT_GROUP],
    'AWS-EC2-RESTRICT-ALL-IN-DEFAULT-SG': [DEFAULT_GROUP],
  },
};

/** Origins whose markers are peer ids; `trivy` is an alias of `tfsec`. */
export const PEER_ORIGINS: readonly string[] = ['cfn_nag', 'checkov', 'tfsec', 'trivy'];

/**
 * The sg-lint rules a peer suppression id stands for: `[]` when the id has no equivalent (the marker is then left to
 * the peer tool). Ids are matched case-insensitively; `origin` is the marker's origin ("cfn_nag", "checkov", "tfsec").
 */
export function mapPeerId(origin: string, id: string): readonly PeerTarget[] {
  const table = PEER_IDS[origin === 'trivy' ? 'tfsec' : origin];
  return table?.[id.trim().toUpperCase()] ?? [];
}

/** Every mapped peer id, for docs and tests: origin, id and targets. */
export function peerIdTable(): { origin: string; id: string; targets: readonly PeerTarget[] }[] {
  return Object.entries(PEER_IDS).flatMap(([origin, ids]) =>
    Object.entries(ids).map(([id, targets]) => ({ origin, id, targets })),
  );
}

/** True when a finding key matches a target's keys ("tcp/22" matches "tcp/22" and "tcp/22 ipv4-union"). */
export function keyMatches(target: PeerTarget, key: string | undefined): boolean {
  if (!target.keys) return true;
  if (key === undefined) return false;
  return target.keys.some((k) => key === k || key.startsWith(`${k} `));
}
