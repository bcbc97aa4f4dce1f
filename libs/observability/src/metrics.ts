import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Clarion metric, in one registry per process. Labels are bounded sets
 * named here (route templates, channels, outcomes, provider classes, durable
 * names): never an organisation, a supporter, an address or a relay id, so a
 * scrape reveals nothing personal and the series count does not grow with use.
 */
export const registry = new Registry();

let defaultsOn = false;
/** The service label on every series, and Node's own process metrics (CPU, heap, event loop lag). */
export function nameService(service: string): void {
  registry.setDefaultLabels({ service });
  if (!defaultsOn) {
    // The event loop is sampled every 50 ms, not prom-client's 10 ms: at 10 ms an idle service spent 0.65% of a core
    // on it (measured: 131 ms of CPU in 20 s, 49 ms at 50 ms), the four together 2.6%, and the stalls worth a look on
    // the dashboard's p99 last far longer than 50 ms.
    collectDefaultMetrics({ register: registry, prefix: 'clarion_', eventLoopMonitoringPrecision: 50 });
    defaultsOn = true;
  }
}

export const httpRequests = new Counter({
  name: 'clarion_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'clarion_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route template',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** One count per ledger record settled: the same states the ledger writes (sent, failed, suppressed, expired, cancelled, retry). */
export const deliveries = new Counter({
  name: 'clarion_deliveries_total',
  help: 'Delivery ledger records settled by a batch pass, by channel and outcome',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});

/** Deliveries recorded as targets (the ledger's `targeted`). */
export const deliveriesTargeted = new Counter({
  name: 'clarion_deliveries_targeted_total',
  help: 'Delivery ledger records created for a relay’s audience, by channel',
  labelNames: ['channel'] as const,
  registers: [registry],
});

export const sendErrors = new Counter({
  name: 'clarion_send_errors_total',
  help: 'Sends a provider did not accept, by channel, provider class and kind (retry, suppress, gone)',
  labelNames: ['channel', 'provider_class', 'kind'] as const,
  registers: [registry],
});

export const rateLimitWaits = new Histogram({
  name: 'clarion_rate_limit_wait_seconds',
  help: 'How long a send waited for its send-rate tokens, when it had to wait; outcome granted or gave_up',
  labelNames: ['channel', 'outcome'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [registry],
});

/**
 * From the alert's publication to a relay's first supporter reached, and to
 * 95 % of the audience known so far settled (sent, failed or suppressed).
 */
export const fanOutLatency = new Histogram({
  name: 'clarion_fanout_latency_seconds',
  help: 'Seconds from an alert’s publication to a relay’s first sent message (milestone=first) and to 95 % of its targets settled (milestone=p95)',
  labelNames: ['milestone'] as const,
  buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
  registers: [registry],
});

export const deadLetters = new Counter({
  name: 'clarion_dead_letters_total',
  help: 'Messages a durable consumer dead-lettered, by consumer and reason (invalid, exhausted)',
  labelNames: ['durable', 'reason'] as const,
  registers: [registry],
});

export const redeliveries = new Counter({
  name: 'clarion_redeliveries_total',
  help: 'Messages a durable consumer received again after an earlier attempt, by consumer',
  labelNames: ['durable'] as const,
  registers: [registry],
});

export interface ConsumerState {
  num_pending: number;
  num_ack_pending: number;
  num_redelivered: number;
}

/** The consumers this process reads, asked about at scrape time (not on a timer: no scrape, no cost). */
const watched = new Map<string, { stream: string; durable: string; info: () => Promise<ConsumerState> }>();
const CONSUMER_INFO_TIMEOUT_MS = 2_000;

/** Registers a durable consumer for the lag gauges; returns the call that forgets it. */
export function watchConsumer(stream: string, durable: string, info: () => Promise<ConsumerState>): () => void {
  const key = `${stream}/${durable}`;
  watched.set(key, { stream, durable, info });
  return () => watched.delete(key);
}

const consumerGauge = (name: string, help: string, field: keyof ConsumerState) =>
  new Gauge({
    name,
    help,
    labelNames: ['stream', 'durable'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        [...watched.values()].map(async ({ stream, durable, info }) => {
          const state = await cachedInfo(`${stream}/${durable}`, info);
          if (state) this.set({ stream, durable }, state[field]);
        }),
      );
    },
  });

/** The three gauges share one consumer-info request per consumer and scrape. */
const infoCache = new Map<string, { at: number; state: Promise<ConsumerState | undefined> }>();
function cachedInfo(key: string, info: () => Promise<ConsumerState>): Promise<ConsumerState | undefined> {
  const now = Date.now();
  const hit = infoCache.get(key);
  if (hit && now - hit.at < 1_000) return hit.state;
  const state = Promise.race([
    info(),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CONSUMER_INFO_TIMEOUT_MS).unref()),
  ]).catch(() => undefined);
  infoCache.set(key, { at: now, state });
  return state;
}

consumerGauge('clarion_consumer_pending_messages', 'Messages in the stream the durable consumer has not yet been handed (its lag)', 'num_pending');
consumerGauge('clarion_consumer_ack_pending_messages', 'Messages handed to the consumer and not yet acknowledged', 'num_ack_pending');
consumerGauge('clarion_consumer_redelivered_messages', 'Messages the consumer holds that were delivered more than once', 'num_redelivered');
