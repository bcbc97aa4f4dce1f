import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { FanOutService } from './fan-out.service';

/** delivery.feedback.resend-requested.v1: every subscriptions process pulls from the same durable consumer. */
@Injectable()
export class ResendConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ResendConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.resendRequested>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly fanOuts: FanOutService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'DELIVERY_FEEDBACK',
      durable: 'subscriptions-resends',
      subject: eventSubjects.resendRequested,
      logger: this.logger,
      handle: (request) => this.fanOuts.resend(request),
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
