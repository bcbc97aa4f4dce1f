import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { channels, contactKeyHash, type ChannelName, type ContactOf, type StoredContactOf } from '@clarion/channels';
import { eventSubjects, type EventPayload, type EventSubject } from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import type { SendFact, SendOutcome } from '../common/send-outcome';
import { errorMessage } from '../common/error-message';

/** A provider's final verdict on a contact. */
type Refusal = Extract<SendOutcome, { kind: 'suppress' | 'gone' }>;

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

  /**
   * A provider refused a contact for good, on a channel registered after email and push (docs/adding-a-channel.md):
   * subscriptions applies the registry's transition. The contact is named by the hash of its key, never sent.
   */
  async contactRefused<C extends ChannelName>(channel: C, outcome: Refusal, { deliveryId, orgId, supporterId }: SendFact, contact: ContactOf<C>): Promise<void> {
    const stored = (channels[channel].stored as (contact: ContactOf<C>) => StoredContactOf<C>)(contact);
    const code = outcome.kind === 'suppress' ? outcome.code : outcome.status;
    const eventId = `refused:${deliveryId}`;
    await this.publish(eventSubjects.contactRefused, {
      eventId,
      occurredAt: new Date().toISOString(),
      orgId,
      supporterId,
      channel,
      outcome: outcome.kind,
      keyHash: contactKeyHash(channel, stored),
      code,
      reason: outcome.reason,
    });
  }

  private async publish<S extends EventSubject>(subject: S, payload: EventPayload<S> & { eventId: string }): Promise<void> {
    try {
      await this.events.publish(subject, payload, { msgId: payload.eventId });
    } catch (error) {
      this.logger.warn({ subject, eventId: payload.eventId, err: errorMessage(error) }, 'feedback event not published');
    }
  }
}
