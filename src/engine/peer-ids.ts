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
  // cfn-lint validates template syntax and resource properties; none of its rule ids means an sg-lint rule.
  'cfn-lint': {},
  // KICS query ids (UUIDs) of the security-group queries, Terraform and CloudFormation flavours.
  kics: {
    '65905CEC-D691-4320-B320-2000436CB696': [ADMIN_SSH], // Security Group With Unrestricted Access To SSH (Terraform)
    '6E856AF2-62D7-4BA2-ADC1-73B62CEF9CC1': [ADMIN_SSH], // Security Group Unrestricted Access To SSH (CloudFormation)
    '151187CB-0EFC-481C-BABD-AD24E3C9BC22': [ADMIN_RDP], // Remote Desktop Port Open To Internet (Terraform)
    'C9846969-D066-431F-9B34-8C4ABAFE422A': [ADMIN_RDP], // Remote Desktop Port Open To Internet
    '3AE83918-7EC7-4CB8-80DB-B91EF0F94002': [ADMIN_RDP], // Security Group Unrestricted Access To RDP (CloudFormation)
    'CDBB0467-2957-4A77-9992-7B55B29DF7B7': [{ rule: 'open-admin-port' }], // Security Groups With Exposed Admin Ports
    'ADCD0082-E90B-4B63-862B-21899F6E6A48': [ALL_PORTS], // Security Groups With Meta IP (all ports from the world)
    '381C3F2A-EF6F-4EFF-99F7-B169CDA3422C': [{ rule: 'open-sensitive-port' }, { rule: 'open-db-port' }], // Sensitive Port Is Exposed To Entire Network
    '4728CD65-A20C-49DA-8B31-9C08B423E4DB': [{ rule: 'world-ingress-unexpected-port' }], // Unrestricted Security Group Ingress (Terraform)
    '4A1E6B34-1008-4E61-A5F2-1F7C276F8D14': [{ rule: 'world-ingress-unexpected-port' }], // Unrestricted Security Group Ingress (CloudFormation)
    '590D878B-ABDC-428F-895A-E2B68A0E1998': [{ rule: 'world-ingress-unexpected-port' }], // Unknown Port Exposed To Internet
    '829CE3B8-065C-41A3-AD57-E0ACCFEA82D2': [{ rule: 'world-ingress-unexpected-port' }], // Unknown Port Exposed To Internet
    '1CC2FBD7-816C-4FBF-AD6D-38A4AFA4312A': [EGRESS], // Security Group Egress CIDR Open To World
    '66F2D8F9-A911-4CED-AE27-34F09690BB2C': [EGRESS], // Security Groups Allows Unrestricted Outbound Traffic
    '87482183-A8E7-4E42-A566-7A23EC231C16': [{ rule: 'wide-port-range' }], // Security Group Ingress With Port Range
    '68EB4BF3-F9BF-463D-B5CF-E029BB446D2E': [DESCRIPTION], // Security Group Rule Without Description
    '5E6C9C68-8A82-408E-8749-DDAD78CBB9C5': [DESCRIPTION], // Security Group Rule Without Description
    'CB3F5ED6-0D18-40DE-A93D-B3538DB31E8C': [DESCRIPTION], // Security Group Rule Without Description
    '4849211B-AC39-479E-AE78-5694D506CB24': [{ rule: 'unused-security-group' }], // Security Group Not Used
    '46883CE1-DC3E-4B17-9195-C6A601624C73': [DEFAULT_GROUP], // Default Security Groups With Unrestricted Traffic
    'EA33FCF7-394B-4D11-A228-985C5D08F205': [DEFAULT_GROUP], // Default Security Groups With Unrestricted Traffic
    '9A4EF195-74B9-4C58-B8ED-2B2FE4353A75': [DEFAULT_GROUP], // VPC Default Security Group Accepts All Traffic
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
export const PEER_ORIGINS: readonly string[] = ['cfn_nag', 'checkov', 'cfn-lint', 'kics', 'tfsec', 'trivy'];

/** Peer markers whose syntax has no place for a reason: their missing reason is a note, not an error. */
export const REASONLESS_ORIGINS: readonly string[] = ['cfn-lint', 'kics', 'tfsec', 'trivy'];

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
