import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { AlertSnapshotRepository } from './alert-snapshot.repository';

@Injectable()
export class AlertSnapshotConsumer {
  constructor(private readonly snapshots: AlertSnapshotRepository) {}

  /** Keeps the newest snapshot of every published alert, from `published` and its corrections (`updated`). */
  @Consumes(
    { subject: eventSubjects.alertPublished, durable: 'subscriptions-alert-snapshots-published' },
    { subject: eventSubjects.alertUpdated, durable: 'subscriptions-alert-snapshots-updated' },
  )
  async keep({ alert }: EventPayload<typeof eventSubjects.alertPublished | typeof eventSubjects.alertUpdated>): Promise<ConsumerOutcome> {
    return (await this.snapshots.keepLatest(alert)) ? { kind: 'handled' } : { kind: 'skipped', reason: `version ${alert.version} is not newer than the stored one` };
  }
}
