import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { DeliveryConfig } from '@clarion/config';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { BatchService } from './batch.service';

const ACK_WAIT_MS = 120_000;
const MAX_DELIVER = 5;
/** Quick first retry (a blip), then long enough for greylisting SMTP servers and rate-limited push services. */
const BACKOFF_MS = [1_000, 15_000, 60_000, 300_000];

/**
 * The DELIVERY_JOBS work queue: every delivery process pulls from the same
 * durable consumer, BATCH_CONCURRENCY batches at a time.
 */
@Injectable()
export class BatchConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BatchConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.deliveryBatch>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
    private readonly batches: BatchService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'DELIVERY_JOBS',
      durable: 'delivery-batches',
      subject: eventSubjects.deliveryBatch,
      ackWaitMs: ACK_WAIT_MS,
      maxDeliver: MAX_DELIVER,
      backoffMs: BACKOFF_MS,
      concurrency: this.config.BATCH_CONCURRENCY,
      logger: this.logger,
      handle: (batch, msg) => this.batches.deliver(batch, msg.info.redeliveryCount >= MAX_DELIVER),
    });
    await this.consumer.start();
  }

  /** Stops pulling and lets the batches in hand finish and write their outcomes. */
  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
