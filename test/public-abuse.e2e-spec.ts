import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { LinkSigner } from '@clarion/security';
import { PushService, SmtpSink } from '@clarion/sinks';
import { http, startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Org } from './support/directory-fixture';

/** The limit this network runs with: small, so a test reaches it. */
const PUBLIC_WRITES_PER_MINUTE = 10;
const CONFIRM_LINK = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/;

/**
 * The public join surface tried as an abuser would (docs/decisions/0022),
 * against every service as a process on real NATS and FerretDB, with the SMTP sink and the
 * push service. The gateway trusts X-Forwarded-For from loopback, so each
 * test speaks from addresses of its own.
 */
describe('the public join surface under abuse', () => {
  const dbPrefix = `e2e_abuse_${process.pid}`;
  const secretKey = randomBytes(32).toString('base64url');
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let push: PushService;
  let nc: NatsConnection;
  let admin: Api;
  let org: Org;
  let base: string;
  let nextAddress = 1;
  /** A client address no other request of this file used. */
  const freshClient = () => `198.51.100.${nextAddress++}`;

  beforeAll(async () => {
    infra = await startTestInfra();
    [smtp, push] = await Promise.all([SmtpSink.start(), PushService.start()]);
    network = await startNetwork(infra, {
      dbPrefix,
      commonEnv: { LOCAL_PUSH_SERVICE_URL: push.httpUrl, SECRET_KEY: secretKey },
      env: {
        gateway: { TRUSTED_PROXIES: 'loopback', PUBLIC_WRITES_PER_MINUTE: String(PUBLIC_WRITES_PER_MINUTE) },
        delivery: { SMTP_URL: smtp.smtpUrl },
      },
    });
    nc = await infra.connectHarness();
    base = network.gatewayUrl;
    admin = new Api(base, network.adminToken);
    org = await createOrg(admin, 'Abuse Rights');
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await network?.stopAll();
    await Promise.all([smtp?.stop(), push?.stop()]);
    await infra?.stop();
  });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const formJoin = (email: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/join/${org.slug}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': freshClient(), ...headers },
      body: form({ email, language: 'en' }),
      signal: AbortSignal.timeout(10_000),
    });
  const jsonJoin = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${base}/join/${org.slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshClient(), ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  const answer = async (res: Response) => ({ status: res.status, body: await res.text() });

  /** Both work queues empty: every join was worked on, and every confirmation email it asked for was sent. */
  async function settled(): Promise<void> {
    const jsm = await nc.jetstreamManager();
    await eventually(
      'joins and confirmation emails worked off',
      async () => {
        const [joins, jobs] = await Promise.all([jsm.streams.info('SUPPORTER_JOBS'), jsm.streams.info('DELIVERY_JOBS')]);
        return joins.state.messages === 0 && jobs.state.messages === 0 ? true : undefined;
      },
      15_000,
    );
  }
  const mailsTo = (email: string) => smtp.messages().filter((m) => m.to.includes(email));
  const confirmLinkIn = async (email: string, nth = 1) => {
    const message = await eventually(`confirmation email ${nth} to ${email}`, async () => mailsTo(email)[nth - 1], 10_000);
    return CONFIRM_LINK.exec(message.text)![0];
  };
  const confirm = (url: string) => fetch(url, { headers: { 'x-forwarded-for': freshClient() }, signal: AbortSignal.timeout(10_000) });

  async function exported(email: string) {
    const all = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/export?format=json`), 200).body as Array<{ id: string; email?: string; emailState?: string; pushState?: string; language: string }>;
    return all.find((supporter) => supporter.email === email);
  }

  it('has no SMS webhook and refuses a phone number where SMS is off, to join or to search by', async () => {
    const res = await fetch(`${base}/webhooks/channels/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'From=%2B33612345678&Body=STOP' });
    expect(res.status).toBe(404);
    const join = await http('POST', `${base}/join/${org.slug}`, { body: { sms: '+33612345678', language: 'en' }, headers: { 'x-forwarded-for': freshClient() } });
    expect(join).toMatchObject({ status: 400, body: { field: 'sms' } });
    // No supporter has a number to find, and a search by one says so.
    expect(expectStatus(await org.admin.get(`/organisations/${org.id}/supporters?phone=%2B33612345678`), 400).body.field).toBe('phone');
  });

  it('sends one confirmation email for 20 joins of one address, and answers each as if it had sent one', async () => {
    const email = 'bombed@example.org';
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await answer(i % 2 ? await formJoin(email) : await jsonJoin({ email, language: 'en' })));
    expect(new Set(answers.filter((_, i) => i % 2 === 0).map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ status: 201, body: '{"emailState":"pending"}' })]));
    expect(new Set(answers.filter((_, i) => i % 2 === 1).map((a) => a.status))).toEqual(new Set([200]));
    expect(answers[1].body).toContain('Check your email to confirm');
    await settled();
    expect(mailsTo(email)).toHaveLength(1);
  });

  /**
   * A form join from a client whose allowance this minute is spent. A new minute of the clock brings a new
   * allowance, so the allowance is spent again first, and the whole is tried again should the clock turn during it.
   */
  const refusedWithinOneMinute = async (client: string) => {
    const minuteOf = (time: number) => Math.floor(time / 60_000);
    for (let attempt = 1; ; attempt++) {
      const minute = minuteOf(Date.now());
      for (let i = 0; i <= PUBLIC_WRITES_PER_MINUTE; i++) {
        const spent = await jsonJoin({ email: `spent${attempt}-${i}@example.org`, language: 'en' }, { 'x-forwarded-for': client });
        await spent.arrayBuffer();
        if (spent.status === 429) break;
      }
      const page = await formJoin('someone@example.org', { 'x-forwarded-for': client });
      if (minuteOf(Date.now()) === minute || attempt === 3) return page;
      await page.arrayBuffer();
    }
  };

  it('answers 429 with Retry-After once one address passes the limit, of 200 joins in a minute', async () => {
    const client = freshClient();
    const startedAt = Date.now();
    const results: { status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await jsonJoin({ email: `flood${i}@example.org`, language: 'en' }, { 'x-forwarded-for': client });
      results.push({ status: res.status, retryAfter: res.headers.get('retry-after') });
      await res.arrayBuffer();
    }
    const minuteOf = (time: number) => Math.floor(time / 60_000);
    const sameMinute = minuteOf(startedAt) === minuteOf(Date.now());
    const firstRefused = results.findIndex((r) => r.status === 429);
    // Limits count per minute of the clock: a run that straddles two minutes gets a second allowance, at most.
    if (sameMinute) expect(firstRefused).toBe(PUBLIC_WRITES_PER_MINUTE);
    else expect(firstRefused).toBeGreaterThanOrEqual(PUBLIC_WRITES_PER_MINUTE);
    expect(results.filter((r) => r.status === 201).length).toBeLessThanOrEqual(sameMinute ? PUBLIC_WRITES_PER_MINUTE : 2 * PUBLIC_WRITES_PER_MINUTE);
    expect(results.every((r) => r.status === 201 || r.status === 429)).toBe(true);
    const waits = results.filter((r) => r.status === 429).map((r) => Number(r.retryAfter));
    expect(waits.every((seconds) => Number.isInteger(seconds) && seconds >= 1 && seconds <= 60)).toBe(true);

    // As a page for people; and another address is not held back by this one.
    const page = await refusedWithinOneMinute(client);
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await page.text()).toContain('Please wait a minute');
    expect((await jsonJoin({ email: 'neighbour@example.org', language: 'en' })).status).toBe(201);
  });

  it('refuses a join posted by another site, as a form or as JSON, and sends nothing', async () => {
    const email = 'forged@example.org';
    const evil = { origin: 'https://evil.example' };
    const byForm = await formJoin(email, evil);
    expect(byForm.status).toBe(403);
    expect(await byForm.text()).toContain('refused');
    expect((await formJoin(email, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const byJson = await jsonJoin({ email, language: 'en' }, { ...evil, 'sec-fetch-site': 'cross-site' });
    expect({ status: byJson.status, body: await byJson.json() }).toMatchObject({ status: 403, body: { statusCode: 403, error: 'Forbidden' } });
    await settled();
    expect(mailsTo(email)).toHaveLength(0);
    expect(await exported(email)).toBeUndefined();

    // The page's own post, as a browser sends it.
    expect((await formJoin(email, { 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1' })).status).toBe(200);
  });

  it('answers a join of a confirmed, a pending, an unsubscribed and an unknown address byte for byte the same, as JSON and as a form', async () => {
    const confirmed = 'confirmed@example.org';
    const pending = 'pending@example.org';
    const unsubscribed = 'unsubscribed@example.org';
    for (const email of [confirmed, pending, unsubscribed]) expectStatus(await http('POST', `${base}/join/${org.slug}`, { body: { email, language: 'en' }, headers: { 'x-forwarded-for': freshClient() } }), 201);
    for (const email of [confirmed, unsubscribed]) expect((await confirm(await confirmLinkIn(email))).status).toBe(200);
    // The unsubscribe link of a message, signed as delivery signs it.
    const token = new LinkSigner(secretKey).sign('unsubscribe', { s: (await exported(unsubscribed))!.id, c: 'email', o: org.id });
    const left = await fetch(`${base}/u/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': freshClient() },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(left.status).toBe(200);
    expect(await exported(confirmed)).toMatchObject({ emailState: 'active' });
    expect(await exported(pending)).toMatchObject({ emailState: 'pending' });
    expect(await exported(unsubscribed)).toMatchObject({ emailState: 'unsubscribed' });

    const addresses = [confirmed, pending, unsubscribed, 'never.seen@example.org'];
    const asJson = await Promise.all(addresses.map(async (email) => answer(await jsonJoin({ email, language: 'en', topics: [] }))));
    const asForm = await Promise.all(addresses.map(async (email) => answer(await formJoin(email))));
    expect(asJson[0]).toEqual({ status: 201, body: '{"emailState":"pending"}' });
    for (const each of asJson) expect(each).toEqual(asJson[0]);
    expect(asForm[0].status).toBe(200);
    for (const each of asForm) expect(each).toEqual(asForm[0]);
  });

  let coalitionReady: Promise<{ publish: () => Promise<void> }> | undefined;
  /** Publishes an alert that the organisation relays at once, by email and push. */
  async function publishAlert(): Promise<void> {
    coalitionReady ??= (async () => {
      const coalition = await createCoalition(admin);
      await subscribe(coalition, org, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
      return {
        publish: async () => {
          const alert = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
          expectStatus(await coalition.coordinator.post(`/alerts/${alert.id}/publish`), 200);
        },
      };
    })();
    await (await coalitionReady).publish();
  }

  it('keeps the victim’s push subscription when an anonymous join names their address with another browser; that browser gets nothing until the address confirms', async () => {
    const victim = push.createSubscription('victim').subscription;
    const attacker = push.createSubscription('attacker').subscription;
    const csv = [
      'email,language,topics,consent_at,consent_source,push_endpoint,push_p256dh,push_auth',
      `victim@example.org,en,,2026-01-15,paper form,${victim.endpoint},${victim.keys.p256dh},${victim.keys.auth}`,
    ].join('\n');
    expectStatus(await org.admin.post(`/organisations/${org.id}/supporters/import`, { csv }), 200);

    const takeover = await jsonJoin({ email: 'victim@example.org', push: attacker, language: 'en' });
    expect({ status: takeover.status, body: await takeover.text() }).toEqual({ status: 201, body: '{"emailState":"pending","pushState":"pending"}' });
    const confirmUrl = await confirmLinkIn('victim@example.org');
    await settled();

    push.clear();
    await publishAlert();
    await eventually('the alert at the victim’s browser', async () => push.messages().find((m) => m.label === 'victim'), 20_000);
    await settled();
    expect(push.messages().filter((m) => m.label === 'attacker')).toHaveLength(0);
    expect(await exported('victim@example.org')).toMatchObject({ emailState: 'active', pushState: 'active' });
    // The browser is stored nowhere: no supporter of the organisation holds it.
    expect(expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body.push).toMatchObject({ active: 1 });

    // The address's owner confirms: only now is that browser theirs.
    expect((await confirm(confirmUrl)).status).toBe(200);
    push.clear();
    await publishAlert();
    await eventually('the alert at the browser the owner confirmed', async () => push.messages().find((m) => m.label === 'attacker'), 20_000);
  });

  it('refuses a confirmation link used twice, or after a newer join sent a newer one', async () => {
    const email = 'twice@example.org';
    expect((await jsonJoin({ email, language: 'en' })).status).toBe(201);
    const first = await confirmLinkIn(email);
    expect((await confirm(first)).status).toBe(200);
    const again = await confirm(first);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This confirmation link does not work');

    const later = 'later@example.org';
    expect((await jsonJoin({ email: later, language: 'en' })).status).toBe(201);
    const older = await confirmLinkIn(later);
    await aDayPasses(later);
    expect((await jsonJoin({ email: later, language: 'en' })).status).toBe(201);
    const newer = await confirmLinkIn(later, 2);
    expect(newer).not.toBe(older);
    expect((await confirm(older)).status).toBe(400);
    expect((await confirm(newer)).status).toBe(200);
  });

  /** The seam for "a day later": the address's last confirmation email moved back past the 24 h window, in subscriptions' own database. */
  async function aDayPasses(email: string): Promise<void> {
    const db = await mongoose.createConnection(infra.mongoUrl(`${dbPrefix}_subscriptions`)).asPromise();
    try {
      const moved = await db.collection('supporters').updateOne({ 'contacts.email.address': email, orgId: org.id }, { $set: { confirmationSentAt: new Date(Date.now() - 25 * 60 * 60_000) } });
      expect(moved.matchedCount).toBe(1);
    } finally {
      await db.close();
    }
  }
});
