import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects, type AlertSnapshot, type EventSubject } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION, type ConsumerOutcome } from '@clarion/messaging';
import { AlertSnapshotRepository } from './alert-snapshot.repository';

/** Keeps the newest snapshot of every published alert, from `published` and its corrections (`updated`). */
@Injectable()
export class AlertSnapshotConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertSnapshotConsumer.name);
  private consumers: DurableConsumer<EventSubject>[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly snapshots: AlertSnapshotRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const js = this.nc.jetstream();
    const jsm = await this.nc.jetstreamManager();
    const keep = ({ alert }: { alert: AlertSnapshot }) => this.keep(alert);
    this.consumers = [
      new DurableConsumer(js, jsm, { stream: 'ALERTS', durable: 'subscriptions-alert-snapshots-published', subject: eventSubjects.alertPublished, handle: keep, logger: this.logger }),
      new DurableConsumer(js, jsm, { stream: 'ALERTS', durable: 'subscriptions-alert-snapshots-updated', subject: eventSubjects.alertUpdated, handle: keep, logger: this.logger }),
    ];
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }

  private async keep(alert: AlertSnapshot): Promise<ConsumerOutcome> {
    return (await this.snapshots.keepLatest(alert)) ? { kind: 'handled' } : { kind: 'skipped', reason: `version ${alert.version} is not newer than the stored one` };
  }
}
