/** Flags a group guarding a database, cache or search domain that lets everything out to the whole internet. */
import type { AttachmentCategory } from '../model/types';
import { defineRule } from './api';
import { dataStoreAttachments, describeAttachments } from './kit/attachments';
import { egressMessage } from './kit/messages';
import { isUnrestrictedEgress, trafficKey } from './kit/traffic';
import { worstPerEntry } from './kit/variants';

/** Options of `database-unrestricted-egress`. */
export interface DatabaseUnrestrictedEgressOptions {
  categories: AttachmentCategory[];
}

export default defineRule<DatabaseUnrestrictedEgressOptions>({
  meta: {
    id: 'database-unrestricted-egress',
    description: 'Disallow unrestricted egress from security groups that guard databases, caches and search domains',
    defaultSeverity: 'warning',
    tags: ['security', 'egress', 'database', 'attachment'],
    securitySeverity: '4.0',
    recommended: true,
    fix: 'Allow egress only to the hosts and ports the data store must reach (backups, replication, updates), or remove the all-traffic rule',
    locate: 'peer',
    references: {
      urls: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html'],
    },
    options: {
      categories: {
        schema: { type: 'array', items: { type: 'string', enum: ['database', 'cache', 'search', 'message-broker', 'file-system'] }, uniqueItems: true },
        default: ['database', 'cache', 'search'],
        description: 'Attachment categories that make a group a data-store group',
      },
    },
  },
  check(ctx) {
    for (const group of ctx.groups) {
      const guarded = dataStoreAttachments(group, ctx.options.categories);
      if (guarded.length === 0) continue;
      const rules = group.egress.filter(isUnrestrictedEgress).map((rule) => ({ rule, rank: 0 }));
      for (const { rule } of worstPerEntry(rules)) {
        const subject = `Security group ${group.address} (guarding ${describeAttachments(guarded)})`;
        ctx.report({ target: { rule, group }, message: egressMessage(group, rule, subject), key: trafficKey(rule) });
      }
    }
  },
});
