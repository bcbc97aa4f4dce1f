import { gatewayConfigSchema } from '@clarion/config';
import type { CounterTake, WindowCounters } from '@clarion/messaging';
import { testBusEnv } from '@clarion/testing';
import { ALONE_FOR_MS, ClientLimits, WINDOW_MS } from './client-limits';
import { crossSiteRefusal, limitScopeOf, postsOwnForm } from './request-guards';

/** The shared counters in memory, as the NATS KV bucket keeps them, minus the network; `down` makes every take fail. */
class MemoryCounters implements WindowCounters {
  readonly counts = new Map<string, number>();
  down = false;

  async take(key: string, want: number, limit: number): Promise<CounterTake> {
    if (this.down) throw new Error('NATS KV did not answer');
    const count = this.counts.get(key) ?? 0;
    const granted = Math.max(0, Math.min(want, limit - count));
    this.counts.set(key, count + granted);
    return { granted, full: count + granted >= limit, seen: { revision: 0, count: count + granted } };
  }
}

function limits(env: Record<string, string>, counters: WindowCounters, clock: { now: number }) {
  const config = gatewayConfigSchema.parse({ ...testBusEnv('gateway'), ...env });
  return new ClientLimits(config, counters, () => clock.now);
}

describe('per-client limits', () => {
  const minute = 29_000_000;
  it('lets the limit through in a minute, then refuses with the seconds until the next minute, which starts afresh', async () => {
    const clock = { now: minute * WINDOW_MS + 15_000 };
    const counters = new MemoryCounters();
    const gateway = limits({ PUBLIC_WRITES_PER_MINUTE: '3' }, counters, clock);
    for (let i = 0; i < 3; i++) await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: true });
    await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: false, retryAfterSeconds: 45 });
    // Another address, and the API, count apart.
    await expect(gateway.take('public', '203.0.113.10')).resolves.toEqual({ ok: true });
    await expect(gateway.take('api', '203.0.113.9')).resolves.toEqual({ ok: true });
    clock.now = (minute + 1) * WINDOW_MS;
    await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: true });
  });

  it('shares one count between gateways through the counters', async () => {
    const clock = { now: minute * WINDOW_MS };
    const counters = new MemoryCounters();
    const [one, two] = [limits({ PUBLIC_WRITES_PER_MINUTE: '2' }, counters, clock), limits({ PUBLIC_WRITES_PER_MINUTE: '2' }, counters, clock)];
    await expect(one.take('public', '2001:db8::1')).resolves.toEqual({ ok: true });
    await expect(two.take('public', '2001:db8::1')).resolves.toEqual({ ok: true });
    await expect(one.take('public', '2001:db8::1')).resolves.toMatchObject({ ok: false });
    expect([...counters.counts.keys()]).toEqual([`public.2001_3adb8_3a_3a1.${minute}`]);
  });

  it('limits nothing at 0', async () => {
    const counters = new MemoryCounters();
    const gateway = limits({ API_REQUESTS_PER_MINUTE: '0' }, counters, { now: 0 });
    for (let i = 0; i < 5; i++) await expect(gateway.take('api', '203.0.113.9')).resolves.toEqual({ ok: true });
    expect(counters.counts.size).toBe(0);
  });

  it('counts alone, still bounded, while the shared counters are away, and goes back to them after 10 s', async () => {
    const clock = { now: minute * WINDOW_MS };
    const counters = new MemoryCounters();
    const gateway = limits({ PUBLIC_WRITES_PER_MINUTE: '2' }, counters, clock);
    counters.down = true;
    await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: true });
    await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: true });
    await expect(gateway.take('public', '203.0.113.9')).resolves.toMatchObject({ ok: false });
    counters.down = false;
    clock.now += ALONE_FOR_MS;
    await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: true });
    expect(counters.counts.get(`public.203_2e0_2e113_2e9.${minute}`)).toBe(1);
  });
});

describe('per-client limits when the shared counters stop answering mid-minute', () => {
  it('counts alone from where the shared count was, so a slow round trip gives no second allowance', async () => {
    const minute = 29_000_000;
    const clock = { now: minute * WINDOW_MS };
    const counters = new MemoryCounters();
    const gateway = limits({ PUBLIC_WRITES_PER_MINUTE: '3' }, counters, clock);
    await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: true });
    await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: true });
    counters.down = true;
    await expect(gateway.take('public', '203.0.113.9')).resolves.toEqual({ ok: true });
    await expect(gateway.take('public', '203.0.113.9')).resolves.toMatchObject({ ok: false });
  });
});

describe('what is limited', () => {
  it('counts the public writes and the API, not pages, assets or health', () => {
    expect(limitScopeOf('POST', '/join/some-org')).toBe('public');
    expect(limitScopeOf('GET', '/join/confirm/abc.def')).toBe('public');
    expect(limitScopeOf('POST', '/u/abc')).toBe('public');
    expect(limitScopeOf('POST', '/p/abc')).toBe('public');
    expect(limitScopeOf('POST', '/join/some-org/push/renew')).toBe('public');
    expect(limitScopeOf('POST', '/join/some-org/code')).toBe('public');
    expect(limitScopeOf('GET', '/p/abc/export')).toBe('public');
    expect(limitScopeOf('POST', '/p/abc/erase')).toBe('public');
    expect(limitScopeOf('GET', '/api/v1/organisations')).toBe('api');
    for (const [method, path] of [['GET', '/join/some-org'], ['GET', '/u/abc'], ['GET', '/p/abc'], ['GET', '/static/join.js'], ['GET', '/health'], ['GET', '/api/docs']]) {
      expect(limitScopeOf(method, path)).toBeUndefined();
    }
  });
});

describe('cross-site requests', () => {
  it('are checked on our own forms: join, preferences and erasure', () => {
    for (const path of ['/join/some-org', '/join/some-org/code', '/p/abc', '/p/abc/erase']) expect(postsOwnForm('POST', path)).toBe(true);
    for (const [method, path] of [['POST', '/u/abc'], ['GET', '/p/abc/erase'], ['POST', '/join/some-org/push/renew']]) expect(postsOwnForm(method, path)).toBe(false);
  });

  const origin = 'https://clarion.example';
  const request = (headers: Record<string, string>) => ({ get: (name: string) => headers[name.toLowerCase()] }) as Parameters<typeof crossSiteRefusal>[0];

  it('serves our own pages’ posts, and clients that are not browsers', () => {
    expect(crossSiteRefusal(request({ 'sec-fetch-site': 'same-origin', origin }), origin)).toBeUndefined();
    expect(crossSiteRefusal(request({ 'sec-fetch-site': 'none' }), origin)).toBeUndefined();
    expect(crossSiteRefusal(request({ origin }), origin)).toBeUndefined();
    expect(crossSiteRefusal(request({}), origin)).toBeUndefined();
  });

  it('refuses a post another site (or a sibling subdomain, or a sandboxed frame) made', () => {
    expect(crossSiteRefusal(request({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }), origin)).toMatch(/refused/);
    expect(crossSiteRefusal(request({ 'sec-fetch-site': 'same-site', origin: 'https://evil.clarion.example' }), origin)).toMatch(/refused/);
    expect(crossSiteRefusal(request({ origin: 'https://evil.example' }), origin)).toMatch(/refused/);
    expect(crossSiteRefusal(request({ origin: 'null' }), origin)).toMatch(/refused/);
    expect(crossSiteRefusal(request({ origin: 'http://clarion.example' }), origin)).toMatch(/refused/);
  });
});
