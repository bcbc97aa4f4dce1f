import { Injectable } from '@nestjs/common';
import type { JsMsg } from 'nats';
import type { DeliveryConfig } from '@clarion/config';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerContext, type ConsumerOutcome } from '@clarion/messaging';
import { BatchService } from './batch.service';

@Injectable()
export class BatchConsumer {
  constructor(private readonly batches: BatchService) {}

  /**
   * The DELIVERY_BATCHES stream: every delivery process pulls from the same
   * durable consumer, BATCH_CONCURRENCY batches at a time; one attempt, then
   * one more after each RETRY_BACKOFF_MS wait; a pass still running after
   * BATCH_PASS_DEADLINE_MS is abandoned and counts as an attempt.
   */
  @Consumes({
    subject: eventSubjects.deliveryBatch,
    durable: 'delivery-batches',
    settings: (config: DeliveryConfig) => ({
      ackWaitMs: config.BATCH_ACK_WAIT_MS,
      maxDeliver: config.RETRY_BACKOFF_MS.length + 1,
      backoffMs: config.RETRY_BACKOFF_MS,
      concurrency: config.BATCH_CONCURRENCY,
      handlerDeadlineMs: config.BATCH_PASS_DEADLINE_MS,
    }),
  })
  deliver(batch: EventPayload<typeof eventSubjects.deliveryBatch>, _msg: JsMsg, { lastAttempt, signal, step }: ConsumerContext<typeof eventSubjects.deliveryBatch>): Promise<ConsumerOutcome> {
    return this.batches.deliver(batch, lastAttempt, { signal, step });
  }
}
