import { JSONCodec, NatsError, headers as natsHeaders, type JetStreamClient } from 'nats';
import { eventContracts, subjectForEvent, type EventPayload, type EventSubject } from '@clarion/contracts';

const codec = JSONCodec();

export interface PublishOptions {
  /** Deterministic id: JetStream drops a second publish with the same id inside the stream's duplicate window. */
  msgId: string;
  correlationId?: string;
  timeoutMs?: number;
}

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
    try {
      const ack = await this.js.publish(subjectForEvent(subject, parsed.eventId), codec.encode(parsed), {
        msgID: options.msgId,
        headers: h,
        timeout: options.timeoutMs ?? 5_000,
      });
      return { duplicate: ack.duplicate, seq: ack.seq };
    } catch (error) {
      if (error instanceof NatsError && error.api_error?.err_code === MAX_MSGS_PER_SUBJECT_EXCEEDED) return { duplicate: true };
      throw error;
    }
  }
}
