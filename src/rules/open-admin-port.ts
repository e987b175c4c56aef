/** Flags ingress from the whole internet that reaches a remote administration port (SSH tcp/22, RDP tcp+udp/3389). */
import { catalogEntry, entriesForPortOption, portSpecsOf } from '../model/catalog';
import type { CatalogEntry } from '../model/catalog';
import { defineRule } from './api';
import { exposureFindings } from './kit/exposure';
import { portListOption } from './kit/options';
import type { PeerClass } from './kit/peers';

/** Options of `open-admin-port`. */
export interface OpenAdminPortOptions {
  ports: string[];
}

const ADMIN_ENTRIES = ['ssh', 'rdp'].map((id) => catalogEntry(id)).filter((e): e is CatalogEntry => e !== undefined);

const WORLD: readonly PeerClass[] = ['world'];

export default defineRule<OpenAdminPortOptions>({
  meta: {
    id: 'open-admin-port',
    description: 'Disallow ingress from the whole internet to remote administration ports such as SSH and RDP',
    defaultSeverity: 'error',
    tags: ['security', 'ingress', 'exposure'],
    securitySeverity: '9.0',
    recommended: true,
    fix: 'Admit only your VPN or office range, a bastion\'s security group, or use Session Manager and remove the rule',
    locate: 'peer',
    references: {
      cis: ['5.2', '5.3'],
      securityHub: ['EC2.13', 'EC2.14', 'EC2.53', 'EC2.54'],
      urls: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html'],
    },
    options: {
      ports: portListOption(
        portSpecsOf(ADMIN_ENTRIES),
        'Remote administration ports to protect, as "protocol/port" or "protocol/from-to" (e.g. "tcp/5985-5986")',
      ),
    },
  },
  check(ctx) {
    const targets = entriesForPortOption(ctx.options.ports);
    // One query for every group, of the same shape as the other exposure rules' (the kit's code stays monomorphic).
    const query = { classes: WORLD, nearWorldPrefix: undefined, trustedNetworks: ctx.trustedNetworks };
    for (const group of ctx.groups) {
      for (const f of exposureFindings(group, targets, query)) {
        ctx.report({ target: f.rule ? { rule: f.rule, group } : { group }, message: f.message, key: f.key, includes: f.services });
      }
    }
  },
});
