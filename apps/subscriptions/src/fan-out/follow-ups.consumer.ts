import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects, type EventSubject } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION, type DurableConsumerOptions } from '@clarion/messaging';
import { FollowUpsService } from './follow-ups.service';

/** A follow-up waits for its relays' original fan-outs: up to about 17 minutes before it is dead-lettered. */
const BACKOFF_MS = [1_000, 5_000, 30_000, 60_000];
const MAX_DELIVER = 20;
const ACK_WAIT_MS = 60_000;

/** alerts.updated and alerts.cancelled, as updates and retractions to supporters already reached. */
@Injectable()
export class FollowUpsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FollowUpsConsumer.name);
  private consumers: DurableConsumer<EventSubject>[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly followUps: FollowUpsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const js = this.nc.jetstream();
    const jsm = await this.nc.jetstreamManager();
    const consumer = <S extends EventSubject>(subject: S, durable: string, handle: DurableConsumerOptions<S>['handle']) =>
      new DurableConsumer(js, jsm, { stream: 'ALERTS', durable, subject, handle, logger: this.logger, backoffMs: BACKOFF_MS, maxDeliver: MAX_DELIVER, ackWaitMs: ACK_WAIT_MS });
    this.consumers = [
      consumer(eventSubjects.alertUpdated, 'subscriptions-follow-ups-updated', ({ alert }) => this.followUps.corrected(alert)),
      consumer(eventSubjects.alertCancelled, 'subscriptions-follow-ups-cancelled', (event) => this.followUps.cancelled(event)),
    ];
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}
