import { Injectable } from '@nestjs/common';
import type { JsMsg } from 'nats';
import type { DeliveryConfig } from '@clarion/config';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { webhookAttempts, WebhookSender } from './webhook-sender';

/** Webhook posts at once per worker: receivers are slow and independent. */
const WEBHOOK_CONCURRENCY = 8;

@Injectable()
export class WebhookSenderConsumer {
  constructor(private readonly sender: WebhookSender) {}

  /**
   * The WEBHOOKS work queue: bounded attempts (WEBHOOK_RETRY_BACKOFF_MS),
   * each wait carried by the nak so JetStream holds the job, durably, until it
   * is due; after the last, the job goes to the dead letters and its log
   * record says failed.
   */
  @Consumes({
    subject: eventSubjects.webhookDelivery,
    durable: 'delivery-webhooks',
    settings: (config: DeliveryConfig) => ({
      maxDeliver: webhookAttempts(config),
      backoffMs: config.WEBHOOK_RETRY_BACKOFF_MS,
      // Longer than one post can take (its timeout), with room for the log write.
      ackWaitMs: config.WEBHOOK_TIMEOUT_MS + 20_000,
      concurrency: WEBHOOK_CONCURRENCY,
    }),
  })
  send(job: EventPayload<typeof eventSubjects.webhookDelivery>, msg: JsMsg): Promise<ConsumerOutcome> {
    return this.sender.send(job, msg);
  }
}
