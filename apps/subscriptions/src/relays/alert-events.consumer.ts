import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { ApprovalNotices } from '../accounts/approval-notices';
import { AlertRelaysService } from './alert-relays.service';

/** The alerts.* facts this service acts on, each through its own durable consumer, shared by every replica. */
@Injectable()
export class AlertEventsConsumer {
  constructor(
    private readonly alertRelays: AlertRelaysService,
    private readonly approvalNotices: ApprovalNotices,
  ) {}

  @Consumes({ subject: eventSubjects.alertPublished, durable: 'subscriptions-relays-published' })
  published({ alert }: EventPayload<typeof eventSubjects.alertPublished>): Promise<ConsumerOutcome> {
    return this.alertRelays.open(alert);
  }

  @Consumes({ subject: eventSubjects.alertUpdated, durable: 'subscriptions-relays-updated' })
  updated({ alert }: EventPayload<typeof eventSubjects.alertUpdated>): Promise<ConsumerOutcome> {
    return this.alertRelays.correct(alert);
  }

  @Consumes({ subject: eventSubjects.alertCancelled, durable: 'subscriptions-relays-cancelled' })
  cancelled({ coalitionId, alertId }: EventPayload<typeof eventSubjects.alertCancelled>): Promise<ConsumerOutcome> {
    return this.alertRelays.cancel(coalitionId, alertId);
  }

  @Consumes({ subject: eventSubjects.alertApprovalRequested, durable: 'subscriptions-approval-requests' })
  approvalRequested(event: EventPayload<typeof eventSubjects.alertApprovalRequested>): Promise<ConsumerOutcome> {
    return this.approvalNotices.send(event);
  }
}
