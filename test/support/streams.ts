import type { JetStreamManager, MsgHdrs } from 'nats';
import { subjectMatches } from '@clarion/contracts';

export interface StoredMessage {
  seq: number;
  subject: string;
  headers?: MsgHdrs;
  data: Uint8Array;
  /** The payload as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * Every message a stream still stores, oldest first, read straight from
 * JetStream: what was really published, not what a service says it did.
 */
/** `subject` may be a pattern with wildcards. */
export async function storedMessages(jsm: JetStreamManager, stream: string, subject?: string): Promise<StoredMessage[]> {
  const { state } = await jsm.streams.info(stream);
  const found: StoredMessage[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    // A gap (a deleted or acknowledged work-queue message) is not an error.
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (!message || (subject && !subjectMatches(subject, message.subject))) continue;
    let json: unknown;
    try {
      json = message.json();
    } catch {
      json = undefined;
    }
    found.push({ seq, subject: message.subject, headers: message.header, data: message.data, json });
  }
  return found;
}

/** How many messages a stream has ever stored (its last sequence): work-queue streams delete what was acknowledged, the count stays. */
export async function storedSoFar(jsm: JetStreamManager, stream: string): Promise<number> {
  return (await jsm.streams.info(stream)).state.last_seq;
}
