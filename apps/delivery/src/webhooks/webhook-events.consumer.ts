import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { consumers, streamFor, type EventPayload } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { WebhookDispatcher } from './webhook-dispatcher';
import { webhookEventsFrom, type WebhookSourceSubject } from './webhook-events';

/**
 * One durable consumer per bus event that makes a webhook (their names are in
 * bus-access.ts): each maps its event (webhookEventsFrom) and queues the
 * webhooks. Supporter erasures come through the erasure consumer instead:
 * their work queue takes one consumer.
 */
@Injectable()
export class WebhookEventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookEventsConsumer.name);
  private readonly running: DurableConsumer<WebhookSourceSubject>[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const js = this.nc.jetstream();
    const jsm = await this.nc.jetstreamManager();
    for (const { durable, subject } of consumers.filter((c) => c.service === 'delivery' && c.durable.startsWith('delivery-webhooks-'))) {
      const source = subject as WebhookSourceSubject;
      const map = webhookEventsFrom[source] as (payload: EventPayload<WebhookSourceSubject>) => ReturnType<(typeof webhookEventsFrom)[WebhookSourceSubject]>;
      const consumer = new DurableConsumer(js, jsm, {
        stream: streamFor(subject)!.name,
        durable,
        subject: source,
        logger: this.logger,
        handle: (payload) => this.dispatcher.dispatch(map(payload)),
      });
      await consumer.start();
      this.running.push(consumer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.running.map((consumer) => consumer.stop()));
  }
}
