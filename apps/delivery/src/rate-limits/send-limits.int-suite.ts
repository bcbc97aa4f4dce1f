import { Logger } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { deliveryConfigSchema, type DeliveryConfig } from '@clarion/config';
import type { Recipient } from '@clarion/contracts';
import { KV_TIMEOUT_MS, KvWindowCounters, natsClientOptions } from '@clarion/messaging';
import { startTestInfra, type TestInfra } from '@clarion/testing';
import { windowOf } from './rate-limiter';
import { SEND_RATE_BUCKET, SEND_RATE_TTL_MS, SendLimits, type SendTarget } from './send-limits';

const RUN_MS = 3_000;

interface Worker {
  nc: NatsConnection;
  counters: KvWindowCounters;
  limits: SendLimits;
}

interface Run {
  /** Grants per window, per worker. */
  windows: Map<number, number[]>;
  perWorker: number[];
  roundTripsPerSec: number[];
}

/**
 * Two workers' limits (SendLimits, each on a NATS connection of its own)
 * sharing counters in a real nats-server's KV bucket, each with `senders`
 * sends waiting at all times for RUN_MS.
 */
async function hammer(workers: Worker[], target: SendTarget, senders: number): Promise<Run> {
  const windows = new Map<number, number[]>();
  const perWorker = workers.map(() => 0);
  const tripsBefore = workers.map((worker) => worker.counters.roundTrips);
  const startedAt = Date.now();
  const stopAt = startedAt + RUN_MS;
  await Promise.all(
    workers.flatMap((worker, index) =>
      Array.from({ length: senders }, async () => {
        while (Date.now() < stopAt) {
          const permit = await worker.limits.acquire(target);
          if (!permit.ok) throw new Error(permit.reason);
          // The window the send goes out in: where a provider would count it.
          const window = windowOf(Date.now());
          const counts = windows.get(window) ?? workers.map(() => 0);
          counts[index]++;
          windows.set(window, counts);
          perWorker[index]++;
        }
      }),
    ),
  );
  const seconds = (Date.now() - startedAt) / 1000;
  return { windows, perWorker, roundTripsPerSec: workers.map((worker, i) => Math.round((worker.counters.roundTrips - tripsBefore[i]) / seconds)) };
}

/**
 * Never more than `limit` a window, counted cumulatively from the first window: a permit is counted in the window
 * its caller resumed in, which a loaded machine can make the next one, never an earlier one. So by the end of each
 * window at most `limit` × the windows so far went out; a limiter that let more through fails this.
 */
function expectWithinLimit(run: Run, limit: number): void {
  const windows = [...run.windows.keys()].sort((a, b) => a - b);
  let total = 0;
  for (const window of windows) {
    total += run.windows.get(window)!.reduce((sum, n) => sum + n, 0);
    const allowed = limit * (window - windows[0] + 1);
    expect({ window, total }).toEqual({ window, total: Math.min(total, allowed) });
  }
}

function print(title: string, run: Run): void {
  const rows = [...run.windows.entries()].sort(([a], [b]) => a - b).map(([window, counts]) => `  ${window}  ${counts.join(' + ')} = ${counts.reduce((s, n) => s + n, 0)}`);
  console.log(`${title}\n  window (s since epoch)  worker 1 + worker 2 = total\n${rows.join('\n')}\n  NATS round trips/s per worker: ${run.roundTripsPerSec.join(', ')}`);
}

const recipient: Recipient = { supporterId: 's1', language: 'en', contacts: { email: 'ada@gmail.com' } };

describe('send rate limits shared through NATS KV', () => {
  let infra: TestInfra;
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    infra = await startTestInfra();
  });

  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close()));
    await infra?.stop();
  });

  async function workers(env: Record<string, string>): Promise<Worker[]> {
    const config: DeliveryConfig = deliveryConfigSchema.parse({ ...infra.busEnv('delivery'), ...env });
    return Promise.all(
      [1, 2].map(async () => {
        // Reconnecting forever, as a service's connection does; a short wait, so no reconnect timer outlives the test.
        // Signed in as delivery, so the bucket is used with exactly delivery's rights on the bus.
        const nc = await connect({ ...natsClientOptions(infra.busSettings('delivery'), 'rate-limit-worker'), reconnectTimeWait: 100 });
        connections.push(nc);
        const counters = new KvWindowCounters(nc, { bucket: SEND_RATE_BUCKET, ttlMs: SEND_RATE_TTL_MS });
        return { nc, counters, limits: new SendLimits(config, counters) };
      }),
    );
  }

  it('lets two workers on separate connections together send at most the organisation limit per window, and both send', async () => {
    const limit = 50;
    const run = await hammer(await workers({ ORG_SEND_RATE_PER_SEC: String(limit) }), { orgId: 'org-shared', channel: 'email', recipient }, 40);
    print(`organisation limit ${limit}/s, two workers with 40 sends waiting each, ${RUN_MS / 1000} s:`, run);

    expectWithinLimit(run, limit);
    // Full seconds in the middle of the run are used up: the limit is a cap, not a trickle.
    const totals = [...run.windows.values()].map((counts) => counts[0] + counts[1]);
    expect(totals.filter((total) => total >= limit).length).toBeGreaterThanOrEqual(2);
    expect(run.perWorker[0]).toBeGreaterThan(0);
    expect(run.perWorker[1]).toBeGreaterThan(0);
  });

  it('keeps the provider limit and the organisation limit at once, in round trips of chunks at ~1,000 sends/s', async () => {
    const limit = 1_000;
    const run = await hammer(
      await workers({ ORG_SEND_RATE_PER_SEC: '5000', PROVIDER_SEND_RATES: `gmail.com=${limit},*=0` }),
      { orgId: 'org-busy', channel: 'email', recipient },
      100,
    );
    print(`gmail.com limit ${limit}/s under an organisation limit of 5000/s, two workers with 100 sends waiting each, ${RUN_MS / 1000} s:`, run);
    expectWithinLimit(run, limit);
    expect(run.perWorker[0]).toBeGreaterThan(0);
    expect(run.perWorker[1]).toBeGreaterThan(0);
    // Two limits, chunks of 50 and 100 per trip; races cost a read and a write more. Far fewer trips than sends.
    expect(run.roundTripsPerSec[0] + run.roundTripsPerSec[1]).toBeLessThan(limit / 2);
  });

  it('fails open but bounded when NATS is gone: each worker keeps the limit alone and sends on', async () => {
    const [worker] = await workers({ ORG_SEND_RATE_PER_SEC: '10' });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await infra.nats.stop();

    const permits = await Promise.all(Array.from({ length: 10 }, () => worker.limits.acquire({ orgId: 'org-alone', channel: 'push', recipient })));
    expect(permits.every((permit) => permit.ok)).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ limit: 'organisation org-alone' }), expect.stringContaining('sends on'));
    warn.mockRestore();
    // Bounded: one timed-out trip to NATS (KV_TIMEOUT_MS), then the worker grants alone; one that waited for NATS to return would hang here.
  }, 30 * KV_TIMEOUT_MS);
});
