import { relayProgressV1, type RelayProgress as RelayProgressView } from '@clarion/contracts';
import type { RelayProgress } from './progress.schema';

export function toProgressView(progress: RelayProgress): RelayProgressView {
  const { relayId, alertId, orgId, coalitionId, channels, clicked, updatedAt } = progress;
  return relayProgressV1.parse({ relayId, alertId, orgId, coalitionId, channels, clicked, updatedAt: updatedAt.toISOString() });
}
