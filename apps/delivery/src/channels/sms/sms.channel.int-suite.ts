import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SmsProvider, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type SmsFault } from '@clarion/sinks';
import { SmsChannel, type SmsProviderSettings } from './sms.channel';

const API_KEY_SID = `SK${'3'.repeat(32)}`;

/** The adapter against the local provider over real HTTP: what it sends, and what it makes of each answer. */
describe('SmsChannel', () => {
  const faults = new Map<string, SmsFault>();
  let provider: SmsProvider;
  let settings: SmsProviderSettings;

  beforeAll(async () => {
    provider = await SmsProvider.start({ onMessage: (to) => faults.get(to), apiKeys: { [API_KEY_SID]: 'the-api-key-secret' } });
    settings = {
      baseUrl: provider.httpUrl,
      accountSid: TEST_ACCOUNT_SID,
      credentials: { user: TEST_ACCOUNT_SID, secret: TEST_AUTH_TOKEN },
      sender: { from: '+15005550006' },
      timeoutMs: 5_000,
    };
  });

  afterAll(() => provider.stop());

  beforeEach(() => {
    provider.clear();
    faults.clear();
  });

  it('sends the text in Twilio’s request shape and counts the 201 as sent', async () => {
    const channel = new SmsChannel(settings);
    const body = 'Rights & Co: Free the journalists ✊ https://clarion.example.org/c/abc.def';
    expect(await channel.send({ to: '+33612345678', body })).toEqual({ kind: 'sent' });
    expect(provider.messages()).toEqual([expect.objectContaining({ to: '+33612345678', from: '+15005550006', messagingServiceSid: null, body })]);
  });

  it('names its provider by the gateway’s host, as PROVIDER_SEND_RATES names it', () => {
    expect(new SmsChannel({ ...settings, baseUrl: 'https://API.Twilio.com/' }).providerHost).toBe('api.twilio.com');
    expect(new SmsChannel(settings).providerHost).toBe(new URL(provider.httpUrl).host);
  });

  it('sends through a Messaging Service, and copes with a base URL ending in a slash', async () => {
    const channel = new SmsChannel({ ...settings, baseUrl: `${provider.httpUrl}/`, sender: { messagingServiceSid: `MG${'2'.repeat(32)}` } });
    expect(await channel.send({ to: '+33612345678', body: 'hi' })).toEqual({ kind: 'sent' });
    expect(provider.messages()[0]).toMatchObject({ from: null, messagingServiceSid: `MG${'2'.repeat(32)}` });
  });

  it('suppresses an invalid number and one that is not a mobile', async () => {
    const channel = new SmsChannel(settings);
    expect(await channel.send({ to: '+0000', body: 'hi' })).toMatchObject({ kind: 'suppress', code: 21211 });
    faults.set('+33611111111', { status: 400, code: 21614, message: "'To' number is not a valid mobile number" });
    expect(await channel.send({ to: '+33611111111', body: 'hi' })).toMatchObject({ kind: 'suppress', code: 21614 });
    expect(provider.count).toBe(0);
  });

  it('suppresses a number that replied STOP to the provider (error 21610)', async () => {
    const webhook = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<Response></Response>'));
    await once(webhook.listen(0, '127.0.0.1'), 'listening');
    const { port } = webhook.address() as AddressInfo;
    try {
      await provider.reply('+33622222222', 'STOP', `http://127.0.0.1:${port}/webhooks/sms`);
      expect(await new SmsChannel(settings).send({ to: '+33622222222', body: 'hi' })).toMatchObject({ kind: 'suppress', code: 21610 });
    } finally {
      webhook.close();
    }
  });

  it('retries after the provider’s Retry-After on 429, and on 5xx', async () => {
    const channel = new SmsChannel(settings);
    faults.set('+33600000429', { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 12 });
    faults.set('+33600000503', { status: 503, code: 20503, message: 'Service Unavailable' });
    expect(await channel.send({ to: '+33600000429', body: 'hi' })).toEqual({
      kind: 'retry',
      reason: 'SMS provider answered 429 (error 20429): Too Many Requests',
      retryAfterMs: 12_000,
    });
    expect(await channel.send({ to: '+33600000503', body: 'hi' })).toMatchObject({ kind: 'retry', reason: 'SMS provider answered 503 (error 20503): Service Unavailable' });
  });

  it('authenticates with an API key instead of the account’s auth token', async () => {
    const channel = new SmsChannel({ ...settings, credentials: { user: API_KEY_SID, secret: 'the-api-key-secret' } });
    expect(await channel.send({ to: '+33612345678', body: 'hi' })).toEqual({ kind: 'sent' });
  });

  it('retries, never suppresses, when its own credentials are wrong', async () => {
    const channel = new SmsChannel({ ...settings, credentials: { user: API_KEY_SID, secret: TEST_AUTH_TOKEN } });
    expect(await channel.send({ to: '+33612345678', body: 'hi' })).toMatchObject({ kind: 'retry', reason: expect.stringContaining('401 (error 20003)') });
    expect(provider.count).toBe(0);
  });

  it('gives up on a provider that never answers after its timeout, as a retry', async () => {
    faults.set('+33600000000', 'hang');
    const channel = new SmsChannel({ ...settings, timeoutMs: 200 });
    expect(await channel.send({ to: '+33600000000', body: 'hi' })).toEqual({ kind: 'retry', reason: expect.stringMatching(/^SMS provider unreachable: .*timeout/i) });
  });

  it('retries when nothing listens at the base URL', async () => {
    const gone = await SmsProvider.start();
    const baseUrl = gone.httpUrl;
    await gone.stop();
    const channel = new SmsChannel({ ...settings, baseUrl });
    expect(await channel.send({ to: '+33612345678', body: 'hi' })).toEqual({ kind: 'retry', reason: expect.stringContaining('ECONNREFUSED') });
  });
});
