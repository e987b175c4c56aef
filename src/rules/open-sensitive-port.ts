/** Flags ingress from the whole internet (or a near-world public range) to any other sensitive service of the catalog. */
import { CATALOG, entriesForPortOption, formatPortSpec, portSpecsOf } from '../model/catalog';
import type { ServiceCategory } from '../model/catalog';
import { defineRule } from './api';
import type { Severity } from './api';
import { exposureFindings, includedServices } from './kit/exposure';
import { nearWorldPrefixOption, portListOption } from './kit/options';
import type { PeerClass } from './kit/peers';
import { opensAllPorts, specOf } from './kit/traffic';

/** Options of `open-sensitive-port`. */
export interface OpenSensitivePortOptions {
  ports: string[];
  nearWorldPrefix: number;
  leaveAllPortsToOpenAllPorts: boolean;
}

/** Categories whose exposure is an error; every other category is a warning. */
const ERROR_CATEGORIES: readonly ServiceCategory[] = ['remote-admin', 'database', 'control-plane'];

/**
 * Catalog entries this rule leaves to others by default: SSH and RDP (open-admin-port), database, cache and search
 * ports (open-db-port), and HTTP/HTTPS, which face the internet by design.
 */
const LEFT_TO_OTHERS = new Set(['ssh', 'rdp', 'http', 'https']);
const LEFT_CATEGORIES: readonly ServiceCategory[] = ['database', 'cache', 'search'];

/** Default `ports`: every catalog service not judged by open-admin-port or open-db-port, HTTP/HTTPS excepted. */
export const DEFAULT_SENSITIVE_PORTS = portSpecsOf(
  CATALOG.filter((e) => !LEFT_TO_OTHERS.has(e.id) && !LEFT_CATEGORIES.includes(e.category)),
);

function severityOf(category: ServiceCategory): Severity {
  return ERROR_CATEGORIES.includes(category) ? 'error' : 'warning';
}

export default defineRule<OpenSensitivePortOptions>({
  meta: {
    id: 'open-sensitive-port',
    description: 'Disallow ingress from the internet to sensitive services such as Telnet, SMB, Docker, etcd, Kubernetes and SNMP',
    defaultSeverity: 'error',
    tags: ['security', 'ingress', 'exposure'],
    securitySeverity: '7.5',
    recommended: true,
    fix: 'Admit the service only from the networks that need it, or put it behind a VPN or load balancer',
    locate: 'peer',
    references: {
      securityHub: ['EC2.19'],
      urls: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html'],
    },
    options: {
      ports: portListOption(
        DEFAULT_SENSITIVE_PORTS,
        'Sensitive ports to protect, as "protocol/port" or "protocol/from-to"; defaults to the catalog without SSH, RDP, HTTP, HTTPS and the database, cache and search ports that open-admin-port and open-db-port judge',
      ),
      nearWorldPrefix: nearWorldPrefixOption('Public CIDRs with this prefix length or shorter (e.g. a /8) count as the internet'),
      leaveAllPortsToOpenAllPorts: {
        schema: { type: 'boolean' },
        default: true,
        description: 'Skip rules that open every port (protocol -1, 0-65535): open-all-ports reports them once instead of once per service',
      },
    },
  },
  check(ctx) {
    const targets = entriesForPortOption(ctx.options.ports);
    const categories = new Map(targets.map((t) => [formatPortSpec(specOf(t)), t.entry.category]));
    const query = { classes: ['world', 'near-world'] as PeerClass[], nearWorldPrefix: ctx.options.nearWorldPrefix, trustedNetworks: ctx.trustedNetworks };
    for (const group of ctx.groups) {
      // A copy without the all-ports rules only for a group that has one (the search reads nothing else of the group).
      const judged = ctx.options.leaveAllPortsToOpenAllPorts && group.ingress.some(opensAllPorts) ? { ...group, ingress: group.ingress.filter((r) => !opensAllPorts(r)) } : group;
      for (const f of exposureFindings(judged, targets, query)) {
        const severity = f.keys.map((k) => severityOf(categories.get(k) ?? 'other')).includes('error') ? 'error' : 'warning';
        ctx.report({ target: f.rule ? { rule: f.rule, group } : { group }, message: f.message, key: f.key, severity, includes: includedServices(f.services, 'other sensitive') });
      }
    }
  },
});
