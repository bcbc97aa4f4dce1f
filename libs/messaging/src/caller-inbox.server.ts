import { Logger } from '@nestjs/common';
import { ServerNats } from '@nestjs/microservices';
import type { Msg } from 'nats';
import { mayAnswerInto } from '@clarion/contracts';
import { extractContext, inSpan, SpanKind } from '@clarion/observability';

/**
 * Nest's NATS server, handling only requests whose reply subject is the inbox
 * of a service that may call the subject (mayAnswerInto). A steered request
 * (its reply subject a batch's subject, a send-rate key, an ack) is logged
 * and dropped before any guard or handler: its answer would be published in
 * this service's name wherever the caller chose.
 */
export class CallerInboxServer extends ServerNats {
  private readonly refusals = new Logger('CallerInboxServer');

  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    if (natsMsg.reply && !mayAnswerInto(natsMsg.subject, natsMsg.reply)) {
      this.refusals.warn({ subject: natsMsg.subject, reply: natsMsg.reply }, 'request refused: its reply subject is not a caller’s inbox');
      return undefined;
    }
    // The handler, its guard and its logs run in the caller's trace (the request's traceparent header).
    return inSpan(`handle ${natsMsg.subject}`, SpanKind.SERVER, extractContext(natsMsg.headers), () => super.handleMessage(channel, natsMsg));
  }
}
