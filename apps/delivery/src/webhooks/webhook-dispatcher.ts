import { Injectable } from '@nestjs/common';
import { eventSubjects } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { EventPublisher } from '@clarion/messaging';
import type { WebhookEvent } from './webhook-events';
import { webhookMessageId } from './webhook-events';
import { WebhookRepository } from './webhook.repository';

/**
 * Queues a webhook event for every endpoint that wants it: one job per
 * endpoint on the WEBHOOKS work queue, so a slow or failing receiver holds
 * up nobody else's. The job id is the webhook-id: a bus event redelivered
 * after a crash queues nothing twice (JetStream drops the repeat, the log
 * record is found).
 */
@Injectable()
export class WebhookDispatcher {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly events: EventPublisher,
  ) {}

  async dispatch(webhooks: WebhookEvent[]): Promise<ConsumerOutcome> {
    let queued = 0;
    for (const event of webhooks) {
      for (const endpoint of await this.repository.subscribedTo(event.owners, event.type)) {
        const endpointId = endpoint._id.toHexString();
        const messageId = webhookMessageId(event.eventId, endpointId);
        await this.repository.openMessage(endpointId, messageId, event.type);
        await this.events.publish(
          eventSubjects.webhookDelivery,
          { eventId: messageId, occurredAt: event.occurredAt, endpointId, messageId, type: event.type, data: event.data },
          { msgId: messageId, retryForMs: 30_000 },
        );
        queued += 1;
      }
    }
    return queued > 0 ? { kind: 'handled' } : { kind: 'skipped', reason: 'no endpoint wants it' };
  }
}
