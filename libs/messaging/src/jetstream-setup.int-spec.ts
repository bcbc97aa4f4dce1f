import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import {
  alertRpc,
  deadLetterSubject,
  deliveryRpc,
  directoryRpc,
  eventContracts,
  eventSubjects,
  progressSubject,
  relayRpc,
  streamFor,
  supporterRpc,
  systemRpc,
} from '@clarion/contracts';
import { startTestInfra, type TestInfra } from '@clarion/testing';
import { ensureStreams } from './jetstream-setup';

/** The stream that stores a subject, as the server itself answers it; undefined when none does. */
async function storedBy(jsm: JetStreamManager, subject: string): Promise<string | undefined> {
  try {
    return await jsm.streams.find(subject);
  } catch (error) {
    if (error instanceof Error && /no stream matches subject/i.test(error.message)) return undefined;
    throw error;
  }
}

/**
 * Every business event must land in a JetStream stream (durable, acked,
 * replayable), never only on core NATS where a publish with no subscriber at
 * that moment is gone. Asked of a real nats-server after the streams are
 * created the way every service creates them at start (`ensureStreams`).
 */
describe('JetStream streams capture every event subject', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    infra = await startTestInfra();
    nc = await connect({ servers: infra.natsUrl });
    jsm = await nc.jetstreamManager();
    await ensureStreams(jsm);
  });
  afterAll(async () => {
    await nc?.close();
    await infra?.stop();
  });

  it('lists the same subjects in eventSubjects and the contract map', () => {
    expect(Object.keys(eventContracts).sort()).toEqual(Object.values(eventSubjects).sort());
  });

  it('stores every event subject, and its dead letters, in a stream', async () => {
    const table: string[] = [];
    for (const subject of Object.values(eventSubjects)) {
      const stream = await storedBy(jsm, subject);
      const deadLetters = await storedBy(jsm, deadLetterSubject(subject));
      table.push(`${subject} → ${stream ?? 'NONE'} (dead letters → ${deadLetters ?? 'NONE'})`);
      expect({ subject, stream }).toEqual({ subject, stream: streamFor(subject)?.name });
      expect(stream).toBeDefined();
      expect({ subject, deadLetters }).toEqual({ subject, deadLetters: 'DEAD_LETTER' });
    }
    process.stdout.write(`[streams] ${Object.values(eventSubjects).length} event subjects:\n  ${table.join('\n  ')}\n`);
  });

  it('captures no request/reply subject and no live-progress subject (a stream would answer requests with its ack)', async () => {
    const backends = ['alerts', 'subscriptions', 'delivery'] as const;
    const rpcSubjects = [
      ...Object.values(alertRpc),
      ...Object.values(directoryRpc),
      ...Object.values(relayRpc),
      ...Object.values(supporterRpc),
      ...Object.values(deliveryRpc),
      ...backends.flatMap((service) => [systemRpc.health(service), systemRpc.ping(service)]),
    ];
    const captured = [];
    for (const subject of [...rpcSubjects, progressSubject('0123456789abcdef01234567')]) {
      const stream = await storedBy(jsm, subject);
      if (stream) captured.push(`${subject} → ${stream}`);
    }
    expect(captured).toEqual([]);
  });
});
