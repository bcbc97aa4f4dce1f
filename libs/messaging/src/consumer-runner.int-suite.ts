import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NatsConnection } from 'nats';
import { eventSubjects, streamFor, type EventPayload } from '@clarion/contracts';
import { startTestInfra, type TestInfra } from '@clarion/testing';
import { Consumes } from './consumes.decorator';
import type { ConsumerOutcome } from './durable-consumer';
import { EventPublisher } from './event-publisher';
import { NatsModule, type NatsModuleOptions } from './nats.module';

const SUBJECT = eventSubjects.alertCancelled;
/** One of delivery's consumers in the contracts' table, so delivery's NATS identity may make it. */
const DURABLE = 'delivery-webhooks-alert-cancelled';
const CONNECTION_NAME = 'clarion-declared-consumer-test';
const hex24 = () => randomUUID().replace(/-/g, '').slice(0, 24);

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the test's handler saw, and a gate that holds a message in the handler until the test opens it. */
class Probe {
  readonly seen: string[] = [];
  private gate?: Promise<void>;
  private open?: () => void;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
  }

  async handle(alertId: string): Promise<ConsumerOutcome> {
    this.seen.push(alertId);
    await this.gate;
    return { kind: 'handled' };
  }
}

const PROBE = Symbol('PROBE');

@Injectable()
class Cancellations {
  constructor(@Inject(PROBE) private readonly probe: Probe) {}

  @Consumes({ subject: SUBJECT, durable: DURABLE, settings: { ackWaitMs: 2_000 } })
  cancelled({ alertId }: EventPayload<typeof SUBJECT>): Promise<ConsumerOutcome> {
    return this.probe.handle(alertId);
  }
}

@Module({})
class DeclaredConsumerApp {
  static with(infra: TestInfra, probe: Probe, consumers: NatsModuleOptions['consumers']): DynamicModule {
    return {
      module: DeclaredConsumerApp,
      imports: [NatsModule.forRoot({ bus: infra.busSettings('delivery'), name: CONNECTION_NAME, consumers })],
      providers: [{ provide: PROBE, useValue: probe }, Cancellations],
    };
  }
}

describe('a consumer declared with @Consumes, in a Nest application against a real nats-server', () => {
  const stream = streamFor(SUBJECT)!.name;
  let infra: TestInfra;
  let harness: NatsConnection;
  let publisher: EventPublisher;

  beforeAll(async () => {
    infra = await startTestInfra();
    harness = await infra.connectHarness();
    await infra.provisionStreams();
    publisher = new EventPublisher(harness.jetstream());
  });
  afterAll(async () => {
    await harness?.close();
    await infra?.stop();
  });

  // Each test starts with no consumer and an empty stream.
  beforeEach(async () => {
    const jsm = await harness.jetstreamManager();
    await jsm.consumers.delete(stream, DURABLE).catch(() => undefined);
    await jsm.streams.purge(stream);
  });

  /** The application built (its NATS connection open), not yet initialised. */
  async function build(probe: Probe, consumers: NatsModuleOptions['consumers'] = {}): Promise<INestApplicationContext> {
    const app = await Test.createTestingModule({ imports: [DeclaredConsumerApp.with(infra, probe, consumers)] }).compile();
    app.useLogger(false);
    return app;
  }

  async function publishCancelled(): Promise<{ alertId: string; seq: number }> {
    const alertId = hex24();
    const stored = await publisher.publish(SUBJECT, { eventId: `evt-${alertId}`, occurredAt: new Date().toISOString(), alertId, coalitionId: hex24() }, { msgId: `evt-${alertId}` });
    return { alertId, seq: stored.seq! };
  }

  /** The application's pull subscriptions, as the server sees them (its JetStream API inbox, a wildcard, left out). */
  async function pullSubscriptions(): Promise<number> {
    const res = await fetch(`${infra.natsMonitorUrl}/connz?subs=1`, { signal: AbortSignal.timeout(5_000) });
    const { connections } = (await res.json()) as { connections: { name?: string; subscriptions_list?: string[] }[] };
    const subjects = connections.find((c) => c.name === CONNECTION_NAME)?.subscriptions_list ?? [];
    return subjects.filter((subject) => !subject.endsWith('.*')).length;
  }

  const consumerInfo = async () => (await harness.jetstreamManager()).consumers.info(stream, DURABLE);

  it('is started once the application has bootstrapped, and reads the stream its subject is stored in', async () => {
    const probe = new Probe();
    const app = await build(probe);
    try {
      await expect(consumerInfo()).rejects.toThrow(/consumer not found/);
      await app.init();
      expect((await consumerInfo()).config.filter_subject).toBe(SUBJECT);
      const { alertId } = await publishCancelled();
      await until('the handler given the event', () => probe.seen.includes(alertId));
      expect(stream).toBe('ALERTS');
    } finally {
      await app.close();
    }
  });

  it('on close stops fetching, and lets the message in hand finish and ack', async () => {
    const probe = new Probe();
    const app = await build(probe);
    await app.init();
    // Idle, it waits on a pull.
    await until('a pull waiting', async () => (await pullSubscriptions()) === 1);
    probe.hold();
    const inHand = await publishCancelled();
    await until('the message in the handler', () => probe.seen.includes(inHand.alertId));

    // Its one handler busy, it asks for nothing more: no message waits in the application while its ack_wait runs out.
    await until('no pull while the handler is busy', async () => (await pullSubscriptions()) === 0);
    const closed = app.close();
    const afterClose = await publishCancelled();
    probe.release();
    await closed;

    const info = await consumerInfo();
    expect(probe.seen).toEqual([inHand.alertId]);
    // Acked: nothing waits for an ack, nothing was delivered twice, and the ack floor is the message in hand.
    expect({ ackPending: info.num_ack_pending, redelivered: info.num_redelivered, ackFloor: info.ack_floor.stream_seq }).toEqual({
      ackPending: 0,
      redelivered: 0,
      ackFloor: inHand.seq,
    });
    // Never fetched: the message published during the close waits in the stream for the next start.
    expect({ delivered: info.delivered.stream_seq, pending: info.num_pending }).toEqual({ delivered: inHand.seq, pending: 1 });

    const next = await build(probe);
    await next.init();
    try {
      await until('the next start given the waiting message', () => probe.seen.includes(afterClose.alertId));
      expect(probe.seen).toEqual([inHand.alertId, afterClose.alertId]);
    } finally {
      await next.close();
    }
  });

  it('stops waiting for a message in hand at the drain deadline, leaving it to be redelivered', async () => {
    const stuck = new Probe();
    stuck.hold();
    const app = await build(stuck, { drainTimeoutMs: 1 });
    await app.init();
    const inHand = await publishCancelled();
    await until('the message in the handler', () => stuck.seen.includes(inHand.alertId));

    // Resolves although the handler is still running: the drain is bounded.
    await app.close();
    expect((await consumerInfo()).num_ack_pending).toBe(1);

    // The next start gets it once its ack_wait passes, while the first handler is still stuck.
    const probe = new Probe();
    const next = await build(probe);
    await next.init();
    try {
      await until('the message redelivered', () => probe.seen.includes(inHand.alertId));
    } finally {
      await next.close();
      stuck.release();
    }
    expect((await consumerInfo()).num_ack_pending).toBe(0);
  });
});
