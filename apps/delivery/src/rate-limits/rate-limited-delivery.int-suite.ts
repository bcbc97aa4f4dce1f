import type { INestApplication } from '@nestjs/common';
import type { KvWindowCounters } from '@clarion/messaging';
import { createServiceApp } from '@clarion/service-kit';
import { DeliveryModule } from '../delivery.module';
import { DeliveryTestBed } from '../test/delivery-test-bed';
import { WINDOW_MS, windowOf } from './rate-limiter';
import { SendLimits, WINDOW_COUNTERS } from './send-limits';

const ORG_LIMIT = 20;
/** The test bed's supporters all have addresses at this domain. */
const MAIL_DOMAIN = 'supporters.example.org';
const MAIL_DOMAIN_LIMIT = 8;
/** Each with an email address and a push subscription: 200 deliveries. */
const SUPPORTERS = 100;
/** Ten batches, so both workers (two batches at a time each) have some. */
const PER_BATCH = 10;

type Counts = Map<number, { email: number; push: number; sms: number }>;

function count(counts: Counts, window: number, channel: 'email' | 'push' | 'sms'): void {
  const entry = counts.get(window) ?? { email: 0, push: 0, sms: 0 };
  entry[channel]++;
  counts.set(window, entry);
}

interface Arrival {
  deliveryId: string;
  channel: 'email' | 'push';
  at: number;
}

/**
 * Two delivery workers — the test bed's app and a second instance of the
 * service on the same queue, database and sinks, each with its own NATS
 * connection — send one organisation's 200 deliveries under an organisation
 * limit of 20/s and a limit of 8/s for the recipients' mail domain.
 */
describe('send rate limits across two delivery workers', () => {
  let bed: DeliveryTestBed;
  let second: INestApplication;

  beforeAll(async () => {
    bed = await DeliveryTestBed.start('delivery_rate_limits', {
      ORG_SEND_RATE_PER_SEC: String(ORG_LIMIT),
      PROVIDER_SEND_RATES: `${MAIL_DOMAIN}=${MAIL_DOMAIN_LIMIT}`,
    });
    second = await createServiceApp({ service: 'delivery', module: DeliveryModule.forRoot(bed.config), config: bed.config });
  }, 120_000);

  afterAll(async () => {
    await second?.close();
    await bed?.stop();
  });

  /** Both workers' SMTP pools and push agents connected: a first connection can take longer than a window. */
  async function warmUp(): Promise<void> {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId);
    const supporters = Array.from({ length: 16 }, (_, i) => bed.supporter(`warm${i}`));
    for (let from = 0; from < supporters.length; from += 4) await bed.publishBatch(bed.batch(relay, supporters.slice(from, from + 4)));
    await bed.settledLedger(relay.relayId, 2 * supporters.length, 30_000);
  }

  /** When each worker's sends got their tokens, per window and channel: what the limiter itself allowed. */
  function recordGrants(orgId: string): Counts {
    const grants: Counts = new Map();
    for (const app of [bed.app, second]) {
      const limits = app.get(SendLimits);
      const acquire = limits.acquire.bind(limits);
      jest.spyOn(limits, 'acquire').mockImplementation(async (target) => {
        const permit = await acquire(target);
        if (permit.ok && target.orgId === orgId) count(grants, windowOf(Date.now()), target.channel);
        return permit;
      });
    }
    return grants;
  }

  it('delivers every message once, never more per second than the limits allow, from both workers', async () => {
    await warmUp();
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId);
    const grants = recordGrants(orgId);
    const supporters = Array.from({ length: SUPPORTERS }, (_, i) => bed.supporter(`rate${i}`));
    for (let from = 0; from < SUPPORTERS; from += PER_BATCH) await bed.publishBatch(bed.batch(relay, supporters.slice(from, from + PER_BATCH)));

    const ledger = await bed.settledLedger(relay.relayId, 2 * SUPPORTERS, 90_000);
    expect(ledger.filter((record) => record.state !== 'sent')).toEqual([]);

    const arrivals: Arrival[] = [
      ...bed.smtp
        .messages()
        .filter((message) => message.headers['x-clarion-relay-id'] === relay.relayId)
        .map((message) => ({ deliveryId: message.headers['x-clarion-delivery-id'], channel: 'email' as const, at: Date.parse(message.receivedAt) })),
      ...bed.push
        .messages()
        .filter((message) => (message.json as { relayId?: string }).relayId === relay.relayId)
        .map((message) => ({ deliveryId: (message.json as { deliveryId: string }).deliveryId, channel: 'push' as const, at: Date.parse(message.receivedAt) })),
    ];
    const received = new Map<string, number>();
    for (const { deliveryId } of arrivals) received.set(deliveryId, (received.get(deliveryId) ?? 0) + 1);
    const missing = ledger.filter((record) => !received.has(record._id.toHexString())).length;
    const duplicates = [...received.values()].reduce((sum, n) => sum + n - 1, 0);

    // Arrivals counted per second aligned as the limiter's windows are (epoch seconds), to print beside the grants.
    const perSecond: Counts = new Map();
    for (const { channel, at } of arrivals) count(perSecond, windowOf(at), channel);
    const windows = [...new Set([...grants.keys(), ...perSecond.keys()])].sort((a, b) => a - b);
    const none = { email: 0, push: 0 };
    const workers = [bed.app, second].map((app) => app.get<KvWindowCounters>(WINDOW_COUNTERS).roundTrips);
    console.log(
      [
        `two workers, organisation limit ${ORG_LIMIT}/s, ${MAIL_DOMAIN} limit ${MAIL_DOMAIN_LIMIT}/s: ` +
          `${ledger.length} deliveries, ${received.size} received, ${missing} missing, ${duplicates} duplicates; ` +
          `NATS KV round trips per worker ${workers.join(', ')}`,
        `  second   granted: email  push  total   arrived: email  push  total   (windows of ${WINDOW_MS} ms from ${windows[0]})`,
        ...windows.map((window) => {
          const [granted, arrived] = [grants.get(window) ?? none, perSecond.get(window) ?? none];
          const cells = (c: { email: number; push: number }) => [c.email, c.push, c.email + c.push].map((n, i) => String(n).padStart([14, 5, 6][i])).join('');
          return `  ${String(window - windows[0]).padStart(6)}  ${cells(granted)}  ${cells(arrived)}`;
        }),
      ].join('\n'),
    );

    expect({ received: received.size, missing, duplicates }).toEqual({ received: 2 * SUPPORTERS, missing: 0, duplicates: 0 });
    // The limiter's own windows: never more granted in one than the limits allow.
    expect(Math.max(...[...grants.values()].map(({ email, push }) => email + push))).toBeLessThanOrEqual(ORG_LIMIT);
    expect(Math.max(...[...grants.values()].map(({ email }) => email))).toBeLessThanOrEqual(MAIL_DOMAIN_LIMIT);
    // At the sinks, by the end of each second no more can have arrived than the limits allowed since the first window:
    // a message cannot arrive before its token, and one slowed by a busy machine only arrives later, which this allows.
    let [sentTotal, sentEmail] = [0, 0];
    for (const window of windows) {
      const arrived = perSecond.get(window) ?? none;
      [sentTotal, sentEmail] = [sentTotal + arrived.email + arrived.push, sentEmail + arrived.email];
      const seconds = window - windows[0] + 1;
      expect({ window, sentTotal, sentEmail }).toEqual({
        window,
        sentTotal: Math.min(sentTotal, ORG_LIMIT * seconds),
        sentEmail: Math.min(sentEmail, MAIL_DOMAIN_LIMIT * seconds),
      });
    }
    // Both workers took tokens from the shared counters, so both were sending.
    expect(workers.every((trips) => trips > 0)).toBe(true);
  }, 150_000);
});
