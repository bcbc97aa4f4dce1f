import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { DeliveryConfig } from '@clarion/config';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { BatchService } from './batch.service';

/**
 * The DELIVERY_BATCHES stream: every delivery process pulls from the same
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
    const backoffMs = this.config.RETRY_BACKOFF_MS;
    const maxDeliver = backoffMs.length + 1;
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'DELIVERY_BATCHES',
      durable: 'delivery-batches',
      subject: eventSubjects.deliveryBatch,
      ackWaitMs: this.config.BATCH_ACK_WAIT_MS,
      maxDeliver,
      backoffMs,
      concurrency: this.config.BATCH_CONCURRENCY,
      logger: this.logger,
      handle: (batch, msg) => this.batches.deliver(batch, msg.info.redeliveryCount >= maxDeliver),
    });
    await this.consumer.start();
  }

  /** Stops pulling and lets the batches in hand finish and write their outcomes. */
  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
