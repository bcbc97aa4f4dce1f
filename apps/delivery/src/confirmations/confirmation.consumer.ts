import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { ConfirmationService } from './confirmation.service';
import { OptInCodeService } from './opt-in-code.service';

@Injectable()
export class ConfirmationConsumer {
  constructor(
    private readonly confirmations: ConfirmationService,
    private readonly codes: OptInCodeService,
  ) {}

  /** On the DELIVERY_JOBS work queue shared by every delivery process. */
  @Consumes({ subject: eventSubjects.confirmationEmail, durable: 'delivery-confirmations' })
  send(request: EventPayload<typeof eventSubjects.confirmationEmail>): Promise<ConsumerOutcome> {
    return this.confirmations.send(request);
  }

  @Consumes({ subject: eventSubjects.optInCode, durable: 'delivery-opt-in-codes' })
  sendCode(request: EventPayload<typeof eventSubjects.optInCode>): Promise<ConsumerOutcome> {
    return this.codes.send(request);
  }
}
