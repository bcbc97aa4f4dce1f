import { Injectable, Logger } from '@nestjs/common';
import { eventSubjects } from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import { RelayRepository } from './relay.repository';
import type { RelayEventKind, RelayRecord } from './relay.schema';

/** A marker younger than this may still be in its first publish; the sweep leaves it alone. */
const FIRST_PUBLISH_GRACE_MS = 2_000;
const SWEEP_BATCH = 100;

/** `relay:<id>:<kind>`: the event id and the JetStream message id, so a republish is dropped as a duplicate. */
export const relayEventId = (relay: RelayRecord, kind: RelayEventKind) => `relay:${relay._id.toHexString()}:${kind}`;

/**
 * Publishes the event a relay owes (its `pendingEvent`) and clears the
 * marker. A failed publish leaves the marker set for the sweep to retry, so
 * a decision is never lost between the database and the stream.
 */
@Injectable()
export class RelayOutbox {
  private readonly logger = new Logger(RelayOutbox.name);

  constructor(
    private readonly relays: RelayRepository,
    private readonly events: EventPublisher,
  ) {}

  async publish(relay: RelayRecord): Promise<void> {
    const kind = relay.pendingEvent;
    if (!kind) return;
    try {
      await this.send(relay, kind);
      await this.relays.clearPendingEvent(relay.orgId, relay._id, kind);
    } catch (error) {
      this.logger.warn(
        { relayId: relay._id.toHexString(), event: kind, err: error instanceof Error ? error.message : String(error) },
        'relay event still owed; the outbox sweep will retry',
      );
    }
  }

  async republishOwed(now: Date): Promise<void> {
    const owed = await this.relays.findOwingEvents(new Date(now.getTime() - FIRST_PUBLISH_GRACE_MS), SWEEP_BATCH);
    for (const relay of owed) await this.publish(relay);
  }

  private async send(relay: RelayRecord, kind: RelayEventKind): Promise<void> {
    const { decidedBy, decidedAt } = relay;
    if (!decidedBy || !decidedAt) throw new Error('relay owes an event but records no decision');
    const eventId = relayEventId(relay, kind);
    const fact = {
      eventId,
      occurredAt: decidedAt.toISOString(),
      relayId: relay._id.toHexString(),
      alertId: relay.alertId,
      alertVersion: relay.alertVersion,
      coalitionId: relay.coalitionId,
      orgId: relay.orgId,
      decidedBy,
    };
    const options = { msgId: eventId };
    switch (kind) {
      case 'approved':
        await this.events.publish(eventSubjects.relayApproved, { ...fact, channels: relay.channels, intro: relay.intro, ctaUrl: relay.ctaUrl }, options);
        return;
      case 'declined':
        await this.events.publish(eventSubjects.relayDeclined, { ...fact, reason: relay.declineReason }, options);
        return;
      case 'cancelled':
        await this.events.publish(eventSubjects.relayCancelled, fact, options);
    }
  }
}
