import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { ConfirmationService } from './confirmation.service';

/** delivery.jobs.confirmation-email.v1, on the DELIVERY_JOBS work queue shared by every delivery process. */
@Injectable()
export class ConfirmationConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConfirmationConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.confirmationEmail>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly confirmations: ConfirmationService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'DELIVERY_JOBS',
      durable: 'delivery-confirmations',
      subject: eventSubjects.confirmationEmail,
      logger: this.logger,
      handle: (request) => this.confirmations.send(request),
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
