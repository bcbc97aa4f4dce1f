import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { JoinService } from './join.service';

@Injectable()
export class JoinConsumer {
  constructor(private readonly joining: JoinService) {}

  /**
   * The joins answered on the request path, worked on here. One at a time per
   * process, so two joins of one address never race for its confirmation window.
   */
  @Consumes({ subject: eventSubjects.joinRequested, durable: 'subscriptions-joins' })
  join(job: EventPayload<typeof eventSubjects.joinRequested>): Promise<ConsumerOutcome> {
    return this.joining.handleJoin(job);
  }
}
