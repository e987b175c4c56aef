/** What a group guards: its attachments by category. */
import type { AttachmentCategory, SecurityGroup } from '../../model/types';

/** Attachment categories that mean "this group guards a data store". */
export const DATA_STORE_CATEGORIES: readonly AttachmentCategory[] = ['database', 'cache', 'search'];

/** The data-store attachments of a group (databases, caches, search domains by default). */
export function dataStoreAttachments(group: SecurityGroup, categories: readonly AttachmentCategory[] = DATA_STORE_CATEGORIES): SecurityGroup['attachments'] {
  return group.attachments.filter((a) => categories.includes(a.category));
}

/** "database Db (AWS::RDS::DBInstance)" and "2 more" for the first attachment of a list. */
export function describeAttachments(attachments: SecurityGroup['attachments']): string {
  const first = attachments[0];
  if (first === undefined) return 'nothing';
  const more = attachments.length > 1 ? ` and ${attachments.length - 1} more` : '';
  return `${first.category} ${first.resource} (${first.type})${more}`;
}

/** True when the group is attached to something and every attachment is a load balancer. */
export function guardsOnlyLoadBalancers(group: SecurityGroup): boolean {
  return group.attachments.length > 0 && group.attachments.every((a) => a.category === 'load-balancer');
}
