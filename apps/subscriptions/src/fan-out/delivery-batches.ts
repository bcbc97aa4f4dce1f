import { eventSubjects, type Recipient, type RelayContent } from '@clarion/contracts';
import type { EventPublisher } from '@clarion/messaging';

/**
 * Publishes one delivery batch. Its id, `<prefix>:from:<first supporterId>`,
 * is also the last token of its subject, so the same batch published again,
 * however late, is refused by the stream (docs/decisions/0016).
 */
export async function publishBatch(events: EventPublisher, prefix: string, relay: RelayContent, recipients: Recipient[], resend = false): Promise<void> {
  const eventId = `${prefix}:from:${recipients[0].supporterId}`;
  const batch = { eventId, occurredAt: new Date().toISOString(), relay, recipients, ...(resend ? { resend } : {}) };
  await events.publish(eventSubjects.deliveryBatch, batch, { msgId: eventId });
}
