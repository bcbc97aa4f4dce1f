import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deliveryConfigSchema } from '@clarion/config';
import { PushService, SmtpSink } from '@clarion/sinks';
import { http, SAMPLE_CRISIS_ALERT, startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Arrivals, CHANNELS, type Channel } from './arrivals';
import { reach, type ReachFigures, type Series } from './figures';
import { ledgerAgrees, LedgerProgress, type ProgressTotals } from './ledger-progress';
import { peaks, resetPeakRss, type WatchedProcess } from './peak-memory';
import { runRawBaseline } from './raw-baseline';
import { seed } from './seed';

/** delivery's sending knobs: taken from the environment when set (and passed on to delivery), else delivery's own defaults. */
export const TUNING_VARS = ['SMTP_POOL_SIZE', 'SEND_CONCURRENCY', 'BATCH_CONCURRENCY'] as const;

export function deliveryTuning() {
  const env = Object.fromEntries(TUNING_VARS.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
  const parsed = deliveryConfigSchema.pick({ SMTP_POOL_SIZE: true, SEND_CONCURRENCY: true, BATCH_CONCURRENCY: true }).parse(env);
  return { env, smtpPoolSize: parsed.SMTP_POOL_SIZE, sendConcurrency: parsed.SEND_CONCURRENCY, batchConcurrency: parsed.BATCH_CONCURRENCY };
}

export interface RunSpec {
  supporters: number;
  orgs: number;
  workers: number;
  /** Bound on the delivery wait (and on the raw baseline). */
  timeoutMs: number;
  /** Distinguishes this run's slugs and databases. */
  tag: string;
  say: (line: string) => void;
}

export interface RunResult {
  supporters: number;
  orgs: number;
  workers: number;
  tuning: { smtpPoolSize: number; sendConcurrency: number; batchConcurrency: number };
  seedMs: number;
  /** Clarion: from the publish call's return to each supporter's arrival at the sinks. */
  clarion: Record<Series, ReachFigures>;
  /** When the ledger's counters (the gateway's live progress) first showed everyone sent, ms after t0. */
  ledgerAgreedMs: number;
  /**
   * The raw libraries sending the same audience, from the moment they were
   * told to go: each channel alone, then both at once (as delivery sends them).
   */
  raw: { alone: Record<Channel, ReachFigures>; together: Record<Series, ReachFigures> };
  /** Clarion's deliveries/s ÷ the raw libraries': in total against both at once, per channel against the channel alone. */
  ratio: Record<Series, number>;
  /** Peak RSS (MB) of every process during delivery (the peak is reset after seeding where Linux allows). */
  peakRssMb: Record<string, number | undefined>;
  /** Peak RSS (MB) until the end of seeding. */
  seedingPeakRssMb: Record<string, number | undefined>;
  peakResetWorked: boolean;
  /** The highest peak RSS (MB) of any raw baseline sender process. */
  rawSenderPeakRssMb: number;
  duplicates: Record<Channel, number>;
  ledger: ProgressTotals['channels'];
}

/** How often the wait looks at the sinks and the ledger. */
const POLL_MS = 25;
/** If the sinks are done and the live progress still disagrees this long, read the totals afresh (live snapshots may be lost). */
const LEDGER_REREAD_MS = 3_000;

function figures(arrivals: Arrivals, t0: number): Record<Series, ReachFigures> {
  return { total: reach(arrivals.times(t0)), email: reach(arrivals.times(t0, 'email')), push: reach(arrivals.times(t0, 'push')) };
}

function counts(arrivals: Arrivals, ledger: ProgressTotals | undefined): string {
  const ledgerLine = ledger
    ? CHANNELS.map((c) => `${c} ${JSON.stringify(ledger.channels[c])}`).join(', ') + `, relays ${JSON.stringify(ledger.relays)}, relays sending ${ledger.relaysSending}`
    : 'no progress event yet';
  return `sinks: email ${arrivals.reached('email')}/${arrivals.expectedCount('email')}, push ${arrivals.reached('push')}/${arrivals.expectedCount('push')}; ledger: ${ledgerLine}`;
}

let stopCurrentRun: (() => Promise<void>) | undefined;

/** Stops the run in progress, if any (for Ctrl-C): services, sinks, infrastructure and its temporary folder. */
export function stopRunInProgress(): Promise<void> {
  return stopCurrentRun?.() ?? Promise.resolve();
}

/**
 * One run: throwaway infrastructure and services, seeding, one alert
 * published and waited for until the sinks and the ledger agree everyone is
 * reached, then the raw baseline against the same sinks. Stops everything.
 */
export async function benchRun(spec: RunSpec): Promise<RunResult> {
  const { say } = spec;
  const tuning = deliveryTuning();
  // The sinks' hooks feed whichever phase is being timed.
  let current: Arrivals | undefined;
  const [smtp, push] = await Promise.all([
    SmtpSink.start({ parse: false, onMessage: ({ to }) => to.forEach((address) => current?.record('email', address.toLowerCase())) }),
    PushService.start({ decrypt: 'sample', onAccepted: (subscriptionId) => current?.record('push', subscriptionId) }),
  ]);
  let infra: TestInfra | undefined;
  let network: Network | undefined;
  let ledger: LedgerProgress | undefined;
  let stopping: Promise<void> | undefined;
  const stopEverything = () =>
    (stopping ??= (async () => {
      current = undefined;
      ledger?.close();
      await network?.stopAll();
      await Promise.all([smtp.stop(), push.stop()]);
      await infra?.stop();
    })());
  stopCurrentRun = stopEverything;
  try {
    infra = await startTestInfra();
    network = await startNetwork(infra, {
      commonEnv: {
        LOCAL_PUSH_SERVICE_URL: push.httpUrl,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      },
      env: {
        delivery: {
          SMTP_URL: smtp.smtpUrl,
          SMTP_POOL_SIZE: String(tuning.smtpPoolSize),
          SEND_CONCURRENCY: String(tuning.sendConcurrency),
          BATCH_CONCURRENCY: String(tuning.batchConcurrency),
        },
      },
      replicas: { delivery: spec.workers },
      dbPrefix: `bench_${spec.tag}`,
    });
    const seen = new Map<string, number>();
    const watched: WatchedProcess[] = [
      ...network.processes.map((service) => {
        const n = (seen.get(service.name) ?? 0) + 1;
        seen.set(service.name, n);
        return { label: n === 1 ? service.name : `${service.name}-${n}`, pid: service.process.pid };
      }),
      { label: 'nats-server', pid: infra.nats.process.pid },
      { label: 'ferretdb', pid: infra.mongo.process.pid },
      { label: 'sinks', pid: process.pid },
    ];

    say(`  seeding ${spec.supporters.toLocaleString('en')} supporters in ${spec.orgs} organisations through the API…`);
    const seeded = await seed(network.gatewayUrl, network.adminToken, push, spec);
    const expected = { email: seeded.expected.email.size, push: seeded.expected.push.size };
    say(`  seeded in ${(seeded.seedMs / 1000).toFixed(1)} s: ${expected.email} emails, ${expected.push} push subscriptions`);
    const seedingPeakRssMb = peaks(watched);
    const peakResetWorked = watched.map(({ pid }) => resetPeakRss(pid)).every(Boolean);

    const api = (method: string, path: string, body?: unknown) => http(method, `${network!.gatewayUrl}/api/v1${path}`, { token: seeded.coordinatorToken, body });
    const draft = await api('POST', `/coalitions/${seeded.coalitionId}/alerts`, SAMPLE_CRISIS_ALERT);
    if (draft.status !== 201) throw new Error(`creating the alert: HTTP ${draft.status} ${JSON.stringify(draft.body)}`);
    const alertId: string = draft.body.id;
    ledger = await LedgerProgress.open(network.gatewayUrl, seeded.coordinatorToken, alertId);

    const arrivals = new Arrivals(seeded.expected);
    current = arrivals;
    const published = await api('POST', `/alerts/${alertId}/publish`);
    const t0 = performance.now();
    if (published.status !== 200) throw new Error(`publishing the alert: HTTP ${published.status} ${JSON.stringify(published.body)}`);
    say(`  published; waiting for ${expected.email + expected.push} deliveries (timeout ${Math.round(spec.timeoutMs / 1000)} s)…`);

    let ledgerAgreedAt: number | undefined;
    let totals: ProgressTotals | undefined;
    let reread = 0;
    let lastReport = t0;
    for (;;) {
      totals = ledger.latest;
      const now = performance.now();
      if (ledgerAgreedAt === undefined && ledgerAgrees(totals, expected)) ledgerAgreedAt = ledger.latestSeenAt;
      if (arrivals.complete() && ledgerAgreedAt !== undefined) break;
      if (arrivals.complete() && now - Math.max(ledger.latestSeenAt, reread) > LEDGER_REREAD_MS) {
        reread = now;
        totals = await LedgerProgress.snapshot(network.gatewayUrl, seeded.coordinatorToken, alertId);
        if (ledgerAgrees(totals, expected)) ledgerAgreedAt = performance.now();
        if (ledgerAgreedAt !== undefined) break;
      }
      if (now - t0 > spec.timeoutMs) {
        throw new Error(`not everyone reached ${Math.round((now - t0) / 1000)} s after publishing (timeout ${Math.round(spec.timeoutMs / 1000)} s): ${counts(arrivals, totals)}`);
      }
      if (now - lastReport > 10_000) {
        lastReport = now;
        say(`  … ${((now - t0) / 1000).toFixed(0)} s: ${counts(arrivals, totals)}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const peakRssMb = peaks(watched);
    const clarion = figures(arrivals, t0);
    const duplicates = { ...arrivals.duplicates };
    say(`  every supporter reached in ${(clarion.total.p100Ms / 1000).toFixed(2)} s; ledger agreed at ${((ledgerAgreedAt - t0) / 1000).toFixed(2)} s`);
    ledger.close();

    say(`  raw baseline: nodemailer (pool of ${tuning.smtpPoolSize}) and web-push (${tuning.sendConcurrency} at once) in ${spec.workers} process(es)…`);
    const none = new Set<string>();
    const rawPhase = async (channels: Channel[]) => {
      const audience = { email: channels.includes('email') ? seeded.expected.email : none, push: channels.includes('push') ? seeded.expected.push : none };
      const rawArrivals = new Arrivals(audience);
      current = rawArrivals;
      const outcome = await runRawBaseline({
        workers: spec.workers,
        smtpUrl: smtp.smtpUrl,
        poolSize: tuning.smtpPoolSize,
        concurrency: tuning.sendConcurrency,
        emails: channels.includes('email') ? seeded.emails : [],
        pushes: channels.includes('push') ? seeded.pushSubscriptions : [],
        arrivals: rawArrivals,
        timeoutMs: spec.timeoutMs,
      });
      current = undefined;
      rawSenderPeakRssMb.push(...outcome.peakRssMb);
      const reached = figures(rawArrivals, outcome.t0);
      say(`  raw ${channels.join(' and ')}: ${(reached.total.p100Ms / 1000).toFixed(2)} s, ${Math.round(reached.total.perSecond)}/s`);
      return reached;
    };
    const rawSenderPeakRssMb: number[] = [];
    const raw = { alone: { email: (await rawPhase(['email'])).email, push: (await rawPhase(['push'])).push }, together: await rawPhase(['email', 'push']) };
    const rate = (figures: ReachFigures) => figures.perSecond;
    const ratio = {
      total: clarion.total.perSecond / rate(raw.together.total),
      email: clarion.email.perSecond / rate(raw.alone.email),
      push: clarion.push.perSecond / rate(raw.alone.push),
    };

    return {
      supporters: spec.supporters,
      orgs: spec.orgs,
      workers: spec.workers,
      tuning: { smtpPoolSize: tuning.smtpPoolSize, sendConcurrency: tuning.sendConcurrency, batchConcurrency: tuning.batchConcurrency },
      seedMs: seeded.seedMs,
      clarion,
      ledgerAgreedMs: ledgerAgreedAt - t0,
      raw,
      ratio,
      peakRssMb,
      seedingPeakRssMb,
      peakResetWorked,
      rawSenderPeakRssMb: Math.max(...rawSenderPeakRssMb),
      duplicates,
      ledger: totals!.channels,
    };
  } catch (error) {
    // The services' logs are what explains a failed run; the harness removes its folder on stop.
    if (infra && error instanceof Error) {
      try {
        const kept = mkdtempSync(join(tmpdir(), 'clarion-bench-logs-'));
        cpSync(join(infra.dir, 'logs'), kept, { recursive: true });
        error.message += `\n  service logs kept in ${kept}`;
      } catch {
        // no logs yet
      }
    }
    throw error;
  } finally {
    await stopEverything();
    stopCurrentRun = undefined;
  }
}
