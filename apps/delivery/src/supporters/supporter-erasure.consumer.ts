import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { webhookEventsFrom } from '../webhooks/webhook-events';
import { SupporterLedgerService } from './supporter-ledger.service';

/** delivery.jobs.supporter-erased.v1, on the DELIVERY_JOBS work queue: one worker pseudonymises each erased supporter's records, then tells the organisation's webhooks. */
@Injectable()
export class SupporterErasureConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SupporterErasureConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.supporterErased>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly ledger: SupporterLedgerService,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'DELIVERY_JOBS',
      durable: 'delivery-supporter-erasures',
      subject: eventSubjects.supporterErased,
      logger: this.logger,
      handle: async (erased) => {
        const outcome = await this.ledger.erase(erased);
        if (outcome.kind === 'retry') return outcome;
        // The organisation's supporter.erased webhook (its id only), queued once the ledger forgot the supporter.
        await this.webhooks.dispatch(webhookEventsFrom[eventSubjects.supporterErased](erased));
        return outcome;
      },
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
