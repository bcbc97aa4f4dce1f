import mongoose from 'mongoose';
import { type JetStreamManager, type NatsConnection, type Subscription } from 'nats';
import { consumerFilterFor, eventSubjects } from '@clarion/contracts';
import { eventually } from '../support/api';
import { deadLettered, expectEveryoneReached, linesInLog, printCounts, publishAlert, reckon, seedAudience, startFaultNetwork, untilSettled, type FaultNetwork } from '../support/fault-network';

const SUPPORTERS = 1_500;
/** Small batches, so the expansion is 15 batches long and the kill lands inside it. */
const BATCH_SIZE = 100;
/** From this batch on, subscriptions is frozen after each stored batch until the freeze falls between a stored batch and its checkpoint. */
const KILL_FROM_BATCH = 5;
/** Long enough for a checkpoint write already sent to land while subscriptions is frozen. */
const SETTLE_MS = 300;
/** 11 attempts over 231 s: well beyond the time subscriptions is away. */
const DELIVERY_RETRY_BACKOFF_MS = '1000,5000,15000,30000,30000,30000,30000,30000,30000,30000';
/** Past the window, so JetStream no longer remembers the ids of the batches stored before the kill. */
const MARGIN_MS = 2_000;
/**
 * The DELIVERY_BATCHES duplicate window for this test: the contracts' two minutes, shortened by the harness (an
 * operator) so the test need not wait them out. What is proven is the same: past the window, only the stream's
 * one-message-per-batch-subject rule refuses a batch published again.
 */
const DUPLICATE_WINDOW_MS = 5_000;

/**
 * kill -9 `subscriptions` while it expands a relay's audience into delivery
 * batches, and start it again only after the DELIVERY_BATCHES stream's
 * duplicate window has passed, so the stream no longer remembers the message
 * ids of the batches stored before the kill. subscriptions is killed at the
 * worst moment: frozen (SIGSTOP) right after JetStream stored a batch, and
 * killed only when its checkpoint does not count that batch yet, so on resume
 * it publishes that batch again. Every publish is watched on core NATS
 * (JetStream's publishes reach plain subscribers too, refused ones included);
 * the stream's sequence counts what it stored. The stream keeps one message
 * per batch subject and must refuse the copy: no batch stored twice, nobody
 * missed or reached twice.
 */
describe('fault: kill -9 subscriptions mid fan-out, restarted after the dedupe window', () => {
  let net: FaultNetwork;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let watch: Subscription;
  const published: { id: string; at: number }[] = [];

  beforeAll(async () => {
    net = await startFaultNetwork({
      env: {
        subscriptions: { FAN_OUT_BATCH_SIZE: String(BATCH_SIZE) },
        // Batches stored before the kill reach delivery while subscriptions is away. A worker that already had the
        // organisation's sender identity sends on with it; one that did not must wait for subscriptions, and is retried. With the default backoff (1 s, 15 s, 60 s, 300 s) the retry after
        // subscriptions is back comes about five minutes after the kill; these delays keep retrying every 30 s instead.
        delivery: { RETRY_BACKOFF_MS: DELIVERY_RETRY_BACKOFF_MS },
      },
    });
    nc = await net.infra.connectHarness();
    jsm = await nc.jetstreamManager();
    const { config } = await jsm.streams.info('DELIVERY_BATCHES');
    await jsm.streams.update('DELIVERY_BATCHES', { ...config, duplicate_window: DUPLICATE_WINDOW_MS * 1_000_000 });
  }, 120_000);

  afterAll(async () => {
    watch?.unsubscribe();
    await nc?.close();
    await net?.stop();
  }, 60_000);

  /** subscriptions' fan-out checkpoint of the organisation's one relay, read from its database. */
  async function checkpoint(orgId: string): Promise<{ batches: number; recipients: number; done: boolean } | undefined> {
    const db = await mongoose.createConnection(net.databaseUrl('subscriptions'), { serverSelectionTimeoutMS: 5_000 }).asPromise();
    try {
      const found = await db.collection('fan_outs').findOne({ orgId });
      return found ? { batches: found.batches, recipients: found.recipients, done: found.done } : undefined;
    } finally {
      await db.close();
    }
  }

  it('resumes after the last checkpointed batch: the uncounted batch published again is refused, nobody missed or reached twice', async () => {
    const audience = await seedAudience(net, SUPPORTERS);
    const subscriptions = net.network.services.subscriptions;
    const expectedBatches = Math.ceil(SUPPORTERS / BATCH_SIZE);
    const { config } = await jsm.streams.info('DELIVERY_BATCHES');
    const windowMs = config.duplicate_window / 1_000_000;

    const storedBefore = (await jsm.streams.info('DELIVERY_BATCHES')).state.last_seq;
    const storedNow = async () => (await jsm.streams.info('DELIVERY_BATCHES')).state.last_seq - storedBefore;
    let paused = false;
    const pid = subscriptions.process.pid!;
    watch = nc.subscribe(consumerFilterFor(eventSubjects.deliveryBatch), {
      callback: (error, msg) => {
        if (error) return;
        published.push({ id: msg.headers?.get('Nats-Msg-Id') ?? '', at: Date.now() });
        // Frozen at once, as close as the test gets to the moment after JetStream stored a batch.
        if (published.length >= KILL_FROM_BATCH && !paused) {
          paused = true;
          process.kill(pid, 'SIGSTOP');
        }
      },
    });

    const alertId = await publishAlert(audience);
    // Freeze subscriptions after a batch is stored; if its checkpoint is behind the stream, kill it there, else let it go on and try at the next batch.
    const killInTheGap = async () => {
      for (let tries = 1; ; tries++) {
        await eventually('subscriptions frozen after a stored batch', async () => (paused ? true : undefined), 60_000);
        // A checkpoint write already on its way to the database lands meanwhile.
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const stored = await storedNow();
        const counted = (await checkpoint(audience.org.id))?.batches ?? 0;
        if (stored > counted) {
          await subscriptions.process.kill();
          return { tries, storedAtKill: stored, checkpointAtKill: counted };
        }
        if (stored >= expectedBatches - 1) throw new Error(`no freeze of ${tries} fell between a stored batch and its checkpoint`);
        paused = false;
        process.kill(pid, 'SIGCONT');
      }
    };
    const { tries, storedAtKill, checkpointAtKill } = await killInTheGap();
    console.log(`subscriptions killed after ${tries} freezes: ${storedAtKill} batches stored, checkpoint at ${checkpointAtKill}`);

    // Restart only once the window has passed since the last batch stored before the kill.
    const lastStoredAt = published[published.length - 1].at;
    await new Promise((r) => setTimeout(r, Math.max(0, lastStoredAt + windowMs + MARGIN_MS - Date.now())));
    const downMs = Date.now() - lastStoredAt;
    await subscriptions.restart();

    await untilSettled(net, alertId, audience, 3 * 60_000);
    const end = await eventually('the fan-out done', async () => ((await checkpoint(audience.org.id))?.done ? checkpoint(audience.org.id) : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 2_000));

    const stored = (await jsm.streams.info('DELIVERY_BATCHES')).state.last_seq - storedBefore;
    const distinct = new Set(published.map((p) => p.id)).size;
    const reckoning = await reckon(net, alertId);
    const dead = await deadLettered(jsm);
    printCounts(`kill -9 of subscriptions after ${tries} freezes, at batch ${storedAtKill} of ${expectedBatches}, ${SUPPORTERS} supporters (${audience.emails} email, ${audience.pushes} push):`, [
      {
        storedAtKill,
        checkpointAtKill,
        duplicateWindowMs: windowMs,
        restartedAfterMs: downMs,
        publishes: published.length,
        distinctBatchIds: distinct,
        batchesStored: stored,
        duplicateBatches: stored - distinct,
        checkpointAtEnd: end?.batches,
        // Passes that sent something: a copy whose deliveries are all closed already sends nothing and logs no pass.
        deliveryPasses: linesInLog(net.network.services.delivery, 'batch pass done'),
        deadLettered: dead,
      },
    ]);
    printCounts('deliveries, ledger against the sinks:', reckoning.map((row) => ({ ...row })));

    expect(downMs).toBeGreaterThan(windowMs);
    // The worst moment: JetStream had stored a batch its checkpoint did not count yet.
    expect(storedAtKill).toBe(checkpointAtKill + 1);
    expect(storedAtKill).toBeLessThan(expectedBatches);
    expect(end).toMatchObject({ done: true, batches: expectedBatches, recipients: SUPPORTERS });
    expect(distinct).toBe(expectedBatches);
    // The batch stored but not counted at the crash was published again on resume, past the window …
    expect(published.length).toBeGreaterThan(distinct);
    // … and refused: every batch stored once.
    expect(stored).toBe(expectedBatches);
    expect(stored - distinct).toBe(0);
    expectEveryoneReached(reckoning, audience);
    expect(dead).toBe(0);
  }, 8 * 60_000);
});
