import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { eventSubjects, RESEND_SUPPORTERS_MAX, type deliveryRpc, type ResendFailedView, type ValidRequestOf } from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import { DeliveryRepository, type FailedDelivery } from '../deliveries/delivery.repository';

/**
 * "Resend failed only": the deliveries of an alert whose attempts ran out are
 * asked for again. Delivery keeps no addresses, so it names the supporters,
 * and subscriptions answers with batches marked `resend` (with their consent
 * as it is now); the ledger opens only the failed records of those batches
 * again, so nobody already reached gets the alert twice.
 */
@Injectable()
export class ResendService {
  private readonly logger = new Logger(ResendService.name);

  constructor(
    private readonly ledger: DeliveryRepository,
    private readonly events: EventPublisher,
  ) {}

  async resendFailed({ alertId, orgId }: ValidRequestOf<typeof deliveryRpc.resendFailed>): Promise<ResendFailedView> {
    const failed = await this.ledger.failed(alertId, orgId);
    const byRelay = groupBy(failed, (record) => record.relayId);
    let supporters = 0;
    for (const [relayId, records] of byRelay) {
      const supporterIds = [...new Set(records.map((record) => record.supporterId))];
      supporters += supporterIds.length;
      const requestKey = fingerprint(records);
      for (let start = 0; start < supporterIds.length; start += RESEND_SUPPORTERS_MAX) {
        const eventId = `resend:${relayId}:${requestKey}:${start / RESEND_SUPPORTERS_MAX}`;
        await this.events.publish(
          eventSubjects.resendRequested,
          { eventId, occurredAt: new Date().toISOString(), relayId, alertId, orgId: records[0].orgId, supporterIds: supporterIds.slice(start, start + RESEND_SUPPORTERS_MAX) },
          { msgId: eventId },
        );
      }
    }
    this.logger.log({ alertId, orgId, relays: byRelay.size, deliveries: failed.length, supporters }, 'resend of failed deliveries asked for');
    return { alertId, relays: byRelay.size, deliveries: failed.length, supporters };
  }
}

/**
 * Names a resend by what it resends: a second click before the first resend
 * was tried finds the same records with the same attempts, and so the same
 * event and batch ids, which JetStream refuses; once a resend was tried,
 * the attempts have moved and a new request is a new resend.
 */
function fingerprint(records: FailedDelivery[]): string {
  const hash = createHash('sha256');
  for (const record of records) hash.update(`${record._id.toHexString()}:${record.attempts}\n`);
  return hash.digest('hex').slice(0, 16);
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}
