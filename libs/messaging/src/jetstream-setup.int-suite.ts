import { type JetStreamManager, type NatsConnection } from 'nats';
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
  subjectForEvent,
  supporterRpc,
  systemRpc,
  type DeliveryBatch,
} from '@clarion/contracts';
import { startTestInfra, type TestInfra } from '@clarion/testing';
import { EventPublisher } from './event-publisher';
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
    nc = await infra.connectHarness();
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
    for (const eventSubject of Object.values(eventSubjects)) {
      const subject = subjectForEvent(eventSubject, 'event-1');
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

  it('stores a delivery batch once, however late the same batch is published again', async () => {
    const publisher = new EventPublisher(nc.jetstream());
    const relayId = '0123456789abcdef01234567';
    const supporterId = '89abcdef0123456789abcdef';
    const batch: DeliveryBatch = {
      eventId: `relay:${relayId}:from:${supporterId}`,
      occurredAt: new Date().toISOString(),
      relay: {
        relayId,
        alertId: '0123456789abcdef01234568',
        alertVersion: 1,
        coalitionId: '0123456789abcdef01234569',
        orgId: '0123456789abcdef0123456a',
        org: { name: 'Amnesty Test', slug: 'amnesty-test', senderName: 'Amnesty Test', colour: '#ffcc00' },
        primaryLanguage: 'en',
        texts: { en: { title: 'Stand with us', body: 'Now.', bodyHtml: '<p>Now.</p>', ctaLabel: 'Act' } },
        ctaUrl: 'https://example.org/act',
        urgency: 'high',
        channels: ['email'],
      },
      recipients: [{ supporterId, language: 'en', contacts: { email: 'ada@example.org' } }],
    };
    const first = await publisher.publish(eventSubjects.deliveryBatch, batch, { msgId: batch.eventId });
    // A new message id stands for a publish after the duplicate window: only the one-message-per-subject limit can refuse it.
    const late = await publisher.publish(eventSubjects.deliveryBatch, batch, { msgId: `${batch.eventId}:after-the-window` });
    const { state } = await jsm.streams.info('DELIVERY_BATCHES', { subjects_filter: subjectForEvent(eventSubjects.deliveryBatch, batch.eventId) });
    expect(first).toMatchObject({ duplicate: false });
    expect(late).toEqual({ duplicate: true });
    expect(state.subjects).toEqual({ [subjectForEvent(eventSubjects.deliveryBatch, batch.eventId)]: 1 });
  });
});
