import { Injectable } from '@nestjs/common';
import type { JsMsg } from 'nats';
import { consumers, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerContext, type ConsumerOutcome } from '@clarion/messaging';
import { WebhookDispatcher } from './webhook-dispatcher';
import { webhookEventsFrom, type WebhookEvent, type WebhookSourceSubject } from './webhook-events';

/**
 * One durable consumer per bus event that makes a webhook, as bus-access.ts
 * names them. Supporter erasures come through the erasure consumer instead:
 * their work queue takes one consumer.
 */
const webhookSources = consumers
  .filter((c) => c.service === 'delivery' && c.durable.startsWith('delivery-webhooks-'))
  .map(({ durable, subject }) => ({ durable, subject: subject as WebhookSourceSubject }));

@Injectable()
export class WebhookEventsConsumer {
  constructor(private readonly dispatcher: WebhookDispatcher) {}

  /** Maps the event (webhookEventsFrom) and queues its webhooks. */
  @Consumes(...webhookSources)
  dispatch(payload: EventPayload<WebhookSourceSubject>, _msg: JsMsg, { subject }: ConsumerContext<WebhookSourceSubject>): Promise<ConsumerOutcome> {
    const map = webhookEventsFrom[subject] as (payload: EventPayload<WebhookSourceSubject>) => WebhookEvent[];
    return this.dispatcher.dispatch(map(payload));
  }
}
