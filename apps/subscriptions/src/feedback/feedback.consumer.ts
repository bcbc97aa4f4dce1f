import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { FeedbackService } from './feedback.service';

/** What delivery learnt from providers (DELIVERY_FEEDBACK), one durable consumer per fact. */
@Injectable()
export class FeedbackConsumer {
  constructor(private readonly feedback: FeedbackService) {}

  @Consumes({ subject: eventSubjects.pushGone, durable: 'subscriptions-feedback-push-gone' })
  pushGone(gone: EventPayload<typeof eventSubjects.pushGone>): Promise<ConsumerOutcome> {
    return this.feedback.pushGone(gone);
  }

  @Consumes({ subject: eventSubjects.emailRejected, durable: 'subscriptions-feedback-email-rejected' })
  emailRejected(rejected: EventPayload<typeof eventSubjects.emailRejected>): Promise<ConsumerOutcome> {
    return this.feedback.emailRejected(rejected);
  }

  @Consumes({ subject: eventSubjects.emailComplained, durable: 'subscriptions-feedback-email-complained' })
  emailComplained(complaint: EventPayload<typeof eventSubjects.emailComplained>): Promise<ConsumerOutcome> {
    return this.feedback.emailComplained(complaint);
  }
}
