import { deliveryChannelSchema, relayProgressV1, type RelayProgress as RelayProgressView } from '@clarion/contracts';
import { PROGRESS_COUNTERS, type ChannelCounters, type RelayProgress } from './progress.schema';

const NONE = Object.fromEntries(PROGRESS_COUNTERS.map((counter) => [counter, 0])) as ChannelCounters;

/** Every channel of the registry: a record made before a channel was added counts nothing on it. */
export function toProgressView(progress: RelayProgress): RelayProgressView {
  const { relayId, alertId, orgId, coalitionId, clicked, updatedAt, version } = progress;
  const channels = Object.fromEntries(deliveryChannelSchema.options.map((channel) => [channel, progress.channels[channel] ?? NONE]));
  return relayProgressV1.parse({ relayId, alertId, orgId, coalitionId, channels, clicked, updatedAt: updatedAt.toISOString(), ...(version !== undefined ? { version } : {}) });
}
