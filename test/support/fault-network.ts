import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { JetStreamManager } from 'nats';
import { PushService, SmtpSink } from '@clarion/sinks';
import { http, startNetwork, startTestInfra, type Network, type NetworkOptions, type TestInfra } from '@clarion/testing';
import { freePort, serviceProcess, type ServiceProcess } from '@clarion/infra';
import { Api, eventually, expectStatus } from './api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from './directory-fixture';

/**
 * What the fault tests share: a network with the SMTP sink and the push
 * service (every push decrypted), a large audience imported through the
 * public CSV API, the delivery ledger read straight from delivery's
 * database, and the comparison of that ledger with what the sinks received,
 * keyed by delivery id.
 */
export interface FaultNetwork {
  infra: TestInfra;
  network: Network;
  smtp: SmtpSink;
  push: PushService;
  admin: Api;
  ledger: Ledger;
  /** The MongoDB URL of a service's own database. */
  databaseUrl(service: 'alerts' | 'subscriptions' | 'delivery'): string;
  /** Delivery workers added by addDeliveryWorker, each with an SMTP sink of its own. */
  extraWorkers: { worker: ServiceProcess; smtp: SmtpSink }[];
  stop(): Promise<void>;
}

export interface FaultNetworkOptions extends Omit<NetworkOptions, 'dbPrefix'> {
  /** A JetStream cluster of this many nats-server processes instead of one server; every service gets all their URLs and keeps this many copies of each stream. */
  natsCluster?: number;
}

export async function startFaultNetwork(options: FaultNetworkOptions = {}): Promise<FaultNetwork> {
  const { natsCluster, ...networkOptions } = options;
  const infra = await startTestInfra({ natsCluster });
  // Count-only SMTP (it still reads each message's X-Clarion-Delivery-Id); every push is decrypted and kept.
  const [smtp, push] = await Promise.all([SmtpSink.start({ parse: false }), PushService.start({ decrypt: 'all' })]);
  const dbPrefix = `fault_${process.pid}`;
  let network: Network;
  try {
    network = await startNetwork(infra, {
      ...networkOptions,
      dbPrefix,
      commonEnv: { LOCAL_PUSH_SERVICE_URL: push.httpUrl, ...networkOptions.commonEnv },
      env: {
        ...networkOptions.env,
        // A pass stuck on a call that never returns goes back to the queue in 90 s, not production's 10 minutes: past
        // what a pass takes here (no rate limits, sinks that answer; the ledger write after sending tries for 60 s).
        delivery: { SMTP_URL: smtp.smtpUrl, BATCH_PASS_DEADLINE_MS: '90000', ...networkOptions.env?.delivery },
      },
    });
  } catch (error) {
    // A failed start leaves no server behind (the test's afterAll has nothing to stop).
    await Promise.all([smtp.stop(), push.stop()]);
    await infra.stop();
    throw error;
  }
  const databaseUrl = (service: string) => infra.mongoUrl(`${dbPrefix}_${service}`);
  const ledger = await Ledger.open(databaseUrl('delivery'));
  const extraWorkers: FaultNetwork['extraWorkers'] = [];
  return {
    infra,
    network,
    smtp,
    push,
    admin: new Api(network.gatewayUrl, network.adminToken),
    ledger,
    databaseUrl,
    extraWorkers,
    stop: async () => {
      await ledger.close();
      await Promise.all([network.stopAll(), ...extraWorkers.map(({ worker }) => worker.process.stop())]);
      await Promise.all([smtp.stop(), push.stop(), ...extraWorkers.map((extra) => extra.smtp.stop())]);
      await infra.stop();
    },
  };
}

/**
 * One more delivery worker on the same queue and database as the network's,
 * sending email to an SMTP sink of its own: what that sink receives is what
 * this worker sent, so a test can time a kill to the moment it is sending.
 */
export async function addDeliveryWorker(net: FaultNetwork): Promise<{ worker: ServiceProcess; smtp: SmtpSink }> {
  const first = net.network.services.delivery;
  // The first worker's environment less its HTTP port (serviceProcess gives each its own).
  const { HTTP_PORT: _port, ...env } = first.process.spec.env ?? {};
  const smtp = await SmtpSink.start({ parse: false });
  const n = net.extraWorkers.length + 2;
  const worker = serviceProcess('delivery', await freePort(), { ...env, SMTP_URL: smtp.smtpUrl }, join(net.infra.dir, 'logs', `delivery-${n}.log`));
  net.extraWorkers.push({ worker, smtp });
  worker.process.start();
  await worker.waitReady();
  return { worker, smtp };
}

export interface Audience {
  coalition: Coalition;
  org: Org;
  emails: number;
  pushes: number;
}

/** Rows per import call: about 0.5 MB of CSV with push keys, under NATS's default 1 MB payload. */
const IMPORT_CHUNK_ROWS = 2_000;
const IMPORT_HEADER = 'email,language,topics,consent_at,consent_source,push_endpoint,push_p256dh,push_auth';
const LANGUAGES = ['en', 'fr', 'sw'];

/**
 * One coalition and one organisation relaying at once on email and push, with
 * `supporters` supporters imported in CSV chunks of 2,000: supporter i has an
 * email when i mod 10 < 7 and a push subscription (made by the push service)
 * when i mod 10 ≥ 5 — 70% email, 50% push, 20% both.
 */
export async function seedAudience(net: FaultNetwork, supporters: number): Promise<Audience> {
  const coalition = await createCoalition(net.admin);
  const org = await createOrg(net.admin, 'Fault Rights', ['en', 'fr', 'sw']);
  await subscribe(coalition, org, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
  let emails = 0;
  let pushes = 0;
  for (let from = 0; from < supporters; from += IMPORT_CHUNK_ROWS) {
    const rows = [IMPORT_HEADER];
    for (let i = from; i < Math.min(from + IMPORT_CHUNK_ROWS, supporters); i++) {
      const email = i % 10 < 7 ? `s${i}@fault.example.org` : '';
      let keys = ',,';
      if (i % 10 >= 5) {
        const { subscription } = net.push.createSubscription(`s${i}`);
        keys = `${subscription.endpoint},${subscription.keys.p256dh},${subscription.keys.auth}`;
        pushes++;
      }
      if (email) emails++;
      rows.push(`${email},${LANGUAGES[i % 3]},,2026-01-15T10:00:00Z,fault test import,${keys}`);
    }
    const res = await http('POST', `${net.network.gatewayUrl}/api/v1/organisations/${org.id}/supporters/import`, {
      token: org.admin.token,
      body: { csv: rows.join('\n') },
      timeoutMs: 120_000,
    });
    const result = expectStatus(res, 200).body as { imported: number; skipped: unknown[] };
    if (result.skipped.length > 0 || result.imported !== rows.length - 1) {
      throw new Error(`import took ${result.imported} of ${rows.length - 1} rows, refused ${result.skipped.length}, e.g. ${JSON.stringify(result.skipped[0])}`);
    }
  }
  return { coalition, org, emails, pushes };
}

/** Creates and publishes an alert for everyone (no topics, no regions); returns its id. */
export async function publishAlert(audience: Audience): Promise<string> {
  const { coordinator, id } = audience.coalition;
  const draft = expectStatus(await coordinator.post(`/coalitions/${id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
  expectStatus(await coordinator.post(`/alerts/${draft.id}/publish`), 200);
  return draft.id as string;
}

export type LedgerState = 'queued' | 'retry' | 'sent' | 'failed' | 'suppressed' | 'expired' | 'cancelled';
const OPEN_STATES: LedgerState[] = ['queued', 'retry'];

/** delivery's ledger (collection `deliveries`), read directly: one record per relay × supporter × channel, its _id the delivery id. */
export class Ledger {
  private constructor(private readonly db: Connection) {}

  static async open(url: string): Promise<Ledger> {
    return new Ledger(await mongoose.createConnection(url, { serverSelectionTimeoutMS: 5_000, retryWrites: false }).asPromise());
  }

  private get deliveries() {
    return this.db.collection('deliveries');
  }

  async countByState(alertId: string): Promise<Partial<Record<LedgerState, number>>> {
    const counts: Partial<Record<LedgerState, number>> = {};
    for (const record of await this.deliveries.find({ alertId }, { projection: { state: 1 } }).toArray()) {
      const state = record.state as LedgerState;
      counts[state] = (counts[state] ?? 0) + 1;
    }
    return counts;
  }

  /** Deliveries claimed and not yet closed: open records, and those a pass is sending that have no record yet (`delivery_passes`). */
  async openCount(alertId: string): Promise<number> {
    const open = await this.deliveries.countDocuments({ alertId, state: { $in: OPEN_STATES } });
    const inFlight = new Set<string>();
    for (const pass of await this.db.collection('delivery_passes').find({ alertId }).toArray()) for (const id of pass.deliveryIds as string[]) inFlight.add(id);
    if (inFlight.size === 0) return open;
    const recorded = await this.deliveries.countDocuments({ _id: { $in: [...inFlight].map((id) => new mongoose.Types.ObjectId(id)) } });
    return open + inFlight.size - recorded;
  }

  async records(alertId: string): Promise<{ id: string; channel: 'email' | 'push'; state: LedgerState }[]> {
    const found = await this.deliveries.find({ alertId }, { projection: { channel: 1, state: 1 } }).toArray();
    return found.map((record) => ({ id: String(record._id), channel: record.channel, state: record.state }));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Delivery ids the sinks received, with how often: emails by X-Clarion-Delivery-Id, pushes by the decrypted payload's deliveryId. */
export function received(net: FaultNetwork): { email: Map<string, number>; push: Map<string, number> } {
  const tally = (ids: string[]) => {
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  };
  const pushIds = net.push.messages().map((message) => (message.json as { deliveryId?: string } | undefined)?.deliveryId ?? '(no deliveryId)');
  return { email: tally([net.smtp, ...net.extraWorkers.map((extra) => extra.smtp)].flatMap((sink) => sink.deliveryIds())), push: tally(pushIds) };
}

export interface Reckoning {
  channel: 'email' | 'push';
  /** Ledger records of the channel, by state. */
  ledger: number;
  sent: number;
  open: number;
  otherStates: number;
  /** Distinct delivery ids received. */
  received: number;
  /** Ledger records (any state) never received. */
  missing: number;
  /** Deliveries received more than once, counted once per extra copy. */
  duplicates: number;
  /** Received ids that are not in the ledger. */
  unknown: number;
}

/** The ledger against the sinks, per channel: missing = in the ledger and not received; duplicate = each extra copy received. */
export async function reckon(net: FaultNetwork, alertId: string): Promise<Reckoning[]> {
  const records = await net.ledger.records(alertId);
  const got = received(net);
  return (['email', 'push'] as const).map((channel) => {
    const mine = records.filter((record) => record.channel === channel);
    const ids = new Set(mine.map((record) => record.id));
    const counts = got[channel];
    return {
      channel,
      ledger: mine.length,
      sent: mine.filter((record) => record.state === 'sent').length,
      open: mine.filter((record) => OPEN_STATES.includes(record.state)).length,
      otherStates: mine.filter((record) => record.state !== 'sent' && !OPEN_STATES.includes(record.state)).length,
      received: counts.size,
      missing: mine.filter((record) => !counts.has(record.id)).length,
      duplicates: [...counts.values()].reduce((sum, n) => sum + n - 1, 0),
      unknown: [...counts.keys()].filter((id) => !ids.has(id)).length,
    };
  });
}

/**
 * What every fault test asserts of the reckoning: the ledger holds the whole
 * audience, and nobody was missed, left open or reached with an id the ledger
 * does not know. Copies are allowed only where the fault makes them possible
 * (a worker killed with messages in flight); that test bounds them itself.
 */
export function expectEveryoneReached(reckoning: Reckoning[], audience: Audience, { copiesAllowed = false } = {}): void {
  for (const { channel, missing, duplicates, open, unknown } of reckoning) {
    const found = { channel, missing, open, unknown, ...(copiesAllowed ? {} : { duplicates }) };
    expect(found).toEqual({ channel, missing: 0, open: 0, unknown: 0, ...(copiesAllowed ? {} : { duplicates: 0 }) });
  }
  expect(reckoning.map((row) => row.ledger)).toEqual([audience.emails, audience.pushes]);
}

/**
 * Waits until the fan-out is complete and settled: the ledger holds every
 * expected record, none is open, and each was received. Bounded by `timeoutMs`
 * so a loss fails the test with the counts instead of hanging.
 */
export async function untilSettled(net: FaultNetwork, alertId: string, audience: Audience, timeoutMs: number): Promise<void> {
  const expected = audience.emails + audience.pushes;
  await eventually(
    'every delivery recorded, closed and received',
    async () => {
      const got = received(net);
      if (got.email.size + got.push.size < expected) return undefined;
      const states = await net.ledger.countByState(alertId);
      const total = Object.values(states).reduce((sum, n) => sum + n, 0);
      return total >= expected && (states.queued ?? 0) + (states.retry ?? 0) === 0 ? true : undefined;
    },
    timeoutMs,
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}; ledger ${JSON.stringify(await net.ledger.countByState(alertId))}, received ${JSON.stringify(sizes(net))}\n${await whereTheRestIs(net)}`);
  });
}

/**
 * What a run that did not settle leaves to explain it, since the harness's folder (and the services' logs) goes
 * when the test ends: the batches and fan-outs JetStream still holds or gave up on, and each service's errors.
 */
async function whereTheRestIs(net: FaultNetwork): Promise<string> {
  const lines: string[] = [];
  try {
    const nc = await net.infra.connectHarness();
    try {
      const jsm = await nc.jetstreamManager();
      lines.push(`dead letters: ${await deadLettered(jsm)}`);
      for (const [stream, durable] of [
        ['DELIVERY_BATCHES', 'delivery-batches'],
        ['RELAYS', 'subscriptions-fan-out'],
      ]) {
        const { num_pending, num_ack_pending, num_redelivered, delivered, ack_floor } = await jsm.consumers.info(stream, durable);
        lines.push(`${stream}/${durable}: ${JSON.stringify({ num_pending, num_ack_pending, num_redelivered, delivered: delivered.stream_seq, ackFloor: ack_floor.stream_seq })}`);
      }
    } finally {
      await nc.close();
    }
  } catch (error) {
    lines.push(`JetStream not readable: ${(error as Error).message}`);
  }
  for (const service of net.network.processes) {
    const errors = logLines(service).filter((line) => /"level":(40|50)/.test(line) && !line.includes('readiness changed'));
    lines.push(`${service.name}: ${errors.length} warnings and errors${errors.length ? `, the last: ${errors.slice(-5).join('\n  ')}` : ''}`);
  }
  return lines.join('\n');
}

function logLines(service: ServiceProcess): string[] {
  try {
    return readFileSync(service.process.spec.logFile, 'utf8').split('\n');
  } catch {
    return [];
  }
}

function sizes(net: FaultNetwork) {
  const got = received(net);
  return { email: got.email.size, push: got.push.size };
}

/** Messages in the DEAD_LETTER stream right now. */
export async function deadLettered(jsm: JetStreamManager): Promise<number> {
  return (await jsm.streams.info('DEAD_LETTER')).state.messages;
}

/** Prints a small table of counts, so a run shows them even when it passes. */
export function printCounts(title: string, rows: Record<string, unknown>[]): void {
  console.log(`${title}\n${table(rows)}`);
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = [columns, ...rows.map((row) => columns.map((column) => String(row[column] ?? '')))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells.map((line) => line.map((cell, i) => cell.padStart(widths[i])).join('  ')).join('\n');
}

/** How many lines of a service's log contain `text` (services log JSON lines through pino). */
export function linesInLog(service: ServiceProcess, text: string): number {
  return logLines(service).filter((line) => line.includes(text)).length;
}
