import { Injectable, Logger } from '@nestjs/common';
import type { EventPayload, eventSubjects, SupporterHistoryView } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { DeliveryRepository } from '../deliveries/delivery.repository';
import { ProgressRepository } from '../progress/progress.repository';

type SupporterErased = EventPayload<typeof eventSubjects.supporterErased>;

/**
 * One supporter's part of the ledger: what their data export shows, and what
 * their erasure pseudonymises. Their records are found by id (derived from
 * relay × supporter × channel) over their organisation's relays, so neither
 * reads the whole ledger.
 */
@Injectable()
export class SupporterLedgerService {
  private readonly logger = new Logger(SupporterLedgerService.name);

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly progress: ProgressRepository,
  ) {}

  async history({ orgId, supporterId }: { orgId: string; supporterId: string }): Promise<SupporterHistoryView> {
    const records = await this.deliveries.ofSupporter(await this.progress.relayIdsOf(orgId), supporterId);
    return {
      deliveries: records.map(({ _id, relayId, alertId, channel, state, attempts, sentAt }) => ({
        deliveryId: _id.toHexString(),
        relayId,
        alertId,
        channel,
        state,
        attempts,
        ...(sentAt ? { sentAt: sentAt.toISOString() } : {}),
      })),
    };
  }

  /** Idempotent: a second time finds nothing left to change. */
  async erase({ orgId, supporterId }: SupporterErased): Promise<ConsumerOutcome> {
    const records = await this.deliveries.pseudonymise(await this.progress.relayIdsOf(orgId), supporterId);
    // Counts only: the erased supporter's id is not logged either.
    this.logger.log({ orgId, records }, 'ledger records of an erased supporter pseudonymised');
    return { kind: 'handled' };
  }
}
