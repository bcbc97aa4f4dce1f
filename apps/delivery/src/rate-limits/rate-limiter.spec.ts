import { testBusEnv } from '@clarion/testing';
import { deliveryConfigSchema } from '@clarion/config';
import { keyPart, type CounterTake, type WindowCounters } from '@clarion/messaging';
import { ALONE_FOR_MS, RateLimiter, WINDOW_MS } from './rate-limiter';
import { providerOf, SendLimits } from './send-limits';

/** The shared counters in memory: what the NATS KV bucket does, minus the network. */
class MemoryCounters implements WindowCounters {
  readonly counts = new Map<string, number>();
  calls = 0;
  failing = false;

  async take(key: string, want: number, limit: number): Promise<CounterTake> {
    this.calls++;
    if (this.failing) throw new Error('NATS KV did not answer within 500 ms');
    const count = this.counts.get(key) ?? 0;
    const granted = Math.max(0, Math.min(want, limit - count));
    this.counts.set(key, count + granted);
    return { granted, full: count + granted >= limit };
  }
}

describe('RateLimiter', () => {
  const window = 1_800_000_000;
  let now: number;
  let counters: MemoryCounters;
  let alone: unknown[];
  const limiter = (limit: number) => new RateLimiter('org.abc', 'organisation abc', limit, { counters, now: () => now, onAlone: (error) => alone.push(error) });
  const takeMany = (target: RateLimiter, n: number, w = window) => Promise.all(Array.from({ length: n }, () => target.take(w)));
  const granted = (results: boolean[]) => results.filter(Boolean).length;

  beforeEach(() => {
    now = window * WINDOW_MS + 10;
    counters = new MemoryCounters();
    alone = [];
  });

  it('lets two workers together have the limit and no more per window, fetching in chunks', async () => {
    const [a, b] = [limiter(25), limiter(25)];
    const results = await Promise.all([takeMany(a, 30), takeMany(b, 30)]);
    expect(granted(results[0]) + granted(results[1])).toBe(25);
    expect(granted(results[0])).toBeGreaterThan(0);
    expect(granted(results[1])).toBeGreaterThan(0);
    // Chunks of 3 (a tenth of 25, rounded up), plus one answer each that the window is full.
    expect(counters.calls).toBeLessThanOrEqual(Math.ceil(25 / 3) + 2);
  });

  it('takes no more than the waiting sends need', async () => {
    const a = limiter(1_000);
    expect(await a.take(window)).toBe(true);
    expect(counters.counts.get(`org.abc.${window}`)).toBe(1);
  });

  it('starts each window afresh, and refuses a window that is over', async () => {
    const a = limiter(2);
    expect(granted(await takeMany(a, 3))).toBe(2);
    now += WINDOW_MS;
    expect(await a.take(window)).toBe(false);
    expect(granted(await takeMany(a, 3, window + 1))).toBe(2);
  });

  it('gives a token back to the sends of the same window only', async () => {
    const a = limiter(1);
    expect(await a.take(window)).toBe(true);
    a.giveBack(window);
    expect(await a.take(window)).toBe(true);
    expect(counters.counts.get(`org.abc.${window}`)).toBe(1);
  });

  it('fails open but bounded when the counters are unreachable: the limit per window from this worker alone, then the counters again', async () => {
    counters.failing = true;
    const a = limiter(10);
    expect(granted(await takeMany(a, 15))).toBe(10);
    expect(alone).toHaveLength(1);
    const callsWhenAlone = counters.calls;

    now += WINDOW_MS;
    expect(granted(await takeMany(a, 15, window + 1))).toBe(10);
    expect(counters.calls).toBe(callsWhenAlone);

    counters.failing = false;
    now += ALONE_FOR_MS;
    const later = window + 1 + ALONE_FOR_MS / WINDOW_MS;
    expect(granted(await takeMany(a, 15, later))).toBe(10);
    expect(counters.counts.get(`org.abc.${later}`)).toBe(10);
  });
});

describe('SendLimits', () => {
  it('answers at once when no limit is configured, without the counters', async () => {
    const counters = new MemoryCounters();
    const limits = new SendLimits(deliveryConfigSchema.parse(testBusEnv()), counters);
    expect(await limits.acquire({ orgId: 'o', channel: 'email', recipient: { supporterId: 's', language: 'en', contacts: { email: 'a@b.org' } } })).toEqual({ ok: true });
    expect(counters.calls).toBe(0);
  });

  it('gives up a waiting send when the worker shuts down, so its batch goes back to the queue', async () => {
    const limits = new SendLimits(deliveryConfigSchema.parse({ ...testBusEnv(), ORG_SEND_RATE_PER_SEC: '1' }), new MemoryCounters());
    const target = { orgId: 'o', channel: 'push' as const };
    expect(await limits.acquire(target)).toEqual({ ok: true });
    const waiting = limits.acquire(target);
    limits.onModuleDestroy();
    expect(await waiting).toEqual({ ok: false, reason: 'send rate limit: the worker stopped before a token came (organisation o)' });
  });
});

describe('providers and keys', () => {
  it('names the provider by the mail domain or the push service host', () => {
    expect(providerOf('email', { supporterId: 's', language: 'en', contacts: { email: 'Ada@GMail.com' } }, {})).toBe('gmail.com');
    const push = (endpoint: string) => ({ supporterId: 's', language: 'en', contacts: { push: { endpoint, expirationTime: null, keys: { p256dh: 'p', auth: 'a' } } } });
    expect(providerOf('push', push('https://fcm.googleapis.com/fcm/send/abc'), {})).toBe('fcm.googleapis.com');
    expect(providerOf('push', push('http://127.0.0.1:8090/push/abc'), {})).toBe('127.0.0.1:8090');
    expect(providerOf('push', push('not a url'), {})).toBeUndefined();
  });

  it('names the installation SMS gateway, whatever the number', () => {
    const sms = { supporterId: 's', language: 'en', contacts: { sms: '+33612345678' } };
    expect(providerOf('sms', sms, { SMS_API_BASE_URL: 'https://API.twilio.com/' })).toBe('api.twilio.com');
    expect(providerOf('sms', sms, {})).toBeUndefined();
  });

  it('escapes what a KV key token may not hold', () => {
    expect(keyPart('gmail.com')).toBe('gmail_2ecom');
    expect(keyPart('127.0.0.1:8090')).toBe('127_2e0_2e0_2e1_3a8090');
    expect(keyPart('bücher.de')).toBe('b_c3_bccher_2ede');
  });
});
