import type { DeliveryBatch, DeliveryChannel, Recipient } from '@clarion/contracts';
import type { Target } from '../deliveries/delivery.repository';

/** Whether a recipient can be reached on a channel at all. */
const reachable: Record<DeliveryChannel, (recipient: Recipient) => boolean> = {
  email: (recipient) => Boolean(recipient.email),
  push: (recipient) => Boolean(recipient.push),
};

/** One target per recipient and channel that the relay uses and the recipient has; a repeated recipient counts once. */
export function batchTargets(batch: DeliveryBatch): Target[] {
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const recipient of batch.recipients) {
    if (seen.has(recipient.supporterId)) continue;
    seen.add(recipient.supporterId);
    for (const channel of batch.relay.channels) {
      if (reachable[channel](recipient)) targets.push({ supporterId: recipient.supporterId, channel });
    }
  }
  return targets;
}
