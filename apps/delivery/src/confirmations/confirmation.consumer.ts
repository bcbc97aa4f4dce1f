import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { ConfirmationService } from './confirmation.service';

@Injectable()
export class ConfirmationConsumer {
  constructor(private readonly confirmations: ConfirmationService) {}

  /** On the DELIVERY_JOBS work queue shared by every delivery process. */
  @Consumes({ subject: eventSubjects.confirmationEmail, durable: 'delivery-confirmations' })
  send(request: EventPayload<typeof eventSubjects.confirmationEmail>): Promise<ConsumerOutcome> {
    return this.confirmations.send(request);
  }
}
