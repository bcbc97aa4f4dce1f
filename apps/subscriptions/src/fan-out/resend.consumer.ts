import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { FanOutService } from './fan-out.service';

@Injectable()
export class ResendConsumer {
  constructor(private readonly fanOuts: FanOutService) {}

  /** Every subscriptions process pulls from the same durable consumer. */
  @Consumes({ subject: eventSubjects.resendRequested, durable: 'subscriptions-resends' })
  resend(request: EventPayload<typeof eventSubjects.resendRequested>): Promise<ConsumerOutcome> {
    return this.fanOuts.resend(request);
  }
}
