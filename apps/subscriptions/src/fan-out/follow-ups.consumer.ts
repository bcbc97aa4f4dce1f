import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome, type ConsumerSettings } from '@clarion/messaging';
import { FollowUpsService } from './follow-ups.service';

/** A follow-up waits for its relays' original fan-outs: up to about 17 minutes before it is dead-lettered. */
const WAITING_FOR_FAN_OUTS: ConsumerSettings = { backoffMs: [1_000, 5_000, 30_000, 60_000], maxDeliver: 20, ackWaitMs: 60_000 };

/** alerts.updated and alerts.cancelled, as updates and retractions to supporters already reached. */
@Injectable()
export class FollowUpsConsumer {
  constructor(private readonly followUps: FollowUpsService) {}

  @Consumes({ subject: eventSubjects.alertUpdated, durable: 'subscriptions-follow-ups-updated', settings: WAITING_FOR_FAN_OUTS })
  corrected({ alert }: EventPayload<typeof eventSubjects.alertUpdated>): Promise<ConsumerOutcome> {
    return this.followUps.corrected(alert);
  }

  @Consumes({ subject: eventSubjects.alertCancelled, durable: 'subscriptions-follow-ups-cancelled', settings: WAITING_FOR_FAN_OUTS })
  cancelled(event: EventPayload<typeof eventSubjects.alertCancelled>): Promise<ConsumerOutcome> {
    return this.followUps.cancelled(event);
  }
}
