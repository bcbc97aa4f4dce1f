import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { RelayStateService } from './relay-state.service';

@Injectable()
export class RelayStateConsumer {
  constructor(private readonly relayStates: RelayStateService) {}

  /** One durable shared by every delivery replica. */
  @Consumes({ subject: eventSubjects.relayCancelled, durable: 'delivery-relay-cancelled' })
  cancelled(event: EventPayload<typeof eventSubjects.relayCancelled>): Promise<ConsumerOutcome> {
    return this.relayStates.cancel(event);
  }
}
