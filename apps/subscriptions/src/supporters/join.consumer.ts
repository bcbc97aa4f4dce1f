import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { JoinService } from './join.service';

/**
 * supporters.jobs.join.v1: the joins answered on the request path, worked on
 * here. One at a time per process, so two joins of one address never race
 * for its confirmation window.
 */
@Injectable()
export class JoinConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JoinConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.joinRequested>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly joining: JoinService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'SUPPORTER_JOBS',
      durable: 'subscriptions-joins',
      subject: eventSubjects.joinRequested,
      logger: this.logger,
      handle: (job) => this.joining.handleJoin(job),
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
