import { Injectable, Logger } from '@nestjs/common';
import type { EventPayload, eventSubjects } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { DeliveryRepository } from '../deliveries/delivery.repository';
import { RelayStateRepository } from './relay-state.repository';

type RelayCancelled = EventPayload<typeof eventSubjects.relayCancelled>;

@Injectable()
export class RelayStateService {
  private readonly logger = new Logger(RelayStateService.name);

  constructor(
    private readonly states: RelayStateRepository,
    private readonly ledger: DeliveryRepository,
  ) {}

  /**
   * Recorded first, so a batch that starts after this sees it; then the
   * records already queued are closed. A batch sending right now notices
   * within a second (BatchSender's cancellation check).
   */
  async cancel(event: RelayCancelled): Promise<ConsumerOutcome> {
    const { relayId, orgId, alertId } = event;
    await this.states.markCancelled({ relayId, orgId, alertId }, new Date(event.occurredAt));
    const closed = await this.ledger.cancelRelay(relayId);
    this.logger.log({ relayId, closed }, 'relay cancelled');
    return { kind: 'handled' };
  }
}
