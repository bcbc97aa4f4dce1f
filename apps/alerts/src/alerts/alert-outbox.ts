import { Injectable, Logger } from '@nestjs/common';
import { EventPublisher } from '@clarion/messaging';
import { AlertRepository } from './alert.repository';
import type { AlertRecord } from './alert.schema';

/** How many alerts with leftover events one sweep retries. */
const SWEEP_BATCH = 100;

/**
 * The outbox without transactions: a lifecycle step stores its events in the
 * alert document with the state change (see AlertRepository.applyChange);
 * this class puts them on JetStream and removes each once stored there.
 * Whatever a crash or a NATS outage leaves behind, the next sweep sends; a
 * repeat inside JetStream's duplicate window is dropped by its message id.
 */
@Injectable()
export class AlertOutbox {
  private readonly logger = new Logger(AlertOutbox.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * Sends the alert's pending events in order; true when all went out. Never
   * throws: the change itself is stored, and what is left goes in a later sweep.
   */
  async deliver(alert: Pick<AlertRecord, '_id' | 'pendingEvents'>): Promise<boolean> {
    for (const event of alert.pendingEvents) {
      const eventId = event.payload.eventId;
      try {
        await this.publisher.publish(event.subject, event.payload, { msgId: eventId });
        await this.alerts.dropDeliveredEvent(alert._id, eventId);
        // One line per lifecycle event: where an alert's trace (traceId) enters the bus.
        this.logger.log({ eventId, subject: event.subject }, 'event published');
      } catch (error) {
        // Stop here so later events of this alert never overtake this one.
        this.logger.warn({ eventId, err: error instanceof Error ? error.message : String(error) }, 'event left in the outbox for the next sweep');
        return false;
      }
    }
    return true;
  }

  async deliverLeftovers(): Promise<void> {
    for (const alert of await this.alerts.withPendingEvents(SWEEP_BATCH)) {
      // One failure most likely means NATS is unreachable: waiting out a publish timeout per alert would only delay the next sweep.
      if (!(await this.deliver(alert))) return;
    }
  }
}
