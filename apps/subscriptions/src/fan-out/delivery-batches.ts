import { eventSubjects, type FollowUp, type Recipient, type RelayContent } from '@clarion/contracts';
import type { EventPublisher } from '@clarion/messaging';

/**
 * Rides out a stream leader's loss (a NATS restart, a cluster election) instead of failing the fan-out, whose retry
 * would wait for its consumer's ack wait; well inside that wait, which the consumer's heartbeat keeps extending.
 */
const PUBLISH_RETRY_FOR_MS = 30_000;

/**
 * Publishes one delivery batch. Its id, `<prefix>:from:<first supporterId>`,
 * is also the last token of its subject, so the same batch published again,
 * however late, is refused by the stream (docs/decisions/0016).
 */
export async function publishBatch(
  events: EventPublisher,
  prefix: string,
  relay: RelayContent,
  recipients: Recipient[],
  { resend = false, followUp }: { resend?: boolean; followUp?: FollowUp } = {},
): Promise<void> {
  const eventId = `${prefix}:from:${recipients[0].supporterId}`;
  const batch = { eventId, occurredAt: new Date().toISOString(), relay, recipients, ...(resend ? { resend } : {}), ...(followUp ? { followUp } : {}) };
  await events.publish(eventSubjects.deliveryBatch, batch, { msgId: eventId, retryForMs: PUBLISH_RETRY_FOR_MS });
}
