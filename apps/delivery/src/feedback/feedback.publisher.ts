import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { eventSubjects, type EventPayload, type EventSubject } from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import { errorMessage } from '../common/error-message';

export interface EmailRejection {
  /** Unique per fact: the delivery id, or the confirmation it came from. */
  key: string;
  orgId: string;
  supporterId: string;
  smtpCode: number;
  reason: string;
}

export interface PushSubscriptionGone {
  key: string;
  orgId: string;
  supporterId: string;
  endpoint: string;
  status: number;
}

/**
 * Tells `subscriptions` what providers said about an address, on the
 * DELIVERY_FEEDBACK stream. A publish that fails is logged, not retried: the
 * ledger already holds the outcome (so nothing is sent twice), and the next
 * alert to that address meets the same refusal and reports it again.
 */
@Injectable()
export class FeedbackPublisher {
  private readonly logger = new Logger(FeedbackPublisher.name);

  constructor(private readonly events: EventPublisher) {}

  async emailRejected({ key, orgId, supporterId, smtpCode, reason }: EmailRejection): Promise<void> {
    const eventId = `rejected:${key}`;
    await this.publish(eventSubjects.emailRejected, { eventId, occurredAt: new Date().toISOString(), orgId, supporterId, smtpCode, reason });
  }

  /** A spam complaint a mail provider reported; `key` is the provider's id of the report. */
  async emailComplained({ key, orgId, supporterId, provider }: { key: string; orgId: string; supporterId: string; provider: string }): Promise<void> {
    const eventId = `complained:${key}`;
    await this.publish(eventSubjects.emailComplained, { eventId, occurredAt: new Date().toISOString(), orgId, supporterId, provider });
  }

  async pushGone({ key, orgId, supporterId, endpoint, status }: PushSubscriptionGone): Promise<void> {
    const eventId = `gone:${key}`;
    // The endpoint identifies a person's browser: events carry its hash, which subscriptions can match against its own.
    const endpointHash = createHash('sha256').update(endpoint).digest('hex');
    await this.publish(eventSubjects.pushGone, { eventId, occurredAt: new Date().toISOString(), orgId, supporterId, endpointHash, status });
  }

  private async publish<S extends EventSubject>(subject: S, payload: EventPayload<S> & { eventId: string }): Promise<void> {
    try {
      await this.events.publish(subject, payload, { msgId: payload.eventId });
    } catch (error) {
      this.logger.warn({ subject, eventId: payload.eventId, err: errorMessage(error) }, 'feedback event not published');
    }
  }
}
