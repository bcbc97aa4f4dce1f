import { JSONCodec, headers as natsHeaders, type JetStreamClient, type PubAck } from 'nats';
import { eventContracts, type EventPayload, type EventSubject } from '@clarion/contracts';

const codec = JSONCodec();

export interface PublishOptions {
  /** Deterministic id: JetStream drops a second publish with the same id inside the stream's duplicate window. */
  msgId: string;
  correlationId?: string;
  timeoutMs?: number;
}

/**
 * Publishes a validated event and resolves only once JetStream has stored it
 * (the server's ack), so the caller can treat the fact as durable.
 */
export class EventPublisher {
  constructor(private readonly js: JetStreamClient) {}

  async publish<S extends EventSubject>(subject: S, payload: EventPayload<S>, options: PublishOptions): Promise<PubAck> {
    const parsed = eventContracts[subject].parse(payload);
    const h = natsHeaders();
    if (options.correlationId) h.set('X-Correlation-Id', options.correlationId);
    return this.js.publish(subject, codec.encode(parsed), {
      msgID: options.msgId,
      headers: h,
      timeout: options.timeoutMs ?? 5_000,
    });
  }
}
