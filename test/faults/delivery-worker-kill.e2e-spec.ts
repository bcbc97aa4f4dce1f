import { type NatsConnection } from 'nats';
import { eventually } from '../support/api';
import {
  addDeliveryWorker,
  deadLettered,
  expectEveryoneReached,
  printCounts,
  publishAlert,
  reckon,
  received,
  seedAudience,
  startFaultNetwork,
  untilSettled,
  type FaultNetwork,
} from '../support/fault-network';

const SUPPORTERS = 2_000;
const BATCH_SIZE = 125;
const BATCH_CONCURRENCY = 2;
/** Email and push: a recipient of a batch is at most two deliveries. */
const CHANNELS = 2;
/** The victim is killed once its own SMTP sink has taken this many emails: a few batches in (about 88 emails each), in the middle of one. */
const KILL_AT_EMAILS = 250;
/**
 * How long the killed worker's batches wait before the other worker gets them: delivery's
 * BATCH_ACK_WAIT_MS, two minutes by default, shortened so the test need not wait them out. Not
 * shorter: a live worker extends the wait every quarter of it, and on a loaded machine a late
 * extension (10 s tried) lets a batch still being sent go to the other worker too.
 */
const BATCH_ACK_WAIT_MS = 30_000;
/** What one worker can hold unsettled: the batches it works on at once, each fully sent but not yet written to the ledger. */
const IN_FLIGHT_BOUND = BATCH_CONCURRENCY * BATCH_SIZE * CHANNELS;

/**
 * kill -9 one of two delivery workers while a 2,000-supporter relay (email
 * and push) is being delivered, in the middle of sending a batch, then start
 * it again. JetStream hands the batches it held to a worker once their ack
 * wait runs out; the ledger sends only what is still open.
 * Nobody may be missed; the only duplicates allowed are deliveries the
 * killed worker had sent but not yet recorded as sent. The second worker
 * sends email to an SMTP sink of its own, so the kill can be timed to the
 * moment it is sending.
 */
describe('fault: kill -9 a delivery worker mid fan-out', () => {
  let net: FaultNetwork;
  let nc: NatsConnection;

  beforeAll(async () => {
    net = await startFaultNetwork({
      env: {
        subscriptions: { FAN_OUT_BATCH_SIZE: String(BATCH_SIZE) },
        delivery: { BATCH_CONCURRENCY: String(BATCH_CONCURRENCY), BATCH_ACK_WAIT_MS: String(BATCH_ACK_WAIT_MS) },
      },
    });
    nc = await net.infra.connectHarness();
  }, 120_000);

  let victim: Awaited<ReturnType<typeof addDeliveryWorker>>;

  afterAll(async () => {
    await nc?.close();
    await net?.stop();
  }, 60_000);

  it('misses nobody, and sends twice at most what the killed worker had in flight', async () => {
    const audience = await seedAudience(net, SUPPORTERS);
    const expected = audience.emails + audience.pushes;
    // The second worker, with an SMTP sink of its own: its emails show when it is sending.
    victim = await addDeliveryWorker(net);

    const alertId = await publishAlert(audience);
    await eventually('the second worker sending', async () => (victim.smtp.count >= KILL_AT_EMAILS ? true : undefined), 120_000);
    await victim.worker.process.kill();
    const victimEmailsAtKill = victim.smtp.count;
    const receivedAtKill = net.smtp.count + victim.smtp.count + net.push.count;
    // Deliveries claimed but not yet recorded as sent or failed, by both workers: the victim's stay open until JetStream redelivers its batches.
    const openAtKill = await net.ledger.openCount(alertId);
    const consumer = await (await nc.jetstreamManager()).consumers.info('DELIVERY_BATCHES', 'delivery-batches');

    await victim.worker.restart();
    await untilSettled(net, alertId, audience, 5 * 60_000);
    // Anything sent twice after the ledger closed would arrive within moments; give it that.
    await new Promise((r) => setTimeout(r, 2_000));

    const reckoning = await reckon(net, alertId);
    const duplicates = reckoning.reduce((sum, row) => sum + row.duplicates, 0);
    const dead = await deadLettered(await nc.jetstreamManager());
    printCounts(`kill -9 of one of two delivery workers, ${SUPPORTERS} supporters (${audience.emails} email, ${audience.pushes} push):`, [
      ...reckoning.map((row) => ({ ...row })),
    ]);
    printCounts('when the worker was killed:', [
      {
        victimEmails: victimEmailsAtKill,
        receivedBefore: receivedAtKill,
        of: expected,
        openInLedger: openAtKill,
        batchesUnacked: consumer.num_ack_pending,
        inFlightBound: `${BATCH_CONCURRENCY}×${BATCH_SIZE}×${CHANNELS}=${IN_FLIGHT_BOUND}`,
        duplicates,
        deadLettered: dead,
      },
    ]);

    expect(receivedAtKill).toBeLessThan(expected);
    expectEveryoneReached(reckoning, audience, { copiesAllowed: true });
    expect(received(net).email.size + received(net).push.size).toBe(expected);
    expect(duplicates).toBeLessThanOrEqual(openAtKill);
    expect(duplicates).toBeLessThanOrEqual(IN_FLIGHT_BOUND);
    expect(dead).toBe(0);
  }, 10 * 60_000);
});
