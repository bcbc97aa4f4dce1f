import { ErrorCode, JSONCodec, NatsError, headers as natsHeaders, type JetStreamClient } from 'nats';
import { injectContext } from '@clarion/observability';
import { eventContracts, subjectForEvent, type EventPayload, type EventSubject } from '@clarion/contracts';

const codec = JSONCodec();

export interface PublishOptions {
  /** Deterministic id: JetStream drops a second publish with the same id inside the stream's duplicate window. */
  msgId: string;
  correlationId?: string;
  /** Bound on one publish waiting for the server's ack. */
  timeoutMs?: number;
  /**
   * How long a publish is tried again while no stream leader answers (a NATS
   * restart, a cluster electing a new leader). The same message id each
   * time: a try that was stored after all is dropped as a duplicate. 0 (the
   * default) for a publish inside a request, whose caller waits only seconds.
   */
  retryForMs?: number;
}

const RETRY_EVERY_MS = 250;

/** JetStream's answer when a stream keeping one message per subject already holds this one. */
const MAX_MSGS_PER_SUBJECT_EXCEEDED = 10077;

export interface Stored {
  /** The stream already held this event: dropped by its message id, or refused as a second message on its subject. */
  duplicate: boolean;
  /** Where the stream holds the event; unknown when it refused a second message on the event's subject. */
  seq?: number;
}

/**
 * Publishes a validated event and resolves only once JetStream has stored it
 * (the server's ack), so the caller can treat the fact as durable.
 */
export class EventPublisher {
  constructor(private readonly js: JetStreamClient) {}

  async publish<S extends EventSubject>(subject: S, payload: EventPayload<S>, options: PublishOptions): Promise<Stored> {
    const parsed = eventContracts[subject].parse(payload) as EventPayload<S>;
    const h = natsHeaders();
    if (options.correlationId) h.set('X-Correlation-Id', options.correlationId);
    // The work that published the event is the parent of the work consuming it (traceparent).
    injectContext(h);
    const giveUpAt = Date.now() + (options.retryForMs ?? 0);
    for (;;) {
      try {
        const ack = await this.js.publish(subjectForEvent(subject, parsed.eventId), codec.encode(parsed), {
          msgID: options.msgId,
          headers: h,
          timeout: options.timeoutMs ?? 5_000,
        });
        return { duplicate: ack.duplicate, seq: ack.seq };
      } catch (error) {
        if (error instanceof NatsError && error.api_error?.err_code === MAX_MSGS_PER_SUBJECT_EXCEEDED) return { duplicate: true };
        if (!noLeaderAnswered(error) || Date.now() + RETRY_EVERY_MS > giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
      }
    }
  }
}

/** No JetStream leader took the publish: nobody answered, or not in time. A refusal by the stream is final. */
function noLeaderAnswered(error: unknown): boolean {
  return error instanceof NatsError && !error.api_error && (error.code === ErrorCode.NoResponders || error.code === ErrorCode.Timeout);
}
