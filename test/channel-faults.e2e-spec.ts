import mongoose, { type Connection } from 'mongoose';
import { JSONCodec, type JetStreamManager, type NatsConnection, type Subscription } from 'nats';
import { consumerFilterFor, eventSubjects, type DeliveryBatch } from '@clarion/contracts';
import { DELIVERY_ID_HEADER, PushService, SmtpSink, type PushFault, type RecipientFault } from '@clarion/sinks';
import { startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { alertInput, createCoalition, createOrg, joinAndFind, subscribe, type Coalition, type Org } from './support/directory-fixture';
import { openProgressStream, type ProgressStream, type ProgressTotals } from './support/progress-stream';
import { storedMessages } from './support/streams';

/** The delivery consumer's bound (apps/delivery/src/batches/batch.consumer.ts): attempts per batch before it is dead-lettered. */
const MAX_DELIVER = 5;
/** Small batches, so faults land in several batches and clean batches finish beside the retried ones. */
const BATCH_SIZE = 8;
/** Shorter than the consumer's ack wait (120 s), so a hung push is cut and retried within the pass. */
const PUSH_TIMEOUT_MS = 2_000;
const RETRY_AFTER_S = 4;

type Channel = 'email' | 'push';
type Outcome = 'sent' | 'suppressed' | 'expired';

/** A scripted fault: what the sink answers on the nth attempt (1-based) for one recipient; undefined accepts. */
interface Profile<F> {
  name: string;
  channel: Channel;
  outcome: Outcome;
  /** Requests the sink sees for this recipient in all: one more than the faults when it ends sent. */
  tries: number;
  /**
   * A dropped connection (a reset, a 421) that was a reused pooled one, before any byte of the message went:
   * nodemailer's pool itself sends the message again on a fresh connection, within the same pass.
   */
  poolMayResend?: true;
  fault: (attempt: number) => F | undefined;
}

const once =
  <F>(fault: F) =>
  (attempt: number) =>
    attempt === 1 ? fault : undefined;
const always =
  <F>(fault: F) =>
  () =>
    fault;
const never = () => undefined;

const emailProfiles: Profile<RecipientFault>[] = [
  { name: 'email ok', channel: 'email', outcome: 'sent', tries: 1, fault: never },
  { name: 'email reset once', channel: 'email', outcome: 'sent', tries: 2, poolMayResend: true, fault: once<RecipientFault>('reset') },
  { name: 'email 421 once', channel: 'email', outcome: 'sent', tries: 2, poolMayResend: true, fault: once({ code: 421, message: 'Too busy, closing' }) },
  { name: 'email 450 once', channel: 'email', outcome: 'sent', tries: 2, fault: once({ code: 450, message: 'Greylisted, try later' }) },
  { name: 'email 550', channel: 'email', outcome: 'suppressed', tries: 1, fault: always({ code: 550, message: 'No such user here' }) },
];
const pushProfiles: Profile<PushFault>[] = [
  { name: 'push ok', channel: 'push', outcome: 'sent', tries: 1, fault: never },
  { name: 'push 404', channel: 'push', outcome: 'expired', tries: 1, fault: always({ status: 404 }) },
  { name: 'push 410', channel: 'push', outcome: 'expired', tries: 1, fault: always({ status: 410 }) },
  { name: `push 429 once (Retry-After: ${RETRY_AFTER_S})`, channel: 'push', outcome: 'sent', tries: 2, fault: once({ status: 429, retryAfter: RETRY_AFTER_S }) },
  { name: 'push 500 once', channel: 'push', outcome: 'sent', tries: 2, fault: once({ status: 500 }) },
  { name: 'push hang once', channel: 'push', outcome: 'sent', tries: 2, fault: once<PushFault>('hang') },
];
/** Per organisation: how many supporters of each profile (12 by email and 8 by push, 40 in all over two organisations). */
const PER_ORG: Record<string, number> = { 'email ok': 8, 'push ok': 3 };
const perOrg = (profile: Profile<unknown>) => PER_ORG[profile.name] ?? 1;

/** One supporter on one channel, and what it must come to. */
interface Target {
  org: Org;
  supporterId: string;
  channel: Channel;
  /** The address, or the push service's subscription id. */
  key: string;
  profile: Profile<unknown>;
}

interface LedgerRecord {
  _id: mongoose.Types.ObjectId;
  relayId: string;
  supporterId: string;
  channel: Channel;
  state: string;
  attempts: number;
  lastError?: string;
}

/**
 * Channel faults, end to end: the SMTP sink resets connections and answers
 * 421/450 once for some recipients and 550 for others; the push service
 * answers 404/410 for good, 429 (with Retry-After), 500 once, and hangs once.
 * Every transient fault is retried until the message goes through, exactly
 * once; permanent refusals are not retried, and the address is suppressed or
 * the subscription removed; the batches come back a bounded number of times
 * and none is dead-lettered. Ground truth is the delivery ledger (read from
 * the delivery database) against what the sinks received, keyed by delivery id.
 *
 * Every retryable fault here is a one-off, so DEAD_LETTER must stay empty: a
 * recipient that kept failing in a retryable way would hold its batch for the
 * consumer's whole backoff (1 + 15 + 60 + 300 s, not configurable) before the
 * fifth attempt marks it failed and dead-letters the batch — bounded, but too
 * slow for this test.
 */
describe('channel faults: the right retry or suppression for each, nothing missing, nothing twice, no endless requeue', () => {
  const dbPrefix = `faults_${process.pid}`;
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let push: PushService;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let ledgerDb: Connection;
  let batchTap: Subscription;
  let progress: ProgressStream;
  let coalition: Coalition;
  let orgs: Org[];

  const emailScript = new Map<string, Profile<RecipientFault>>();
  const pushScript = new Map<string, Profile<PushFault>>();
  /** Every RCPT TO / push request the sinks saw, by address / subscription id: the attempts, answered or not. */
  const rcptSeen = new Map<string, number>();
  const pushAsked = new Map<string, number[]>();
  const targets: Target[] = [];
  const batches = new Map<string, DeliveryBatch>();

  beforeAll(async () => {
    infra = await startTestInfra();
    [smtp, push] = await Promise.all([
      SmtpSink.start({
        onRecipient: (address) => {
          const attempt = (rcptSeen.get(address) ?? 0) + 1;
          rcptSeen.set(address, attempt);
          return emailScript.get(address)?.fault(attempt);
        },
      }),
      PushService.start({
        decrypt: 'all',
        onPush: (subscriptionId) => {
          const asked = [...(pushAsked.get(subscriptionId) ?? []), Date.now()];
          pushAsked.set(subscriptionId, asked);
          return pushScript.get(subscriptionId)?.fault(asked.length);
        },
      }),
    ]);
    network = await startNetwork(infra, {
      dbPrefix,
      commonEnv: { LOCAL_PUSH_SERVICE_URL: push.httpUrl },
      env: {
        delivery: { SMTP_URL: smtp.smtpUrl, PUSH_TIMEOUT_MS: String(PUSH_TIMEOUT_MS) },
        subscriptions: { FAN_OUT_BATCH_SIZE: String(BATCH_SIZE) },
      },
    });
    nc = await infra.connectHarness();
    jsm = await nc.jetstreamManager();
    ledgerDb = await mongoose.createConnection(infra.mongoUrl(`${dbPrefix}_delivery`)).asPromise();
    // Every batch published, as the fan-out stored it (a core subscription sees each publish).
    const codec = JSONCodec<DeliveryBatch>();
    batchTap = nc.subscribe(consumerFilterFor(eventSubjects.deliveryBatch), {
      callback: (error, msg) => {
        if (error) return;
        const batch = codec.decode(msg.data);
        batches.set(batch.eventId, batch);
      },
    });
  });

  afterAll(async () => {
    progress?.close();
    batchTap?.unsubscribe();
    await ledgerDb?.close();
    await nc?.close();
    await network?.stopAll();
    await Promise.all([smtp?.stop(), push?.stop()]);
    await infra?.stop();
  });

  it('imports email supporters and takes push supporters for two organisations, each with scripted faults', async () => {
    const admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin);
    orgs = await Promise.all([createOrg(admin, 'Fault Rights A'), createOrg(admin, 'Fault Rights B')]);
    for (const [o, org] of orgs.entries()) {
      await subscribe(coalition, org, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });

      const addresses: { address: string; profile: Profile<RecipientFault> }[] = [];
      for (const profile of emailProfiles) {
        for (let i = 1; i <= perOrg(profile); i++) {
          const address = `${profile.name.replace(/[^a-z0-9]+/g, '-')}-${o}-${i}@example.org`;
          addresses.push({ address, profile });
          emailScript.set(address, profile);
        }
      }
      const csv = ['email,language,topics,consent_at,consent_source', ...addresses.map(({ address }) => `${address},en,,2025-01-01,fault test`)].join('\n');
      const imported = expectStatus(await org.admin.post(`/organisations/${org.id}/supporters/import`, { csv }), 200).body;
      expect(imported).toEqual({ imported: addresses.length, skipped: [] });
      const ids = new Map((await exportSupporters(org)).map((s) => [s.email, s.id]));
      for (const { address, profile } of addresses) targets.push({ org, supporterId: ids.get(address)!, channel: 'email', key: address, profile });

      for (const profile of pushProfiles) {
        for (let i = 1; i <= perOrg(profile); i++) {
          const { id, subscription } = push.createSubscription(`${profile.name} ${o}-${i}`);
          const supporterId = await joinAndFind(network.gatewayUrl, org, { push: subscription, language: 'en' });
          pushScript.set(id, profile);
          targets.push({ org, supporterId, channel: 'push', key: id, profile });
        }
      }
      const counts = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body;
      expect(counts.email.active).toBe(12);
      expect(counts.push.active).toBe(8);
    }
    expect(targets).toHaveLength(40);
    expect(targets.every((t) => /^[0-9a-f]{24}$/.test(t.supporterId))).toBe(true);
  });

  it('retries each transient fault until the message goes through once, and sends nothing more to a refused address or a gone subscription', async () => {
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    const alertId: string = draft.id;
    progress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, alertId);
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`), 200);

    // Settled: every target in the ledger and closed, and the work queue empty with nothing in flight.
    const ledger = await eventually(
      'every delivery closed and the queue drained',
      async () => {
        const records = await ledgerDb.collection<LedgerRecord>('deliveries').find({ alertId }).toArray();
        if (records.length < targets.length || records.some((r) => r.state === 'queued' || r.state === 'retry')) return undefined;
        const consumer = await jsm.consumers.info('DELIVERY_BATCHES', 'delivery-batches');
        return consumer.num_pending === 0 && consumer.num_ack_pending === 0 ? records : undefined;
      },
      45_000,
    );
    const consumer = await jsm.consumers.info('DELIVERY_BATCHES', 'delivery-batches');
    const deadLetters = await storedMessages(jsm, 'DEAD_LETTER');

    // The ledger's record for each target, and what the sinks received, by delivery id.
    const bySupporterChannel = new Map(ledger.map((r) => [`${r.supporterId} ${r.channel}`, r]));
    const record = (t: Target) => bySupporterChannel.get(`${t.supporterId} ${t.channel}`)!;
    const received = new Map<string, string[]>();
    for (const m of smtp.messages()) received.set(m.headers[DELIVERY_ID_HEADER], [...(received.get(m.headers[DELIVERY_ID_HEADER]) ?? []), m.envelope.to.join(',')]);
    for (const m of push.messages()) {
      const id = (m.json as { deliveryId: string }).deliveryId;
      received.set(id, [...(received.get(id) ?? []), m.subscriptionId]);
    }
    const expectedIds = new Set(targets.filter((t) => t.profile.outcome === 'sent').map((t) => record(t)?._id.toHexString()));
    const ledgerIds = new Set(ledger.map((r) => r._id.toHexString()));

    const tries = (t: Target) => (t.channel === 'email' ? (rcptSeen.get(t.key) ?? 0) : (pushAsked.get(t.key)?.length ?? 0));
    const rows = [...emailProfiles, ...pushProfiles].map((profile) => {
      const of = targets.filter((t) => t.profile === profile);
      const copies = of.map((t) => received.get(record(t)?._id.toHexString() ?? '') ?? []);
      return {
        fault: profile.name,
        targets: of.length,
        expected: profile.outcome,
        ledger: summarise(of.map((t) => record(t)?.state ?? 'absent')),
        'ledger attempts': summarise(of.map((t) => String(record(t)?.attempts))),
        'sink tries': summarise(of.map((t) => String(tries(t)))),
        received: copies.filter((c) => c.length > 0).length,
        missing: profile.outcome === 'sent' ? copies.filter((c) => c.length === 0).length : 0,
        duplicate: copies.filter((c) => c.length > 1).length,
      };
    });
    const redelivered = consumer.delivered.consumer_seq - batches.size;
    // A batch comes back only while one of its records is open, and each pass tries every open record once more:
    // so it is redelivered as often as its most-tried record was tried again.
    const ledgerRetries = [...batches.values()].map((batch) =>
      Math.max(...ledger.filter((r) => r.relayId === batch.relay.relayId && batch.recipients.some((x) => x.supporterId === r.supporterId)).map((r) => r.attempts)) - 1,
    );
    const retriedBatches = ledgerRetries.filter((retries) => retries > 0).length;
    const unexpected = [...received.keys()].filter((id) => !expectedIds.has(id));
    console.log(
      `[channel faults]\n${table(rows)}\n` +
        `ledger records ${ledger.length} for ${targets.length} targets; received ${[...received.values()].flat().length} messages, ` +
        `${unexpected.length} not expected; batches ${batches.size} (${retriedBatches} came back), deliveries ${consumer.delivered.consumer_seq}, ` +
        `redelivered ${redelivered}, pending ${consumer.num_pending}, in flight ${consumer.num_ack_pending}, dead letters ${deadLetters.length}`,
    );

    // One ledger record per target, and no other.
    expect(ledger).toHaveLength(targets.length);
    expect(targets.every((t) => record(t) !== undefined)).toBe(true);
    // Ground truth: every deliverable target received exactly once, by the right recipient; nothing else received.
    expect(rows.map((r) => [r.fault, r.missing, r.duplicate])).toEqual(rows.map((r) => [r.fault, 0, 0]));
    expect(unexpected).toEqual([]);
    expect([...received.keys()].every((id) => ledgerIds.has(id))).toBe(true);
    for (const t of targets.filter((t) => t.profile.outcome === 'sent')) expect(received.get(record(t)._id.toHexString())).toEqual([t.key]);

    for (const t of targets) {
      const { state, attempts, lastError } = record(t);
      // The ledger ends in the state each fault calls for, and a permanent refusal is never tried again.
      expect({ fault: t.profile.name, state }).toEqual({ fault: t.profile.name, state: t.profile.outcome });
      expect({ fault: t.profile.name, tries: tries(t) }).toEqual({ fault: t.profile.name, tries: t.profile.tries });
      // One pass per try, but for the pool's own resends.
      if (t.profile.poolMayResend) expect(attempts).toBeGreaterThanOrEqual(1);
      else expect({ fault: t.profile.name, attempts }).toEqual({ fault: t.profile.name, attempts: t.profile.tries });
      expect(attempts).toBeLessThanOrEqual(Math.min(tries(t), MAX_DELIVER));
      if (t.profile.outcome !== 'sent') expect(lastError).toMatch(t.channel === 'email' ? /^550 / : /^push service answered 4(04|10)$/);
      // The ledger names no address.
      if (lastError) expect(lastError).not.toContain('@');
    }
    // A 429's Retry-After was honoured: the push came back no sooner than asked (a 1 s backoff and a 2 s hang in the same pass make 3 s).
    for (const t of targets.filter((t) => t.profile.name.startsWith('push 429'))) {
      const [first, second] = pushAsked.get(t.key)!;
      expect(second - first).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
    }

    // No unbounded requeue: JetStream redelivered exactly what the ledger's attempts account for, each retried batch once
    // (every fault here is a one-off), below maxDeliver; none was given up on.
    expect(redelivered).toBe(ledgerRetries.reduce((sum, retries) => sum + retries, 0));
    expect(ledgerRetries.every((retries) => retries <= 1)).toBe(true);
    expect(retriedBatches).toBeGreaterThan(0);
    expect(consumer.num_pending).toBe(0);
    expect(consumer.num_ack_pending).toBe(0);
    expect(deadLetters).toEqual([]);

    // The live progress counts the same: a gone subscription counts with the suppressed.
    const totals = await progress.until((p) => p.channels.email.sent + p.channels.push.sent === expectedIds.size, 10_000);
    expect(channelTotals(totals)).toEqual({
      email: { targeted: 24, sent: 22, failed: 0, suppressed: 2 },
      push: { targeted: 16, sent: 12, failed: 0, suppressed: 4 },
    });
  });

  it('suppresses the refused addresses and removes the gone subscriptions in the supporter list', async () => {
    for (const org of orgs) {
      const supporters = await eventually(
        `feedback applied for ${org.slug}`,
        async () => {
          const list = await exportSupporters(org);
          const suppressed = list.filter((s) => s.emailState === 'suppressed').length;
          const gone = list.filter((s) => s.pushState === 'gone').length;
          return suppressed === 1 && gone === 2 ? list : undefined;
        },
        10_000,
      );
      const state = new Map(supporters.map((s) => [s.id, s]));
      for (const t of targets.filter((t) => t.org === org)) {
        const expected = t.profile.outcome === 'suppressed' ? 'suppressed' : t.profile.outcome === 'expired' ? 'gone' : 'active';
        const actual = t.channel === 'email' ? state.get(t.supporterId)?.emailState : state.get(t.supporterId)?.pushState;
        expect({ fault: t.profile.name, state: actual }).toEqual({ fault: t.profile.name, state: expected });
      }
      const counts = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body;
      expect(counts.email).toMatchObject({ active: 11, suppressed: 1 });
      expect(counts.push).toMatchObject({ active: 6, gone: 2 });
    }
  });

  async function exportSupporters(org: Org): Promise<{ id: string; email?: string; emailState?: string; pushState?: string }[]> {
    return expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/export?format=json`), 200).body;
  }
});

function channelTotals(totals: ProgressTotals) {
  const pick = ({ targeted, sent, failed, suppressed }: ProgressTotals['channels']['email']) => ({ targeted, sent, failed, suppressed });
  return { email: pick(totals.channels.email), push: pick(totals.channels.push) };
}

/** `sent×3, retry×1`: how often each value occurs. */
function summarise(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value}×${count}`).join(', ');
}

function table(rows: Record<string, string | number>[]): string {
  const columns = Object.keys(rows[0]);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  return [line(columns), ...rows.map((r) => line(columns.map((c) => String(r[c]))))].join('\n');
}
