/** Flags any ingress from the internet or other public addresses to a group that guards a database, cache, search domain or broker. */
import type { AttachmentCategory } from '../model/types';
import { defineRule } from './api';
import { dataStoreAttachments, describeAttachments } from './kit/attachments';
import { openMessage } from './kit/messages';
import { nearWorldPrefixOption } from './kit/options';
import { classifyPeer, describeExposedPeer, isExposedClass } from './kit/peers';
import type { PeerClass } from './kit/peers';
import { describeTraffic, trafficKey } from './kit/traffic';
import { conditionsOf, worstPerEntry } from './kit/variants';

/** Options of `exposed-database-group`. */
export interface ExposedDatabaseGroupOptions {
  categories: AttachmentCategory[];
  reportPublic: boolean;
  nearWorldPrefix: number;
}

const RANK: Partial<Record<PeerClass, number>> = { world: 0, 'near-world': 1, public: 2 };

export default defineRule<ExposedDatabaseGroupOptions>({
  meta: {
    id: 'exposed-database-group',
    description: 'Disallow ingress from the internet or other public addresses to security groups that guard databases, caches, search domains and message brokers',
    defaultSeverity: 'error',
    tags: ['security', 'ingress', 'exposure', 'database', 'attachment'],
    securitySeverity: '8.5',
    recommended: true,
    fix: 'Admit only the application\'s security group or private ranges; data stores should never face the internet',
    locate: 'peer',
    references: {
      securityHub: ['EC2.19', 'RDS.2'],
      urls: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.Scenarios.html'],
    },
    options: {
      categories: {
        schema: { type: 'array', items: { type: 'string', enum: ['database', 'cache', 'search', 'message-broker', 'file-system'] }, uniqueItems: true },
        default: ['database', 'cache', 'search', 'message-broker'],
        description: 'Attachment categories that make a group a data-store group (message brokers hold data in flight)',
      },
      reportPublic: {
        schema: { type: 'boolean' },
        default: true,
        description: 'Also report public CIDRs narrower than the whole internet (office or partner ranges); private ranges never count',
      },
      nearWorldPrefix: nearWorldPrefixOption('Public CIDRs with this prefix length or shorter are described as very wide ranges'),
    },
  },
  check(ctx) {
    const classify = { nearWorldPrefix: ctx.options.nearWorldPrefix, trustedNetworks: ctx.trustedNetworks };
    for (const group of ctx.groups) {
      const guarded = dataStoreAttachments(group, ctx.options.categories);
      if (guarded.length === 0) continue;
      const candidates = group.ingress.flatMap((rule) => {
        const cls = classifyPeer(rule.peer, classify);
        if (!isExposedClass(cls) || (cls === 'public' && !ctx.options.reportPublic)) return [];
        return [{ rule, cls, rank: RANK[cls] ?? 9 }];
      });
      for (const { rule, cls } of worstPerEntry(candidates)) {
        if (!rule.peer.known) continue;
        const subject = `Security group ${group.address} (guarding ${describeAttachments(guarded)})`;
        const message = openMessage(subject, describeTraffic(rule), 'from', describeExposedPeer(rule.peer.value, cls), conditionsOf(rule, group));
        ctx.report({ target: { rule, group }, message, key: trafficKey(rule) });
      }
    }
  },
});
