import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { StaffEmailService } from './staff-email.service';

/** delivery.jobs.staff-email.v1, on the DELIVERY_JOBS work queue shared by every delivery process. */
@Injectable()
export class StaffEmailConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StaffEmailConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.staffEmail>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly staffEmails: StaffEmailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'DELIVERY_JOBS',
      durable: 'delivery-staff-emails',
      subject: eventSubjects.staffEmail,
      logger: this.logger,
      handle: (request) => this.staffEmails.send(request),
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
