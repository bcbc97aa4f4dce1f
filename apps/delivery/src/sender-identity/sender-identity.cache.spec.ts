import { testBusEnv } from '@clarion/testing';
import { deliveryConfigSchema } from '@clarion/config';
import type { SenderIdentityView } from '@clarion/contracts';
import { Unavailable } from '@clarion/errors';
import type { RpcClient } from '@clarion/messaging';
import { newSealingKeyPair, sealSmtpUrl, sealVapidPrivateKey, SealedSecretError, SecretOpener, SecretSealer } from '@clarion/security';
import { SenderIdentityCache } from './sender-identity.cache';

const ORG = '0123456789abcdef01234567';
const OTHER_ORG = '76543210fedcba9876543210';
const SMTP_URL = 'smtps://alerts%40rights.example:pa%24%24word@mail.rights.example:465';
const deliveryKey = newSealingKeyPair();
const opener = new SecretOpener(deliveryKey.privateKeyPem);

/** What subscriptions answers: the secrets sealed to `sealedTo` (delivery's key) for `sealedFor` (the organisation). */
const identity = (senderName: string, sealedTo = deliveryKey.publicKey, sealedFor = ORG): SenderIdentityView => {
  const sealer = new SecretSealer(sealedTo);
  return {
    orgId: ORG,
    senderName,
    vapid: { publicKey: 'public', privateKeySealed: sealVapidPrivateKey(sealer, sealedFor, 'private'), subject: 'mailto:alerts@example.org' },
    smtp: { ...sealSmtpUrl(sealer, sealedFor, SMTP_URL), from: 'alerts@rights.example' },
  };
};

/** subscriptions as delivery meets it over NATS: answering with the identity it holds now, or not at all. */
function subscriptions() {
  const state = { up: true, senderName: 'Rights Watch', asked: 0, answer: identity };
  const rpc = {
    request: async () => {
      state.asked++;
      if (!state.up) throw new Unavailable('subscriptions did not answer');
      return state.answer(state.senderName);
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
    const cache = new SenderIdentityCache(rpc, opener, config());
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
    const cache = new SenderIdentityCache(rpc, opener, config());
    await cache.get(ORG);
    state.up = false;
    jest.advanceTimersByTime(5 * 60_000);
    expect((await cache.get(ORG)).senderName).toBe('Rights Watch');
    jest.advanceTimersByTime(10 * 60_000);
    await expect(cache.get(ORG)).rejects.toThrow('subscriptions did not answer');
  });

  it('never uses an old identity when that is turned off, and knows none it never had', async () => {
    const { state, rpc } = subscriptions();
    const cache = new SenderIdentityCache(rpc, opener, config({ SENDER_IDENTITY_STALE_MS: '0' }));
    await cache.get(ORG);
    state.up = false;
    jest.advanceTimersByTime(60_000);
    await expect(cache.get(ORG)).rejects.toThrow('subscriptions did not answer');
    await expect(new SenderIdentityCache(rpc, opener, config()).get(ORG)).rejects.toThrow('subscriptions did not answer');
  });

  it('opens the sealed secrets with delivery’s key', async () => {
    const { rpc } = subscriptions();
    const opened = await new SenderIdentityCache(rpc, opener, config()).get(ORG);
    expect(opened).toEqual({
      orgId: ORG,
      senderName: 'Rights Watch',
      vapid: { publicKey: 'public', privateKey: 'private', subject: 'mailto:alerts@example.org' },
      smtp: { url: SMTP_URL, from: 'alerts@rights.example' },
    });
  });

  it('refuses secrets sealed to another key or for another organisation, and sends with none of them', async () => {
    const { state, rpc } = subscriptions();
    const cache = new SenderIdentityCache(rpc, opener, config());
    const stranger = newSealingKeyPair().publicKey;
    state.answer = (name) => identity(name, stranger);
    await expect(cache.get(ORG)).rejects.toThrow(SealedSecretError);
    // Another organisation's sealed secrets, handed over as this one's.
    state.answer = (name) => identity(name, deliveryKey.publicKey, OTHER_ORG);
    await expect(cache.get(ORG)).rejects.toThrow('cannot be opened');
    const reply = identity('Rights Watch');
    state.answer = () => ({ ...reply, orgId: OTHER_ORG });
    await expect(cache.get(ORG)).rejects.toThrow(`got ${OTHER_ORG}'s`);
  });
});
