import { Controller } from '@nestjs/common';
import { deliveryRpc, FAILURES_LIMIT, type DeliveryFailuresView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { DeliveryRepository } from '../deliveries/delivery.repository';

/**
 * One organisation's failed deliveries of an alert: the supporter's id (never
 * an address: delivery keeps none), the channel, the provider's last answer
 * and when. The gateway asks only for a caller who works for the organisation.
 */
@Controller()
export class FailuresController {
  constructor(private readonly ledger: DeliveryRepository) {}

  @RequestHandler(deliveryRpc.failures)
  async failures({ alertId, orgId }: ValidRequestOf<typeof deliveryRpc.failures>): Promise<DeliveryFailuresView> {
    const records = await this.ledger.failures(alertId, orgId, FAILURES_LIMIT + 1);
    return {
      alertId,
      orgId,
      failures: records.slice(0, FAILURES_LIMIT).map((record) => ({
        deliveryId: record._id.toHexString(),
        supporterId: record.supporterId,
        channel: record.channel,
        reason: record.lastError ?? 'unknown',
        attempts: record.attempts,
        ...(record.failedAt ? { at: record.failedAt.toISOString() } : {}),
      })),
      more: records.length > FAILURES_LIMIT,
    };
  }
}
