import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects, type EventSubject } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION, type DurableConsumerOptions } from '@clarion/messaging';
import { ApprovalNotices } from '../accounts/approval-notices';
import { AlertRelaysService } from './alert-relays.service';

const ALERTS_STREAM = 'ALERTS';

/**
 * The alerts.* facts this service acts on, each through its own durable
 * consumer (shared by every replica), started once the app is up and
 * drained before the database connection closes.
 */
@Injectable()
export class AlertEventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  // Nest's Logger fits the consumer's logger interface (object first, message second) and lands in pino.
  private readonly logger = new Logger(AlertEventsConsumer.name);
  private consumers: DurableConsumer<EventSubject>[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly alertRelays: AlertRelaysService,
    private readonly approvalNotices: ApprovalNotices,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const js = this.nc.jetstream();
    const jsm = await this.nc.jetstreamManager();
    const consumer = <S extends EventSubject>(subject: S, durable: string, handle: DurableConsumerOptions<S>['handle']) =>
      new DurableConsumer(js, jsm, { stream: ALERTS_STREAM, durable, subject, handle, logger: this.logger });
    this.consumers = [
      consumer(eventSubjects.alertPublished, 'subscriptions-relays-published', ({ alert }) => this.alertRelays.open(alert)),
      consumer(eventSubjects.alertUpdated, 'subscriptions-relays-updated', ({ alert }) => this.alertRelays.correct(alert)),
      consumer(eventSubjects.alertCancelled, 'subscriptions-relays-cancelled', ({ coalitionId, alertId }) =>
        this.alertRelays.cancel(coalitionId, alertId),
      ),
      consumer(eventSubjects.alertApprovalRequested, 'subscriptions-approval-requests', (event) => this.approvalNotices.send(event)),
    ];
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}
