import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import mongoose, { type Connection } from 'mongoose';
import { Webhook } from 'standardwebhooks';
import type { SmtpSink } from '@clarion/sinks';
import { http, type Network } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, joinAndFind, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { standardNetwork } from '../support/standard-network';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

/**
 * A webhook receiver as an organisation's CRM would run it: it verifies each
 * post with the reference Standard Webhooks implementation (the npm
 * `standardwebhooks` package, not the code that signed) against the secret
 * it was given, and answers as its path says: /ok 204, /flaky 503 three
 * times and then 204.
 */
class Receiver {
  readonly received: Received[] = [];
  private flakyFailuresLeft = 3;
  private server!: Server;
  origin!: string;

  /** Listens at `origin`, the one the network posts webhooks to over plain http. */
  async start(origin: string): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let status = 204;
        if (req.url === '/flaky' && this.flakyFailuresLeft > 0) {
          this.flakyFailuresLeft -= 1;
          status = 503;
        }
        this.received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status).end();
      });
    });
    const { hostname, port } = new URL(origin);
    await new Promise<void>((resolve, reject) => this.server.once('error', reject).listen(Number(port), hostname, resolve));
    this.origin = origin;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  ofType(path: string, type: string): Received[] {
    return this.at(path).filter((r) => (JSON.parse(r.body) as { type: string }).type === type);
  }
}

/** The reference verifier's answer: the payload, or it throws. */
function verify(secret: string, post: Received): unknown {
  return new Webhook(secret).verify(post.body, post.headers as Record<string, string>);
}

/**
 * Signed outbound webhooks, over HTTP with every service a process: a
 * coalition and a member organisation register endpoints; publishing,
 * relaying and cancelling an alert reach them signed the Standard Webhooks
 * way; a receiver that fails three times gets its event later, exactly once;
 * a rotated secret signs beside the old one; and the routes refuse other
 * tenants, supporter events for a coalition, and private or malformed URLs.
 */
describe('signed outbound webhooks', () => {
  const net = standardNetwork();
  let network: Network;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let deliveryDb: Connection;
  let admin: Api;
  let coalition: Coalition;
  let org: Org;
  let otherOrg: Org;
  let coalitionHook: { id: string; secret: string };
  let orgHook: { id: string; secret: string };
  let supporterHook: { id: string; secret: string };
  const supporterEmail = `webhook-supporter-${process.pid}@example.org`;
  let supporterId: string;
  let alertId: string;

  beforeAll(async () => {
    ({ network, smtp } = net);
    receiver = new Receiver();
    await receiver.start(net.webhookReceiverOrigin);
    deliveryDb = await mongoose.createConnection(net.databaseUrl('delivery')).asPromise();
    admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin);
    [org, otherOrg] = await Promise.all([createOrg(admin, 'Webhook Org'), createOrg(admin, 'Other Webhook Org')]);
    await subscribe(coalition, org, { channels: ['email'], relayPolicy: { mode: 'auto' } });
  }, 120_000);

  afterAll(async () => {
    await deliveryDb?.close();
    await receiver?.stop();
  });

  it('registers endpoints, each secret shown once as whsec_', async () => {
    const created = expectStatus(
      await coalition.coordinator.post(`/coalitions/${coalition.id}/webhooks`, {
        url: `${receiver.origin}/ok`,
        eventTypes: ['alert.published', 'alert.cancelled', 'relay.decided'],
        description: 'coalition CRM',
      }),
      201,
    ).body;
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.endpoint).toMatchObject({ owner: { kind: 'coalition', id: coalition.id }, disabled: false, secrets: [{ createdAt: expect.any(String) }] });
    coalitionHook = { id: created.endpoint.id, secret: created.secret };

    const own = expectStatus(
      await org.admin.post(`/organisations/${org.id}/webhooks`, { url: `${receiver.origin}/flaky`, eventTypes: ['relay.decided', 'alert.cancelled'] }),
      201,
    ).body;
    orgHook = { id: own.endpoint.id, secret: own.secret };

    const supporters = expectStatus(
      await org.admin.post(`/organisations/${org.id}/webhooks`, {
        url: `${receiver.origin}/supporters`,
        eventTypes: ['supporter.joined', 'supporter.confirmed', 'supporter.unsubscribed', 'supporter.erased'],
      }),
      201,
    ).body;
    supporterHook = { id: supporters.endpoint.id, secret: supporters.secret };

    const listed = expectStatus(await org.editor.get(`/organisations/${org.id}/webhooks`), 200).body;
    expect(listed).toEqual([own.endpoint, supporters.endpoint]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
  });

  it('tells the organisation a supporter joined and confirmed, by id only', async () => {
    supporterId = await joinAndFind(network.gatewayUrl, org, { email: supporterEmail, language: 'en' });
    const joined = await eventually('supporter.joined', async () => receiver.ofType('/supporters', 'supporter.joined')[0], 20_000);
    expect(verify(supporterHook.secret, joined)).toEqual({ type: 'supporter.joined', timestamp: expect.any(String), data: { orgId: org.id, supporterId, channels: ['email'] } });

    const confirmation = await eventually('the confirmation email', async () => smtp.messages().find((m) => m.to.includes(supporterEmail)), 20_000);
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)![0];
    expectStatus(await http('GET', confirmUrl), 200);
    const confirmed = await eventually('supporter.confirmed', async () => receiver.ofType('/supporters', 'supporter.confirmed')[0], 20_000);
    expect(verify(supporterHook.secret, confirmed)).toMatchObject({ type: 'supporter.confirmed', data: { orgId: org.id, supporterId, channels: ['email'] } });
    smtp.clear();
  });

  it('posts published and decided events, every one verified by the reference implementation', async () => {
    alertId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body.id;
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`, {}), 200);

    const published = await eventually('alert.published at the coalition endpoint', async () => receiver.ofType('/ok', 'alert.published')[0], 20_000);
    expect(verify(coalitionHook.secret, published)).toMatchObject({ type: 'alert.published', data: { alertId, coalitionId: coalition.id, version: 1 } });
    const decided = await eventually('relay.decided at the coalition endpoint', async () => receiver.ofType('/ok', 'relay.decided')[0], 20_000);
    expect(verify(coalitionHook.secret, decided)).toMatchObject({ type: 'relay.decided', data: { alertId, orgId: org.id, decision: 'approved', decidedBy: 'auto' } });
    // Another endpoint's secret does not verify it.
    expect(() => verify(orgHook.secret, decided)).toThrow();
    // The relay reached the supporter before anything below cancels the alert.
    await eventually('the alert at the supporter', async () => smtp.messages().find((m) => m.to.includes(supporterEmail)), 30_000);
  });

  it('gets a webhook to a receiver that failed three times, later, exactly once', async () => {
    const log = await eventually(
      'the organisation endpoint’s relay.decided delivered',
      async () => {
        const entries = expectStatus(await org.admin.get(`/webhooks/${orgHook.id}/deliveries`), 200).body as { state: string; eventType: string; messageId: string; attempts: { status?: number }[] }[];
        return entries.find((e) => e.eventType === 'relay.decided' && e.state === 'delivered');
      },
      20_000,
    );
    expect(log.attempts.map((a) => a.status)).toEqual([503, 503, 503, 204]);

    const posts = receiver.ofType('/flaky', 'relay.decided');
    expect(posts.map((p) => p.status)).toEqual([503, 503, 503, 204]);
    // The same webhook every time: one id, each post signed and verified.
    expect(new Set(posts.map((p) => p.headers['webhook-id']))).toEqual(new Set([log.messageId]));
    for (const post of posts) expect(verify(orgHook.secret, post)).toMatchObject({ type: 'relay.decided', data: { orgId: org.id, alertId } });
  });

  it('signs with the old and the new secret while a rotation overlaps, and the cancellation reaches both owners', async () => {
    const rotated = expectStatus(await coalition.coordinator.post(`/webhooks/${coalitionHook.id}/rotate-secret`, { overlapSeconds: 3600 }), 200).body;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(coalitionHook.secret);
    expect(rotated.endpoint.secrets).toHaveLength(2);
    expect(rotated.endpoint.secrets[0].expiresAt).toEqual(expect.any(String));

    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/cancel`, { reason: 'Resolved' }), 200);
    const cancelled = await eventually('alert.cancelled at the coalition endpoint', async () => receiver.ofType('/ok', 'alert.cancelled')[0], 20_000);
    expect(String(cancelled.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(coalitionHook.secret, cancelled)).toMatchObject({ type: 'alert.cancelled', data: { alertId, reason: 'Resolved' } });
    expect(verify(rotated.secret, cancelled)).toMatchObject({ type: 'alert.cancelled', data: { alertId } });

    // The organisation hears of it through its own relay.
    const relayCancelled = await eventually('alert.cancelled at the organisation endpoint', async () => receiver.ofType('/flaky', 'alert.cancelled')[0], 20_000);
    expect(verify(orgHook.secret, relayCancelled)).toMatchObject({ type: 'alert.cancelled', data: { alertId, coalitionId: coalition.id } });

    // By now the flaky receiver's relay.decided has had every chance to come again: it did not.
    expect(receiver.ofType('/flaky', 'relay.decided').filter((p) => p.status === 204)).toHaveLength(1);
    expect(receiver.ofType('/flaky', 'relay.decided')).toHaveLength(4);
    expect(receiver.ofType('/ok', 'alert.published')).toHaveLength(1);
  });

  it('tells the organisation a supporter unsubscribed and was erased, and never names the address', async () => {
    const message = await eventually('the alert at the supporter', async () => smtp.messages().find((m) => m.to.includes(supporterEmail)), 20_000);
    const unsubscribeUrl = /<(https?:\/\/[^>]+\/u\/[^>]+)>/.exec(String(message.headers['list-unsubscribe']))![1];
    const left = await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(left.status).toBe(200);
    const unsubscribed = await eventually('supporter.unsubscribed', async () => receiver.ofType('/supporters', 'supporter.unsubscribed')[0], 20_000);
    expect(verify(supporterHook.secret, unsubscribed)).toMatchObject({ type: 'supporter.unsubscribed', data: { orgId: org.id, supporterId, channels: ['email'] } });

    expectStatus(await org.admin.post(`/organisations/${org.id}/supporters/${supporterId}/erase`, {}), 200);
    const erased = await eventually('supporter.erased', async () => receiver.ofType('/supporters', 'supporter.erased')[0], 20_000);
    expect(verify(supporterHook.secret, erased)).toMatchObject({ type: 'supporter.erased', data: { orgId: org.id, supporterId } });

    const posts = receiver.at('/supporters');
    expect(posts.map((p) => (JSON.parse(p.body) as { type: string }).type)).toEqual(['supporter.joined', 'supporter.confirmed', 'supporter.unsubscribed', 'supporter.erased']);
    for (const post of posts) expect(post.body).not.toContain(supporterEmail);
    // Nothing about supporters reached the coalition's endpoint.
    expect(receiver.at('/ok').filter((p) => p.body.includes('supporter'))).toEqual([]);
  });

  it('shows a delivery log with no secret and no signature, and keeps secrets sealed at rest', async () => {
    const res = expectStatus(await coalition.coordinator.get(`/webhooks/${coalitionHook.id}/deliveries`), 200);
    expect(res.body.map((e: { eventType: string }) => e.eventType).sort()).toEqual(['alert.cancelled', 'alert.published', 'relay.decided']);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('whsec_');
    expect(text).not.toContain('v1,');
    const stored = JSON.stringify(await deliveryDb.collection('webhook_endpoints').find({}).toArray());
    expect(stored).not.toContain(coalitionHook.secret.slice('whsec_'.length));
    expect(stored).not.toContain('whsec_');
  });

  it('tells a review-mode organisation, and without its settings its coalition, that a relay decision waits; nobody else', async () => {
    const reviewOrg = await createOrg(admin, 'Webhook Review Org');
    await subscribe(coalition, reviewOrg, { channels: ['email'], relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'drop' } });
    const register = async (api: Api, path: string, url: string, eventTypes: string[]) =>
      expectStatus(await api.post(path, { url: `${receiver.origin}${url}`, eventTypes }), 201).body as { endpoint: { id: string }; secret: string };
    const orgWaiting = await register(reviewOrg.admin, `/organisations/${reviewOrg.id}/webhooks`, '/review-org', ['relay.decision_waiting']);
    const coalitionWaiting = await register(coalition.coordinator, `/coalitions/${coalition.id}/webhooks`, '/review-coalition', ['relay.decision_waiting']);
    await register(otherOrg.admin, `/organisations/${otherOrg.id}/webhooks`, '/other-org', ['relay.decision_waiting', 'relay.decided', 'alert.cancelled']);

    const reviewAlertId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body.id;
    expectStatus(await coalition.coordinator.post(`/alerts/${reviewAlertId}/publish`, {}), 200);

    const atOrg = await eventually('relay.decision_waiting at the organisation', async () => receiver.ofType('/review-org', 'relay.decision_waiting')[0], 20_000);
    const orgPayload = verify(orgWaiting.secret, atOrg) as { data: Record<string, unknown> };
    expect(orgPayload).toMatchObject({
      type: 'relay.decision_waiting',
      data: { alertId: reviewAlertId, coalitionId: coalition.id, orgId: reviewOrg.id, channels: ['email'], deadline: expect.any(String), onDeadline: 'drop' },
    });
    const atCoalition = await eventually('relay.decision_waiting at the coalition', async () => receiver.ofType('/review-coalition', 'relay.decision_waiting')[0], 20_000);
    const coalitionPayload = verify(coalitionWaiting.secret, atCoalition) as { data: Record<string, unknown> };
    expect(coalitionPayload.data).toEqual({ relayId: orgPayload.data.relayId, alertId: reviewAlertId, alertVersion: 1, coalitionId: coalition.id, orgId: reviewOrg.id });
    // The two owners' posts are different webhooks; neither secret verifies the other's.
    expect(atCoalition.headers['webhook-id']).not.toBe(atOrg.headers['webhook-id']);
    expect(() => verify(orgWaiting.secret, atCoalition)).toThrow();

    // Only the auto-mode organisation's relay was decided; its decision reached the coalition's first endpoint, not this one.
    await eventually('relay.decided for the new alert at the coalition', async () => receiver.ofType('/ok', 'relay.decided').find((p) => p.body.includes(reviewAlertId)), 20_000);
    expect(receiver.ofType('/review-org', 'relay.decision_waiting')).toHaveLength(1);
    expect(receiver.ofType('/review-coalition', 'relay.decision_waiting')).toHaveLength(1);
    expect(receiver.at('/other-org')).toEqual([]);
    expect(receiver.at('/review-org').filter((p) => p.body.includes(org.id))).toEqual([]);
  });

  describe('misuse', () => {
    it('keeps another organisation’s endpoints out of reach', async () => {
      const path = `/webhooks/${orgHook.id}`;
      expectStatus(await otherOrg.admin.get(`${path}/deliveries`), 404);
      expectStatus(await otherOrg.admin.patch(path, { url: `${receiver.origin}/ok` }), 404);
      expectStatus(await otherOrg.admin.delete(path), 404);
      expectStatus(await otherOrg.admin.post(`${path}/rotate-secret`, {}), 404);
      expectStatus(await otherOrg.admin.get(`/organisations/${org.id}/webhooks`), 403);
      expectStatus(await otherOrg.admin.post(`/organisations/${org.id}/webhooks`, { url: `${receiver.origin}/ok`, eventTypes: ['relay.decided'] }), 403);
      // A coordinator of a coalition the organisation is in does not see its endpoints either.
      expectStatus(await coalition.coordinator.get(`${path}/deliveries`), 404);
      // Its own editor reads but does not manage.
      expectStatus(await org.editor.get(`${path}/deliveries`), 200);
      expectStatus(await org.editor.delete(path), 403);
      expectStatus(await new Api(network.gatewayUrl, undefined).get(`/organisations/${org.id}/webhooks`), 401);
    });

    it('refuses supporter events to a coalition, and events an owner cannot have', async () => {
      const supporters = await coalition.coordinator.post(`/coalitions/${coalition.id}/webhooks`, { url: `${receiver.origin}/ok`, eventTypes: ['supporter.erased'] });
      expect(expectStatus(supporters, 403).body).toMatchObject({ field: 'eventTypes' });
      const patched = await coalition.coordinator.patch(`/webhooks/${coalitionHook.id}`, { eventTypes: ['alert.published', 'supporter.erased'] });
      expect(expectStatus(patched, 403).body).toMatchObject({ field: 'eventTypes' });
      const coordinatorOnOrg = await coalition.coordinator.post(`/organisations/${org.id}/webhooks`, { url: `${receiver.origin}/ok`, eventTypes: ['supporter.erased'] });
      expectStatus(coordinatorOnOrg, 403);
      const unknown = await org.admin.post(`/organisations/${org.id}/webhooks`, { url: `${receiver.origin}/ok`, eventTypes: ['supporter.emails'] });
      expect(expectStatus(unknown, 400).body.message).toContain('eventTypes');
      const notForOrg = await org.admin.post(`/organisations/${org.id}/webhooks`, { url: `${receiver.origin}/ok`, eventTypes: ['alert.published'] });
      expect(expectStatus(notForOrg, 400).body).toMatchObject({ field: 'eventTypes' });
    });

    it.each([
      ['plain http not allow-listed', 'http://example.org/hook'],
      ['loopback', 'https://127.0.0.1/hook'],
      ['private network', 'https://10.0.0.5/hook'],
      ['cloud metadata', 'https://169.254.169.254/latest/meta-data/'],
      ['IPv6 loopback', 'https://[::1]/hook'],
      ['IPv4-mapped private', 'https://[::ffff:192.168.1.1]/hook'],
      ['another port', 'https://93.184.215.14:8443/hook'],
      ['credentials in the URL', 'https://user:pw@93.184.215.14/hook'],
      ['not a URL', 'not a url'],
      ['oversize', `https://93.184.215.14/${'a'.repeat(2_000)}`],
    ])('refuses a destination: %s', async (_what, url) => {
      const res = await org.admin.post(`/organisations/${org.id}/webhooks`, { url, eventTypes: ['relay.decided'] });
      const body = expectStatus(res, 400).body;
      expect(`${body.field ?? ''} ${body.message}`).toContain('url');
      const patched = await org.admin.patch(`/webhooks/${orgHook.id}`, { url });
      expectStatus(patched, 400);
    });
  });
});
