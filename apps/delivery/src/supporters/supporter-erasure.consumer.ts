import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { SupporterLedgerService } from './supporter-ledger.service';

/** delivery.jobs.supporter-erased.v1, on the DELIVERY_JOBS work queue: one worker pseudonymises each erased supporter's records. */
@Injectable()
export class SupporterErasureConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SupporterErasureConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.supporterErased>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly ledger: SupporterLedgerService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'DELIVERY_JOBS',
      durable: 'delivery-supporter-erasures',
      subject: eventSubjects.supporterErased,
      logger: this.logger,
      handle: (erased) => this.ledger.erase(erased),
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
