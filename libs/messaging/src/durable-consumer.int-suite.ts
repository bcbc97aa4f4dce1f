import { randomUUID } from 'node:crypto';
import { JSONCodec, type NatsConnection } from 'nats';
import { eventSubjects, type EventPayload } from '@clarion/contracts';
import { startTestInfra, type TestInfra } from '@clarion/testing';
import { DurableConsumer, type ConsumerOutcome } from './durable-consumer';
import { EventPublisher } from './event-publisher';
import { ensureStreams } from './jetstream-setup';

const quietLogger = { warn: () => undefined, error: () => undefined };
const hex24 = () => randomUUID().replace(/-/g, '').slice(0, 24);

function cancelled(alertId: string): EventPayload<typeof eventSubjects.alertCancelled> {
  return { eventId: `evt-${alertId}`, occurredAt: new Date().toISOString(), alertId, coalitionId: hex24() };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('JetStream through the messaging lib', () => {
  let infra: TestInfra;
  let nc: NatsConnection;

  beforeAll(async () => {
    infra = await startTestInfra();
    nc = await infra.connectHarness();
    await ensureStreams(await nc.jetstreamManager());
  });
  afterAll(async () => {
    await nc?.close();
    await infra?.stop();
  });

  // Each test starts from empty streams, so a new durable consumer sees only that test's messages.
  beforeEach(async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.purge('ALERTS');
    await jsm.streams.purge('DEAD_LETTER');
  });

  async function startConsumer(
    durable: string,
    seen: string[],
    outcome: () => ConsumerOutcome | Promise<ConsumerOutcome> = () => ({ kind: 'handled' }),
    concurrency?: number,
  ) {
    const consumer = new DurableConsumer(nc.jetstream(), await nc.jetstreamManager(), {
      stream: 'ALERTS',
      durable,
      subject: eventSubjects.alertCancelled,
      logger: quietLogger,
      backoffMs: [100],
      maxDeliver: 3,
      concurrency,
      handle: async (payload) => {
        seen.push(payload.alertId);
        return outcome();
      },
    });
    await consumer.start();
    return consumer;
  }

  async function deadLetters(): Promise<{ reason: string; consumer: string }[]> {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info('DEAD_LETTER');
    const found = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage('DEAD_LETTER', { seq }).catch(() => undefined);
      if (m) found.push({ reason: m.header.get('Clarion-Dead-Letter-Reason'), consumer: m.header.get('Clarion-Dead-Letter-Consumer') });
    }
    return found;
  }

  it('keeps events published while the consumer is down and delivers them after it restarts', async () => {
    const publisher = new EventPublisher(nc.jetstream());
    const seen: string[] = [];
    const first = await startConsumer('restart-test', seen);
    const before = hex24();
    await publisher.publish(eventSubjects.alertCancelled, cancelled(before), { msgId: `pub-${before}` });
    await until(() => seen.includes(before));
    await first.stop();

    const whileDown = [hex24(), hex24(), hex24()];
    for (const id of whileDown) await publisher.publish(eventSubjects.alertCancelled, cancelled(id), { msgId: `pub-${id}` });
    // A retried publish with the same message id is dropped by the stream, not stored twice.
    const repeat = await publisher.publish(eventSubjects.alertCancelled, cancelled(whileDown[0]), { msgId: `pub-${whileDown[0]}` });
    expect(repeat.duplicate).toBe(true);

    const second = await startConsumer('restart-test', seen);
    await until(() => whileDown.every((id) => seen.includes(id)));
    await second.stop();
    expect(seen).toEqual([before, ...whileDown]);
  });

  it('dead-letters an invalid message with its reason and goes on with the next', async () => {
    const seen: string[] = [];
    const consumer = await startConsumer('invalid-test', seen);
    const js = nc.jetstream();
    await js.publish(eventSubjects.alertCancelled, JSONCodec().encode({ alertId: 'not-an-id' }), { msgID: 'bad-1' });
    const good = hex24();
    await new EventPublisher(js).publish(eventSubjects.alertCancelled, cancelled(good), { msgId: `pub-${good}` });
    await until(() => seen.includes(good));
    await consumer.stop();
    const letters = (await deadLetters()).filter((l) => l.consumer === 'invalid-test');
    expect(letters).toHaveLength(1);
    expect(letters[0].reason).toMatch(/eventId|alertId/);
  });

  it('dead-letters a message whose handler keeps failing after maxDeliver attempts, not before', async () => {
    const seen: string[] = [];
    const consumer = await startConsumer('retry-test', seen, () => ({ kind: 'retry', reason: 'provider down' }));
    const id = hex24();
    await new EventPublisher(nc.jetstream()).publish(eventSubjects.alertCancelled, cancelled(id), { msgId: `retry-${id}` });
    const deadline = Date.now() + 10_000;
    let letters: { reason: string; consumer: string }[] = [];
    while (Date.now() < deadline) {
      letters = (await deadLetters()).filter((l) => l.consumer === 'retry-test');
      if (letters.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await consumer.stop();
    expect(letters).toHaveLength(1);
    expect(letters[0].reason).toMatch(/gave up after 3 attempts: provider down/);
    expect(seen.filter((s) => s === id)).toHaveLength(3);
  });

  it('handles up to `concurrency` messages at once and waits for them on stop', async () => {
    const seen: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const slowly = async (): Promise<ConsumerOutcome> => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      await new Promise((r) => setTimeout(r, 200));
      running -= 1;
      return { kind: 'handled' };
    };
    const consumer = await startConsumer('concurrency-test', seen, slowly, 2);
    const ids = [hex24(), hex24(), hex24(), hex24()];
    for (const id of ids) await new EventPublisher(nc.jetstream()).publish(eventSubjects.alertCancelled, cancelled(id), { msgId: `conc-${id}` });
    await until(() => seen.length === ids.length);
    await consumer.stop();
    expect(running).toBe(0);
    expect(mostAtOnce).toBe(2);
  });

  it('gives a message whose handler never returns back for another attempt at the deadline, and tells that handler', async () => {
    const attempts: { attempt: number; signal: AbortSignal }[] = [];
    const errors: { msg: string; step?: string }[] = [];
    const consumer = new DurableConsumer(nc.jetstream(), await nc.jetstreamManager(), {
      stream: 'ALERTS',
      durable: 'deadline-test',
      subject: eventSubjects.alertCancelled,
      logger: { warn: () => undefined, error: (obj: { step?: string }, msg) => errors.push({ msg, step: obj.step }) },
      backoffMs: [100],
      maxDeliver: 3,
      // A heartbeat every 250 ms: without the deadline, the stuck first attempt would keep the message for ever.
      ackWaitMs: 1_000,
      handlerDeadlineMs: 1_500,
      handle: async (_payload, _msg, { attempt, signal, step }) => {
        attempts.push({ attempt, signal });
        if (attempt > 1) return { kind: 'handled' };
        step('waiting on a call that never returns');
        return new Promise<ConsumerOutcome>(() => undefined);
      },
    });
    await consumer.start();
    await new EventPublisher(nc.jetstream()).publish(eventSubjects.alertCancelled, cancelled(hex24()), { msgId: `deadline-${hex24()}` });
    await until(() => attempts.length === 2, 20_000);
    // stop() waits for the second attempt's ack, sent on this connection before the question below.
    await consumer.stop();
    const info = await (await nc.jetstreamManager()).consumers.info('ALERTS', 'deadline-test');

    expect(attempts.map(({ attempt, signal }) => ({ attempt, aborted: signal.aborted }))).toEqual([
      { attempt: 1, aborted: true },
      { attempt: 2, aborted: false },
    ]);
    expect(errors).toEqual([{ msg: expect.stringContaining('abandoned'), step: 'waiting on a call that never returns' }]);
    expect(info.num_ack_pending + info.num_pending).toBe(0);
    expect(await deadLetters()).toEqual([]);
  });

  it('holds no message it is not handling: with its handlers busy, the rest wait in the stream, where no ack_wait runs', async () => {
    const seen: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const consumer = await startConsumer('held-test', seen, async () => (await gate, { kind: 'handled' }), 2);
    const ids = [hex24(), hex24(), hex24(), hex24(), hex24()];
    for (const id of ids) await new EventPublisher(nc.jetstream()).publish(eventSubjects.alertCancelled, cancelled(id), { msgId: `held-${id}` });
    await until(() => seen.length === 2);

    const jsm = await nc.jetstreamManager();
    // Once the two handlers are busy no pull is left open; a client that pulled ahead would hold more than two.
    let info = await jsm.consumers.info('ALERTS', 'held-test');
    for (const deadline = Date.now() + 10_000; info.num_waiting > 0 && Date.now() < deadline; info = await jsm.consumers.info('ALERTS', 'held-test')) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect({ waiting: info.num_waiting, handling: info.num_ack_pending, inStream: info.num_pending }).toEqual({ waiting: 0, handling: 2, inStream: 3 });
    expect(seen).toHaveLength(2);

    open();
    await until(() => seen.length === ids.length);
    await consumer.stop();
    expect(new Set(seen)).toEqual(new Set(ids));
  });
});
