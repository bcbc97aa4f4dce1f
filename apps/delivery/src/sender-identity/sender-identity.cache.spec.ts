import { testBusEnv } from '@clarion/testing';
import { deliveryConfigSchema } from '@clarion/config';
import type { SenderIdentityView } from '@clarion/contracts';
import { Unavailable } from '@clarion/errors';
import type { RpcClient } from '@clarion/messaging';
import { SenderIdentityCache } from './sender-identity.cache';

const ORG = '0123456789abcdef01234567';
const identity = (senderName: string): SenderIdentityView => ({
  orgId: ORG,
  senderName,
  vapid: { publicKey: 'public', privateKey: 'private', subject: 'mailto:alerts@example.org' },
});

/** subscriptions as delivery meets it over NATS: answering with the identity it holds now, or not at all. */
function subscriptions() {
  const state = { up: true, senderName: 'Rights Watch', asked: 0 };
  const rpc = {
    request: async () => {
      state.asked++;
      if (!state.up) throw new Unavailable('subscriptions did not answer');
      return identity(state.senderName);
    },
  } as unknown as RpcClient;
  return { state, rpc };
}

describe('SenderIdentityCache', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-29T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  const config = (env: Record<string, string> = {}) => deliveryConfigSchema.parse({ ...testBusEnv(), SENDER_IDENTITY_TTL_MS: '60000', SENDER_IDENTITY_STALE_MS: '600000', ...env });

  it('asks subscriptions once a minute per organisation', async () => {
    const { state, rpc } = subscriptions();
    const cache = new SenderIdentityCache(rpc, config());
    await cache.get(ORG);
    await cache.get(ORG);
    expect(state.asked).toBe(1);
    state.senderName = 'Rights Watch Kenya';
    jest.advanceTimersByTime(60_000);
    expect((await cache.get(ORG)).senderName).toBe('Rights Watch Kenya');
    expect(state.asked).toBe(2);
  });

  it('sends on with the identity last had while subscriptions is away, for as long as allowed', async () => {
    const { state, rpc } = subscriptions();
    const cache = new SenderIdentityCache(rpc, config());
    await cache.get(ORG);
    state.up = false;
    jest.advanceTimersByTime(5 * 60_000);
    expect((await cache.get(ORG)).senderName).toBe('Rights Watch');
    jest.advanceTimersByTime(10 * 60_000);
    await expect(cache.get(ORG)).rejects.toThrow('subscriptions did not answer');
  });

  it('never uses an old identity when that is turned off, and knows none it never had', async () => {
    const { state, rpc } = subscriptions();
    const cache = new SenderIdentityCache(rpc, config({ SENDER_IDENTITY_STALE_MS: '0' }));
    await cache.get(ORG);
    state.up = false;
    jest.advanceTimersByTime(60_000);
    await expect(cache.get(ORG)).rejects.toThrow('subscriptions did not answer');
    await expect(new SenderIdentityCache(rpc, config()).get(ORG)).rejects.toThrow('subscriptions did not answer');
  });
});
