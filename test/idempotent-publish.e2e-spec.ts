import { randomUUID } from 'node:crypto';
import { type JetStreamManager, type NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { SmtpSink } from '@clarion/sinks';
import { http, startNetwork, startTestInfra, type JsonResponse, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from './support/directory-fixture';
import { storedMessages, storedSoFar } from './support/streams';

/** Supporters per organisation, and recipients per delivery batch: two batches per relay. */
const SUPPORTERS_PER_ORG = 3;
const BATCH_SIZE = 2;
const BATCHES_PER_RELAY = Math.ceil(SUPPORTERS_PER_ORG / BATCH_SIZE);

/**
 * A double click and a client retry on "publish" with one Idempotency-Key,
 * over HTTP with every service as a process: one alert published, one
 * `alerts.alert.published.v1` on the ALERTS stream, one relay per member
 * organisation on RELAYS, one fan-out (batches stored on DELIVERY_BATCHES) and
 * one email per supporter, and every caller gets the first answer.
 */
describe('publishing with an Idempotency-Key, over HTTP', () => {
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let admin: Api;
  let coalition: Coalition;
  let orgs: Org[];
  const supporters: string[] = [];

  beforeAll(async () => {
    infra = await startTestInfra();
    smtp = await SmtpSink.start();
    network = await startNetwork(infra, {
      env: { subscriptions: { FAN_OUT_BATCH_SIZE: String(BATCH_SIZE) }, delivery: { SMTP_URL: smtp.smtpUrl } },
    });
    nc = await infra.connectHarness();
    jsm = await nc.jetstreamManager();
    admin = new Api(network.gatewayUrl, network.adminToken);
  });

  afterAll(async () => {
    await nc?.close();
    await network?.stopAll();
    await smtp?.stop();
    await infra?.stop();
  });

  const publish = (as: Api, alertId: string, key: string): Promise<JsonResponse> =>
    http('POST', `${network.gatewayUrl}/api/v1/alerts/${alertId}/publish`, { token: as.token, body: {}, headers: { 'Idempotency-Key': key } });

  async function joinByEmail(org: Org, email: string) {
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { email, language: 'en', topics: [] } }), 201);
    const confirmation = await eventually(`confirmation email to ${email}`, async () => smtp.messages().find((m) => m.to.includes(email)));
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)?.[0];
    expectStatus(await http('GET', confirmUrl!), 200);
  }

  it('sets up a coalition with two auto-relaying organisations and three confirmed email supporters each', async () => {
    coalition = await createCoalition(admin);
    orgs = await Promise.all([createOrg(admin, 'Idem One'), createOrg(admin, 'Idem Two')]);
    for (const org of orgs) {
      await subscribe(coalition, org, { channels: ['email'], relayPolicy: { mode: 'auto' } });
      for (let i = 1; i <= SUPPORTERS_PER_ORG; i++) {
        const email = `supporter-${i}@${org.slug}.example.org`;
        await joinByEmail(org, email);
        supporters.push(email);
      }
    }
  });

  it('answers 400 naming Idempotency-Key for a malformed key, before anything is published', async () => {
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    for (const key of ['x'.repeat(201), '']) {
      const res = await publish(coalition.coordinator, draft.id, key);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ field: 'Idempotency-Key', message: expect.stringMatching(/^Idempotency-Key must be 1 to 200 printable ASCII characters/) });
    }
    expect(expectStatus(await coalition.coordinator.get(`/alerts/${draft.id}`), 200).body.status).toBe('draft');
  });

  it('publishes once for two concurrent requests and a later retry with one key: one event, one relay per organisation, one fan-out', async () => {
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    const alertId: string = draft.id;
    const key = randomUUID();
    const jobsBefore = await storedSoFar(jsm, 'DELIVERY_BATCHES');
    smtp.clear();

    const [first, second] = await Promise.all([publish(coalition.coordinator, alertId, key), publish(coalition.coordinator, alertId, key)]);
    expectStatus(first, 200);
    expectStatus(second, 200);
    expect(second.body).toEqual(first.body);
    expect(first.body).toMatchObject({ id: alertId, status: 'published', version: 1 });

    await smtp.waitForCount(supporters.length, 30_000);
    const retry = expectStatus(await publish(coalition.coordinator, alertId, key), 200);
    expect(retry.body).toEqual(first.body);

    // Ground truth from the streams. Both answers came after alerts stored its events, and every email after its relay and batches.
    const published = (await storedMessages(jsm, 'ALERTS', eventSubjects.alertPublished)).filter(
      (m) => (m.json as { alert: { alertId: string } }).alert.alertId === alertId,
    );
    const approved = (await storedMessages(jsm, 'RELAYS', eventSubjects.relayApproved)).filter((m) => (m.json as { alertId: string }).alertId === alertId);
    const batches = (await storedSoFar(jsm, 'DELIVERY_BATCHES')) - jobsBefore;
    const emails = smtp.messages().map((m) => m.to[0]);
    process.stdout.write(
      `[idempotent publish] answers ${first.status}, ${second.status}, retry ${retry.status}; ` +
        `ALERTS ${eventSubjects.alertPublished}: ${published.length}; ` +
        `RELAYS ${eventSubjects.relayApproved}: ${approved.length} for ${orgs.length} organisations; ` +
        `DELIVERY_BATCHES batches stored: ${batches}; emails: ${emails.length} to ${new Set(emails).size} supporters\n`,
    );
    expect(published).toHaveLength(1);
    expect(approved.map((m) => (m.json as { orgId: string }).orgId).sort()).toEqual(orgs.map((o) => o.id).sort());
    expect(batches).toBe(orgs.length * BATCHES_PER_RELAY);
    expect(emails.sort()).toEqual([...supporters].sort());
    expect(expectStatus(await coalition.coordinator.get(`/alerts/${alertId}`), 200).body).toMatchObject({ status: 'published', version: 1 });
  });

  it('refuses the same key for another alert with 422 naming Idempotency-Key; another coalition’s same key is its own', async () => {
    const key = randomUUID();
    const first = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body;
    const second = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body;
    expectStatus(await publish(coalition.coordinator, first.id, key), 200);

    const reused = await publish(coalition.coordinator, second.id, key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: 'Unprocessable Content', field: 'Idempotency-Key', message: expect.stringMatching(/^Idempotency-Key was already used/) });
    expect(expectStatus(await coalition.coordinator.get(`/alerts/${second.id}`), 200).body.status).toBe('draft');

    const elsewhere = await createCoalition(admin);
    expect((await publish(elsewhere.coordinator, first.id, key)).status).toBe(404);
    const theirs = expectStatus(await elsewhere.coordinator.post(`/coalitions/${elsewhere.id}/alerts`, alertInput()), 201).body;
    expect(expectStatus(await publish(elsewhere.coordinator, theirs.id, key), 200).body).toMatchObject({ id: theirs.id, status: 'published' });
  });
});
