import { Inject, Injectable } from '@nestjs/common';
import { JSONCodec, NatsError, type JetStreamManager, type MsgRequest, type NatsConnection, type StoredMsg } from 'nats';
import { deliveryBatchV1, eventSubjects, messageErasers, streamFor } from '@clarion/contracts';
import { EventPublisher, NATS_CONNECTION } from '@clarion/messaging';

/** Who is being erased, and the strings of their contacts the bus may hold (each channel's `identifiers`: an address, an endpoint). */
export interface ErasedContact {
  supporterId: string;
  identifiers: string[];
}

export interface BusErasureResult {
  batchesRedacted: number;
  messagesErased: number;
}

/** JetStream's answer when no message is stored at or after the sequence asked for. */
const NO_MESSAGE_FOUND = 10037;

const BATCHES = streamFor(`${eventSubjects.deliveryBatch}.x`)!.name;
const codec = JSONCodec();

/**
 * Takes an erased supporter off the bus (docs/decisions/0024). Delivery
 * batches keep every recipient's address and push subscription for a week:
 * each batch that names the supporter is erased (its bytes overwritten, not
 * only unlinked) and published again, on its own subject, without them — so
 * nobody else in it loses their delivery, and a fan-out resumed later still
 * finds the subject taken. Jobs, feedback and dead letters that carry the
 * address or the endpoint are erased. The rights this takes are the table's
 * `messageErasers`: read and erase single messages, nothing else.
 */
@Injectable()
export class BusErasure {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly events: EventPublisher,
  ) {}

  async erase(contact: ErasedContact): Promise<BusErasureResult> {
    const jsm = await this.nc.jetstreamManager();
    const batchesRedacted = await this.redactBatches(jsm, contact);
    const needles = contact.identifiers.filter(Boolean);
    let messagesErased = 0;
    for (const { stream } of messageErasers.filter((eraser) => eraser.stream !== BATCHES)) {
      messagesErased += await this.eraseNaming(jsm, stream, needles);
    }
    return { batchesRedacted, messagesErased };
  }

  /**
   * A batch's subject ends in `<prefix>:from:<first supporterId>`, and a
   * batch holds its recipients in id order (fan-out and resend both stream
   * supporters by _id): per prefix, only the last batch starting at or before
   * the supporter can name them. Each of those is read and checked.
   */
  private async redactBatches(jsm: JetStreamManager, { supporterId }: ErasedContact): Promise<number> {
    const subjectPrefix = `${eventSubjects.deliveryBatch}.`;
    const info = await jsm.streams.info(BATCHES, { subjects_filter: `${subjectPrefix}>` });
    const candidates = new Map<string, { subject: string; first: string }>();
    for (const subject of Object.keys(info.state.subjects ?? {})) {
      const eventId = subject.slice(subjectPrefix.length);
      const at = eventId.lastIndexOf(':from:');
      // An id of another shape: read it rather than guess.
      if (at < 0) candidates.set(subject, { subject, first: '' });
      else {
        const prefix = eventId.slice(0, at);
        const first = eventId.slice(at + ':from:'.length);
        const known = candidates.get(prefix);
        if (first <= supporterId && (!known || known.first < first)) candidates.set(prefix, { subject, first });
      }
    }
    let redacted = 0;
    for (const { subject } of candidates.values()) {
      const stored = await lastOn(jsm, BATCHES, subject);
      if (!stored) continue;
      const parsed = deliveryBatchV1.safeParse(codec.decode(stored.data));
      if (!parsed.success || !parsed.data.recipients.some((recipient) => recipient.supporterId === supporterId)) continue;
      const batch = parsed.data;
      await jsm.streams.deleteMessage(BATCHES, stored.seq, true);
      const others = batch.recipients.filter((recipient) => recipient.supporterId !== supporterId);
      // Delivery sends only what its ledger has not: a batch it already sent sends nothing again.
      if (others.length > 0) {
        await this.events.publish(eventSubjects.deliveryBatch, { ...batch, recipients: others }, { msgId: `${batch.eventId}:without:${supporterId}` });
      }
      redacted++;
    }
    return redacted;
  }

  /** Every message of `stream` whose stored bytes contain one of `needles`, erased; returns how many. */
  private async eraseNaming(jsm: JetStreamManager, stream: string, needles: string[]): Promise<number> {
    if (needles.length === 0) return 0;
    let erased = 0;
    for (let seq = 1; ; ) {
      const stored = await nextFrom(jsm, stream, seq);
      if (!stored) return erased;
      const text = new TextDecoder().decode(stored.data);
      if (needles.some((needle) => text.includes(needle))) {
        await jsm.streams.deleteMessage(stream, stored.seq, true);
        erased++;
      }
      seq = stored.seq + 1;
    }
  }
}

async function lastOn(jsm: JetStreamManager, stream: string, subject: string): Promise<StoredMsg | undefined> {
  return orNone(() => jsm.streams.getMessage(stream, { last_by_subj: subject }));
}

/** The first message at or after `seq` (the server's `next_by_subj`, which this client's types leave out): no walk over gaps. */
async function nextFrom(jsm: JetStreamManager, stream: string, seq: number): Promise<StoredMsg | undefined> {
  return orNone(() => jsm.streams.getMessage(stream, { seq, next_by_subj: '>' } as unknown as MsgRequest));
}

async function orNone(get: () => Promise<StoredMsg>): Promise<StoredMsg | undefined> {
  try {
    return await get();
  } catch (error) {
    if (error instanceof NatsError && error.api_error?.err_code === NO_MESSAGE_FOUND) return undefined;
    throw error;
  }
}
