import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { StaffEmailService } from './staff-email.service';

@Injectable()
export class StaffEmailConsumer {
  constructor(private readonly staffEmails: StaffEmailService) {}

  /** On the DELIVERY_JOBS work queue shared by every delivery process. */
  @Consumes({ subject: eventSubjects.staffEmail, durable: 'delivery-staff-emails' })
  send(request: EventPayload<typeof eventSubjects.staffEmail>): Promise<ConsumerOutcome> {
    return this.staffEmails.send(request);
  }
}
