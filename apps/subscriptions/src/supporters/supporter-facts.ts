import { Injectable } from '@nestjs/common';
import { eventSubjects, type DeliveryChannel, type SupporterConsentChanged } from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';

/**
 * Tells the bus that a supporter's consent changed (ids only), for the
 * organisation's webhooks (docs/decisions/0029). Told after the consent
 * record is written; the event id is the change's own, so a retried job or
 * request is dropped by JetStream as a repeat.
 */
@Injectable()
export class SupporterFacts {
  constructor(private readonly events: EventPublisher) {}

  async consentChanged(changeId: string, fact: { orgId: string; supporterId: string; channels: DeliveryChannel[]; action: SupporterConsentChanged['action'] }): Promise<void> {
    if (fact.channels.length === 0) return;
    const eventId = `consent:${fact.action}:${changeId}`;
    await this.events.publish(eventSubjects.supporterConsentChanged, { eventId, occurredAt: new Date().toISOString(), ...fact }, { msgId: eventId, retryForMs: 5_000 });
  }
}
