import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { DeliveryConfig } from '@clarion/config';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { webhookAttempts, WebhookSender } from './webhook-sender';

/** Webhook posts at once per worker: receivers are slow and independent. */
const WEBHOOK_CONCURRENCY = 8;

/**
 * webhooks.jobs.deliver.v1, on the WEBHOOKS work queue: bounded attempts
 * (WEBHOOK_RETRY_BACKOFF_MS), each wait carried by the nak so JetStream holds
 * the job, durably, until it is due; after the last, the job goes to the
 * dead letters and its log record says failed.
 */
@Injectable()
export class WebhookSenderConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookSenderConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.webhookDelivery>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly sender: WebhookSender,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'WEBHOOKS',
      durable: 'delivery-webhooks',
      subject: eventSubjects.webhookDelivery,
      logger: this.logger,
      maxDeliver: webhookAttempts(this.config),
      backoffMs: this.config.WEBHOOK_RETRY_BACKOFF_MS,
      // Longer than one post can take (its timeout), with room for the log write.
      ackWaitMs: this.config.WEBHOOK_TIMEOUT_MS + 20_000,
      concurrency: WEBHOOK_CONCURRENCY,
      handle: (job, msg) => this.sender.send(job, msg),
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
