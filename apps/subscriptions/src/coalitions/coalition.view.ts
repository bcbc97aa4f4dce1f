import type { CoalitionView } from '@clarion/contracts';
import type { CoalitionRecord } from './coalition.schema';

export function toCoalitionView(coalition: CoalitionRecord): CoalitionView {
  return {
    id: coalition._id.toHexString(),
    name: coalition.name,
    slug: coalition.slug,
    ...(coalition.description === undefined ? {} : { description: coalition.description }),
    requireSecondApproval: coalition.requireSecondApproval,
    topics: coalition.topics ?? [],
    createdAt: coalition.createdAt.toISOString(),
  };
}
