/** Flags ingress from the internet (error) or from other public CIDRs (warning) that reaches a database port. */
import { entriesForPortOption, entriesIn, portSpecsOf } from '../model/catalog';
import { defineRule } from './api';
import { exposureFindings, includedServices } from './kit/exposure';
import { portListOption } from './kit/options';
import type { PeerClass } from './kit/peers';

/** Options of `open-db-port`. */
export interface OpenDbPortOptions {
  ports: string[];
  reportPublic: boolean;
}

export default defineRule<OpenDbPortOptions>({
  meta: {
    id: 'open-db-port',
    description: 'Disallow ingress from the internet or other public networks to database, cache and search ports',
    defaultSeverity: 'error',
    tags: ['security', 'ingress', 'exposure', 'database'],
    securitySeverity: '8.0',
    recommended: true,
    fix: 'Admit the database port only from the application\'s security group or private ranges',
    locate: 'peer',
    references: {
      securityHub: ['EC2.19'],
      urls: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html'],
    },
    options: {
      ports: portListOption(
        portSpecsOf(entriesIn(['database', 'cache', 'search'])),
        'Database, cache and search ports to protect, as "protocol/port" or "protocol/from-to"',
      ),
      reportPublic: {
        schema: { type: 'boolean' },
        default: true,
        description: 'Also report (as warnings) public CIDRs narrower than the whole internet; private ranges never count',
      },
    },
  },
  check(ctx) {
    const targets = entriesForPortOption(ctx.options.ports);
    const classes: PeerClass[] = ctx.options.reportPublic ? ['world', 'near-world', 'public'] : ['world'];
    // One query for every group, of the same shape as the other exposure rules' (the kit's code stays monomorphic).
    const query = { classes, nearWorldPrefix: undefined, trustedNetworks: ctx.trustedNetworks };
    for (const group of ctx.groups) {
      for (const f of exposureFindings(group, targets, query)) {
        ctx.report({
          target: f.rule ? { rule: f.rule, group } : { group },
          message: f.message,
          key: f.key,
          severity: f.peerClass === 'world' ? 'error' : 'warning',
          includes: includedServices(f.services, 'database, cache and search'),
        });
      }
    }
  },
});
