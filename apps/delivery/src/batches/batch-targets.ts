import type { DeliveryBatch } from '@clarion/contracts';
import type { Target } from '../deliveries/delivery.repository';

/** One target per recipient and channel that the relay uses and the recipient has; a repeated recipient counts once. */
export function batchTargets(batch: DeliveryBatch): Target[] {
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const recipient of batch.recipients) {
    if (seen.has(recipient.supporterId)) continue;
    seen.add(recipient.supporterId);
    for (const channel of batch.relay.channels) {
      if (recipient.contacts[channel] !== undefined) targets.push({ supporterId: recipient.supporterId, channel });
    }
  }
  return targets;
}
