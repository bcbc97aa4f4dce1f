import { createServer, type Server } from 'node:http';
import { readInboundSms } from '@clarion/channels';
import { closeHttpServer, listen, readBody } from './http-util';
import { SmsProvider, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type SmsFault } from './sms-provider';

const AUTH = `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}`;

describe('SmsProvider', () => {
  const faults = new Map<string, SmsFault>();
  let provider: SmsProvider;

  beforeAll(async () => {
    provider = await SmsProvider.start({ onMessage: (to) => faults.get(to) });
  });

  afterAll(() => provider.stop());

  beforeEach(() => {
    provider.clear();
    faults.clear();
  });

  function send(fields: Record<string, string>, authorization = AUTH, account = TEST_ACCOUNT_SID) {
    return fetch(`${provider.httpUrl}/2010-04-01/Accounts/${account}/Messages.json`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
  }

  it('accepts a text as Twilio does (201, the message resource) and keeps it for tests and over HTTP', async () => {
    const res = await send({ To: '+33612345678', From: '+15005550006', Body: 'Rights & Co: Free the journalists' });
    expect(res.status).toBe(201);
    const resource = (await res.json()) as { sid: string; status: string; to: string; account_sid: string };
    expect(resource).toMatchObject({ status: 'queued', to: '+33612345678', account_sid: TEST_ACCOUNT_SID });
    expect(resource.sid).toMatch(/^SM[0-9a-f]{32}$/);
    await provider.waitForCount(1);
    expect(provider.messages('+33612345678')).toEqual([expect.objectContaining({ sid: resource.sid, from: '+15005550006', body: 'Rights & Co: Free the journalists' })]);
    const overHttp = (await (await fetch(`${provider.httpUrl}/messages?to=%2B33612345678`)).json()) as unknown[];
    expect(overHttp).toHaveLength(1);
    expect(await (await fetch(`${provider.httpUrl}/messages/count`)).json()).toEqual({ count: 1 });
  });

  it('takes a Messaging Service instead of a From number', async () => {
    expect((await send({ To: '+33612345678', MessagingServiceSid: `MG${'1'.repeat(32)}`, Body: 'hi' })).status).toBe(201);
    expect(provider.messages()[0]).toMatchObject({ from: null, messagingServiceSid: `MG${'1'.repeat(32)}` });
  });

  it('refuses other credentials, or another account’s path, with 401 and error 20003', async () => {
    const wrongToken = `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:nope`).toString('base64')}`;
    for (const res of [await send({ To: '+33612345678', From: '+15005550006', Body: 'x' }, wrongToken), await send({ To: '+33612345678', From: '+15005550006', Body: 'x' }, AUTH, `AC${'9'.repeat(32)}`)]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 20003 });
    }
    expect(provider.count).toBe(0);
  });

  it('refuses a request missing a field, an invalid To, or a body over 1600 characters, with Twilio’s codes', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ From: '+15005550006', Body: 'x' }, 21604],
      [{ To: '0612345678', From: '+15005550006', Body: 'x' }, 21211],
      [{ To: '+33612345678', Body: 'x' }, 21603],
      [{ To: '+33612345678', From: '+15005550006' }, 21602],
      [{ To: '+33612345678', From: '+15005550006', Body: 'x'.repeat(1601) }, 21617],
    ];
    for (const [fields, code] of cases) {
      const res = await send(fields);
      expect([res.status, await res.json()]).toEqual([400, expect.objectContaining({ code, status: 400 })]);
    }
    expect(provider.count).toBe(0);
  });

  it('answers with the scripted fault for a number: a status, a Twilio code, Retry-After', async () => {
    faults.set('+33600000429', { status: 429, code: 20429, retryAfter: 7 });
    const res = await send({ To: '+33600000429', From: '+15005550006', Body: 'x' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ code: 20429 });
    expect(provider.count).toBe(0);
  });

  it('posts a reply to the webhook, signed so that the installation’s own check accepts it, and honours STOP itself as Twilio does', async () => {
    const received: { verdict: ReturnType<typeof readInboundSms> }[] = [];
    const webhook: Server = createServer((req, res) => {
      void readBody(req, 64 * 1024).then((body) => {
        received.push({ verdict: readInboundSms({ contentType: req.headers['content-type'], signature: req.headers['x-twilio-signature'] as string, body }, settings) });
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<Response></Response>');
      });
    });
    const port = await listen(webhook, 0, '127.0.0.1');
    const webhookUrl = `http://127.0.0.1:${port}/webhooks/sms/twilio?org=demo`;
    const settings = { webhookUrl, accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN };
    try {
      const answer = await provider.reply('+33612345678', 'STOP', webhookUrl);
      expect(answer).toEqual({ status: 200, contentType: 'text/xml', body: '<Response></Response>' });
      expect(received[0].verdict).toMatchObject({ ok: true, action: { kind: 'opt-out', from: '+33612345678', to: provider.number } });

      const blocked = await send({ To: '+33612345678', From: '+15005550006', Body: 'x' });
      expect([blocked.status, await blocked.json()]).toEqual([400, expect.objectContaining({ code: 21610 })]);

      await provider.reply('+33612345678', 'start', webhookUrl);
      expect(received[1].verdict).toMatchObject({ ok: true, action: { kind: 'opt-in' } });
      expect((await send({ To: '+33612345678', From: '+15005550006', Body: 'x' })).status).toBe(201);
    } finally {
      await closeHttpServer(webhook);
    }
  });

  it('posts a reply asked for over HTTP, and refuses a malformed ask', async () => {
    const refused = await fetch(`${provider.httpUrl}/replies`, { method: 'POST', body: JSON.stringify({ from: '0612', body: 'STOP' }) });
    expect(refused.status).toBe(400);
    const nowhere = await fetch(`${provider.httpUrl}/replies`, { method: 'POST', body: JSON.stringify({ from: '+33612345678', body: 'STOP' }) });
    expect([nowhere.status, await nowhere.json()]).toEqual([500, { error: 'the SMS provider has no webhookUrl to post replies to' }]);
  });

  it('holds a hanging send until stop, which also ends any wait for texts', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const hanging = await SmsProvider.start({
      onMessage: () => {
        arrived();
        return 'hang';
      },
    });
    const request = fetch(`${hanging.httpUrl}/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: '+33612345678', From: '+15005550006', Body: 'x' }),
    });
    const waiting = expect(hanging.waitForCount(1, 60_000)).rejects.toThrow('stopped waiting for 1 text messages: the SMS provider stopped; received 0');
    const answered = expect(request).rejects.toThrow();
    await arrival;
    await hanging.stop();
    await Promise.all([waiting, answered]);
  });
});
