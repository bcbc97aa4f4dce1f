import webpush from 'web-push';
import { PlaintextPushAgent } from '@clarion/security';
import { PushService, type PushMessage, type PushSubscriptionJson } from './push-service';

const keys = webpush.generateVAPIDKeys();
const vapidDetails = { subject: 'mailto:ops@example.org', publicKey: keys.publicKey, privateKey: keys.privateKey };

describe('PushService', () => {
  // web-push only speaks https; see PlaintextPushAgent.
  const agent = new PlaintextPushAgent();
  const hanging = new Set<string>();
  let service: PushService;

  beforeAll(async () => {
    service = await PushService.start({ onPush: (id) => (hanging.has(id) ? 'hang' : undefined) });
  });

  afterAll(async () => {
    agent.destroy();
    await service.stop();
  });

  async function subscribeOverHttp(label: string): Promise<{ id: string; subscription: PushSubscriptionJson }> {
    const res = await fetch(`${service.httpUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label }),
    });
    expect(res.status).toBe(201);
    const location = res.headers.get('location') ?? '';
    return { id: location.slice(location.lastIndexOf('/') + 1), subscription: (await res.json()) as PushSubscriptionJson };
  }

  it('accepts a push from web-push and reads back the decrypted payload', async () => {
    const { id, subscription } = await subscribeOverHttp('ada');
    expect(subscription).toEqual({ endpoint: `${service.httpUrl}/push/${id}`, expirationTime: null, keys: expect.any(Object) });
    expect(Buffer.from(subscription.keys.p256dh, 'base64url')).toHaveLength(65);
    expect(Buffer.from(subscription.keys.auth, 'base64url')).toHaveLength(16);

    const alert = { alertId: 'alrt-1', title: 'Flood warning', body: 'Move to higher ground' };
    const result = await webpush.sendNotification(subscription, JSON.stringify(alert), { vapidDetails, TTL: 60, urgency: 'high', agent });
    expect(result.statusCode).toBe(201);
    expect(result.headers.location).toMatch(new RegExp(`^${service.httpUrl}/messages/`));

    const res = await fetch(`${service.httpUrl}/messages?subscription=${id}`);
    const messages = (await res.json()) as PushMessage[];
    expect(messages).toEqual([
      expect.objectContaining({
        subscriptionId: id,
        label: 'ada',
        ttl: 60,
        urgency: 'high',
        topic: null,
        payload: JSON.stringify(alert),
        json: alert,
        vapidSubject: 'mailto:ops@example.org',
        vapidPublicKey: keys.publicKey,
      }),
    ]);
    expect(await (await fetch(String(result.headers.location))).json()).toEqual(messages[0]);
  });

  it('answers 403 when the JWT is not signed by the key in k', async () => {
    const { subscription } = service.createSubscription();
    const otherKey = webpush.generateVAPIDKeys().publicKey;
    const sending = webpush.sendNotification(subscription, 'x', { vapidDetails: { ...vapidDetails, publicKey: otherKey }, TTL: 60, agent });
    await expect(sending).rejects.toMatchObject({ statusCode: 403, body: expect.stringContaining('signature does not verify') });
  });

  it('answers 400 without a TTL header and 401 without VAPID', async () => {
    const { subscription } = service.createSubscription();
    const request = webpush.generateRequestDetails(subscription, 'hello', { vapidDetails, TTL: 60 });
    const headers = { ...request.headers };
    // fetch computes the length itself.
    delete headers['Content-Length'];
    delete headers.TTL;

    const noTtl = await fetch(request.endpoint, { method: 'POST', headers, body: request.body });
    expect(noTtl.status).toBe(400);
    expect(await noTtl.json()).toEqual({ error: expect.stringContaining('TTL') });

    expect(headers.Authorization).toMatch(/^vapid t=/);
    delete headers.Authorization;
    const noAuth = await fetch(request.endpoint, { method: 'POST', headers: { ...headers, TTL: '60' }, body: request.body });
    expect(noAuth.status).toBe(401);
  });

  it('answers 410 Gone once the subscription is deleted', async () => {
    const { id, subscription } = await subscribeOverHttp('leaver');
    expect((await fetch(`${service.httpUrl}/subscriptions/${id}`, { method: 'DELETE' })).status).toBe(204);
    await expect(webpush.sendNotification(subscription, 'bye', { vapidDetails, TTL: 60, agent })).rejects.toMatchObject({ statusCode: 410 });
  });

  it("holds a push the hook says to 'hang' until the sender times out", async () => {
    const { id, subscription } = service.createSubscription();
    hanging.add(id);
    const before = service.count;
    await expect(webpush.sendNotification(subscription, 'stuck', { vapidDetails, TTL: 60, agent, timeout: 300 })).rejects.toThrow('Socket timeout');
    expect(service.count).toBe(before);
  });

  it('in sample mode counts every push but decrypts and stores only every 50th', async () => {
    const sampling = await PushService.start({ decrypt: 'sample' });
    try {
      const { subscription } = sampling.createSubscription();
      for (let i = 0; i < 3; i += 1) {
        await webpush.sendNotification(subscription, `n${i}`, { vapidDetails, TTL: 0, agent });
      }
      await sampling.waitForCount(3, 5_000);
      expect(sampling.messages().map((message) => message.payload)).toEqual(['n0']);
      expect(await (await fetch(`${sampling.httpUrl}/messages/count`)).json()).toEqual({ count: 3 });
    } finally {
      await sampling.stop();
    }
  });
});
