import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { webhookEventsFrom } from '../webhooks/webhook-events';
import { SupporterLedgerService } from './supporter-ledger.service';

@Injectable()
export class SupporterErasureConsumer {
  constructor(
    private readonly ledger: SupporterLedgerService,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  /** On the DELIVERY_JOBS work queue: one worker pseudonymises each erased supporter's records, then tells the organisation's webhooks. */
  @Consumes({ subject: eventSubjects.supporterErased, durable: 'delivery-supporter-erasures' })
  async erase(erased: EventPayload<typeof eventSubjects.supporterErased>): Promise<ConsumerOutcome> {
    const outcome = await this.ledger.erase(erased);
    if (outcome.kind === 'retry') return outcome;
    // The organisation's supporter.erased webhook (its id only), queued once the ledger forgot the supporter.
    await this.webhooks.dispatch(webhookEventsFrom[eventSubjects.supporterErased](erased));
    return outcome;
  }
}
