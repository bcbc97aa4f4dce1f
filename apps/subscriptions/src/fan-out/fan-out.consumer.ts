import { Injectable } from '@nestjs/common';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { Consumes, type ConsumerOutcome } from '@clarion/messaging';
import { FanOutService } from './fan-out.service';

const ACK_WAIT_MS = 60_000;
/** Relays fanned out at once by one process, so one large organisation does not hold up the others. */
const FAN_OUTS_AT_ONCE = 4;

@Injectable()
export class FanOutConsumer {
  constructor(private readonly fanOuts: FanOutService) {}

  /**
   * Every subscriptions process pulls from the same durable consumer. A fan-out
   * the shutdown's drain deadline cuts short resumes from its checkpoint elsewhere.
   */
  @Consumes({ subject: eventSubjects.relayApproved, durable: 'subscriptions-fan-out', settings: { ackWaitMs: ACK_WAIT_MS, concurrency: FAN_OUTS_AT_ONCE } })
  fanOut(approved: EventPayload<typeof eventSubjects.relayApproved>): Promise<ConsumerOutcome> {
    return this.fanOuts.fanOut(approved);
  }
}
