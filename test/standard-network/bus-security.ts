import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSONCodec, type JetStreamManager, type NatsConnection } from 'nats';
import {
  alertPublishedV1,
  confirmationEmailV1,
  deliveryBatchV1,
  eventSubjects,
  inboxPrefixOf,
  natsPermissions,
  subjectForEvent,
  supporterRpc,
  directoryRpc,
  systemRpc,
  type BusService,
  type Principal,
} from '@clarion/contracts';
import { CallerSigner } from '@clarion/messaging';
import { signBytes, signingKey } from '@clarion/security';
import type { PushService, SmtpSink } from '@clarion/sinks';
import { http, TestRpc, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { storedMessages } from '../support/streams';
import { connectWatched, type Watched } from '../support/watched-connection';
import { standardNetwork } from '../support/standard-network';

/**
 * The attacks the closed bus stops (docs/security.md, docs/decisions/0018),
 * replayed against real processes: each must fail. A
 * forger on the bus (the harness's full-rights connection, or a service's
 * stolen credentials) sends actors it made up, stale or misdirected
 * assertions, forged events and steered replies; eavesdroppers with every
 * non-delivery credential listen to all they may while a whole crisis call
 * runs; and the JetStream store on disk is searched for what the batches carried.
 */
describe('the bus under attack', () => {
  const net = standardNetwork();
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let push: PushService;
  let admin: Api;
  let harness: NatsConnection;
  let jsm: JetStreamManager;
  let coalition: Coalition;
  let autoOrg: Org;
  let otherOrg: Org;
  const open: NatsConnection[] = [];
  const rpcs: TestRpc[] = [];

  /** What must never be read off the bus in clear: filled as supporters join and tokens are made. */
  const secrets = { emails: [] as string[], endpoints: [] as string[], pushKeys: [] as string[], tokens: [] as string[] };
  const snoopers: Snooper[] = [];
  const forgedAddress = 'victim@attacker.example';
  const phishingHost = 'phish.example.net';
  const forgedAlertId = 'f0f0f0f0f0f0f0f0f0f0f0f0';
  const forgedAdmin: Principal = { tokenId: 'a0a0a0a0a0a0a0a0a0a0a0a0', name: 'forged', grant: { role: 'admin' } };

  beforeAll(async () => {
    ({ infra, network, smtp, push } = net);
    admin = new Api(network.gatewayUrl, network.adminToken);
    secrets.tokens.push(network.adminToken);
    harness = await infra.connectHarness();
    open.push(harness);
    jsm = await harness.jetstreamManager();
  });

  afterAll(async () => {
    await Promise.all(rpcs.map((rpc) => rpc.close().catch(() => undefined)));
    await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  });

  interface Snooper extends Watched {
    service: BusService;
    heard: Array<{ subject: string; text: string }>;
  }

  async function connectAs(service: BusService, label: string): Promise<Watched> {
    const watched = await connectWatched(infra, service, `attacker-${label}-${service}`);
    open.push(watched.nc);
    return watched;
  }

  async function rpcAs(service: BusService): Promise<TestRpc> {
    const rpc = await TestRpc.connect(infra, service);
    rpcs.push(rpc);
    return rpc;
  }

  /** The service's log lines saying it refused a request, with the reason it gave. */
  function refusals(service: BusService): Array<{ msg: string; subject?: string; reason?: string; reply?: string }> {
    return readFileSync(join(infra.dir, 'logs', `${service}.log`), 'utf8')
      .split('\n')
      .filter((line) => line.includes('request refused'))
      .map((line) => JSON.parse(line));
  }

  const refusalLogged = (service: BusService, reason: RegExp) =>
    eventually(`${service} logs "request refused" (${reason})`, async () => refusals(service).find((line) => reason.test(line.reason ?? line.msg)));

  async function joinByEmail(org: Org, email: string) {
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { email, language: 'en', topics: [] } }), 201);
    const confirmation = await eventually(`confirmation email to ${email}`, async () => smtp.messages().find((m) => m.to.includes(email)));
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)![0];
    expectStatus(await http('GET', confirmUrl), 200);
    secrets.emails.push(email);
  }

  async function joinByPush(org: Org, label: string) {
    const { subscription } = push.createSubscription(label);
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { push: subscription, language: 'en', topics: [] } }), 201);
    secrets.endpoints.push(subscription.endpoint);
    secrets.pushKeys.push(subscription.keys.p256dh, subscription.keys.auth);
  }

  describe('eavesdroppers', () => {
    it.each(['gateway', 'alerts'] as const)('with %s’s credentials, subscribing to >, delivery.>, _INBOX.> or $JS.> is refused', async (service) => {
      const { nc, violations } = await connectAs(service, 'wide');
      const wide = ['>', 'delivery.>', 'delivery.batch.v2.>', '_INBOX.>', '$JS.>', '$JS.API.>', 'subscriptions.>'];
      const heard: string[] = [];
      wide.forEach((subject) => nc.subscribe(subject, { callback: (error, msg) => !error && heard.push(msg.subject) }));
      await nc.flush();
      harness.publish('delivery.batch.v2.wide-probe', 'probe');
      await harness.flush();
      await nc.flush();
      expect(wide.filter((subject) => !violations.has(`subscription ${subject}`))).toEqual([]);
      expect(heard).toEqual([]);
    });

    it('listen with every non-delivery credential to everything it may (its own inbox aside) from now on', async () => {
      for (const service of ['gateway', 'alerts', 'subscriptions'] as const) {
        const watched = await connectAs(service, 'snoop');
        const snooper: Snooper = { ...watched, service, heard: [] };
        const own = `${inboxPrefixOf(service)}.>`;
        const allowed = natsPermissions(service).subscribe.filter((subject) => subject !== own);
        // nats-server admits a `>` where an allowed `*` stands (the permission matrix shows it): listen that wide too.
        const widened = allowed.filter((subject) => subject.includes('*')).map((subject) => subject.replace(/\*.*$/, '>'));
        for (const subject of [...allowed, ...widened]) {
          snooper.nc.subscribe(subject, {
            callback: (error, msg) => {
              if (!error) snooper.heard.push({ subject: msg.subject, text: `${msg.headers?.toString() ?? ''}\n${Buffer.from(msg.data).toString('latin1')}` });
            },
          });
        }
        await snooper.nc.flush();
        expect([...snooper.violations]).toEqual([]);
        snoopers.push(snooper);
      }
    });
  });

  describe('a crisis call runs while they listen', () => {
    it('sets up a coalition and two organisations that relay at once, with supporters by email and push', async () => {
      coalition = await createCoalition(admin);
      [autoOrg, otherOrg] = await Promise.all([createOrg(admin, 'Auto Rights'), createOrg(admin, 'Other Rights')]);
      for (const api of [coalition.coordinator, coalition.secondCoordinator, autoOrg.admin, autoOrg.editor, otherOrg.admin, otherOrg.editor]) secrets.tokens.push(api.token!);
      await subscribe(coalition, autoOrg, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
      await subscribe(coalition, otherOrg, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
      await joinByEmail(autoOrg, 'amina@example.org');
      await joinByEmail(autoOrg, 'baraka@example.org');
      await joinByEmail(otherOrg, 'chiku@example.org');
      await joinByPush(autoOrg, 'auto-push');
      await joinByPush(otherOrg, 'other-push');
      // A join is a job subscriptions works on after the gateway's 201: the alert must find both browsers on the lists.
      const activeOf = async (org: Org) => {
        const counts = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body;
        return { email: counts.email.active, push: counts.push.active };
      };
      await eventually('both browsers on their lists', async () => ((await activeOf(autoOrg)).push === 1 && (await activeOf(otherOrg)).push === 1 ? true : undefined), 15_000);
      expect(await activeOf(autoOrg)).toEqual({ email: 2, push: 1 });
      expect(await activeOf(otherOrg)).toEqual({ email: 1, push: 1 });
    });
  });

  describe('forged actors', () => {
    it('refuses a plain actor (admin) with no assertion, a bogus one, or beside a valid one: 401, and no page of another organisation’s supporters', async () => {
      const gateway = await rpcAs('gateway');
      const request = { orgId: otherOrg.id, limit: 10 };
      await expect(gateway.raw(supporterRpc.exportPage, { ...request, actor: forgedAdmin })).rejects.toMatchObject({ statusCode: 401 });
      await expect(gateway.raw(supporterRpc.exportPage, { ...request, actor: forgedAdmin, assertion: 'e30.AAAA' })).rejects.toMatchObject({ statusCode: 401 });
      const signed = new CallerSigner('gateway', infra.bus.seeds.gateway).sign(supporterRpc.exportPage);
      await expect(gateway.raw(supporterRpc.exportPage, { ...request, actor: forgedAdmin, assertion: signed })).rejects.toMatchObject({ statusCode: 401 });
      // The full-rights harness fares no better: it has no key a service trusts.
      const asHarness = await infra.connectHarness({ inboxPrefix: inboxPrefixOf('gateway') });
      open.push(asHarness);
      const codec = JSONCodec<{ err?: { statusCode: number }; response?: unknown }>();
      const answer = await asHarness.request(supporterRpc.exportPage, JSONCodec().encode({ pattern: supporterRpc.exportPage, data: { ...request, actor: forgedAdmin }, id: 'forged-1' }), { timeout: 5_000 });
      expect(codec.decode(answer.data)).toMatchObject({ err: { statusCode: 401 } });
      await refusalLogged('subscriptions', /an actor may only come signed/);
    });

    it('mints no admin token from a forged actor, and the gateway accepts nothing made that way', async () => {
      const gateway = await rpcAs('gateway');
      const input = { name: 'forged admin', grant: { role: 'admin' } };
      await expect(gateway.raw(directoryRpc.createToken, { input, actor: forgedAdmin })).rejects.toMatchObject({ statusCode: 401 });
      // Signed by delivery's key, whose assertions may never carry an actor.
      const deliverySigned = new CallerSigner('delivery', infra.bus.seeds.delivery).sign(directoryRpc.createToken, forgedAdmin);
      await expect(gateway.raw(directoryRpc.createToken, { input, assertion: deliverySigned })).rejects.toMatchObject({ statusCode: 401 });
      const tokens = expectStatus(await admin.get('/tokens'), 200).body as Array<{ name: string }>;
      expect(tokens.map((t) => t.name)).not.toContain('forged admin');
      // A token of the right shape that nobody minted is refused.
      expectStatus(await admin.as(`clr_${'A'.repeat(43)}`).get('/tokens'), 401);
    });

    it('refuses an expired assertion, one made for another subject, and an actor signed by a service other than the gateway — and logs each', async () => {
      const gateway = await rpcAs('gateway');
      const request = { orgId: otherOrg.id, limit: 10 };
      const stale = new CallerSigner('gateway', infra.bus.seeds.gateway, () => Date.now() - 60_000).sign(supporterRpc.exportPage, forgedAdmin);
      await expect(gateway.raw(supporterRpc.exportPage, { ...request, assertion: stale })).rejects.toMatchObject({ statusCode: 401 });
      await refusalLogged('subscriptions', /expired/);

      const forCounts = new CallerSigner('gateway', infra.bus.seeds.gateway).sign(supporterRpc.counts, forgedAdmin);
      await expect(gateway.raw(supporterRpc.exportPage, { ...request, assertion: forCounts })).rejects.toMatchObject({ statusCode: 401 });
      await refusalLogged('subscriptions', new RegExp(`is for ${supporterRpc.counts.replace(/\./g, '\\.')}, not`));

      // Delivery may ask for a sender identity, but never on anyone's behalf.
      const delivery = await rpcAs('delivery');
      const withActor = new CallerSigner('delivery', infra.bus.seeds.delivery).sign(supporterRpc.senderIdentity, forgedAdmin);
      await expect(delivery.raw(supporterRpc.senderIdentity, { orgId: otherOrg.id, assertion: withActor })).rejects.toMatchObject({ statusCode: 401 });
      await refusalLogged('subscriptions', /delivery may not assert an actor/);

      // An assertion that names the gateway but is signed with delivery's key.
      const claims = Buffer.from(JSON.stringify({ iss: 'gateway', aud: supporterRpc.exportPage, iat: Date.now(), exp: Date.now() + 30_000, actor: forgedAdmin }));
      const impostor = `${claims.toString('base64url')}.${signBytes(signingKey(infra.bus.seeds.delivery), claims).toString('base64url')}`;
      await expect(gateway.raw(supporterRpc.exportPage, { ...request, assertion: impostor })).rejects.toMatchObject({ statusCode: 401 });
      await refusalLogged('subscriptions', /not signed by gateway/);
    });

    it('does not carry a sender-identity request made with the gateway’s credentials', async () => {
      const { nc } = await connectAs('gateway', 'identity');
      const signed = new CallerSigner('gateway', infra.bus.seeds.gateway).sign(supporterRpc.senderIdentity);
      const body = JSONCodec().encode({ pattern: supporterRpc.senderIdentity, data: { orgId: otherOrg.id, assertion: signed }, id: 'identity-1' });
      await expect(nc.request(supporterRpc.senderIdentity, body, { timeout: 5_000 })).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
    });
  });

  describe('forged and steered publishes', () => {
    const now = () => new Date().toISOString();
    const texts = { en: { title: 'FORGED', body: 'Log in', bodyHtml: '<p>Log in</p><script>steal()</script>', ctaLabel: 'Log in' } };
    const orgCard = () => ({ name: 'Auto Rights', slug: autoOrg.slug, senderName: 'Auto Rights', colour: '#aa3300' });

    function forgeries() {
      return [
        {
          what: 'an alert for an auto-relay organisation',
          subject: eventSubjects.alertPublished,
          by: ['gateway', 'subscriptions'] as const,
          payload: alertPublishedV1.parse({
            eventId: `alert:${forgedAlertId}:v1:published`,
            occurredAt: now(),
            alert: { alertId: forgedAlertId, coalitionId: coalition.id, version: 1, primaryLanguage: 'en', texts, ctaUrl: `https://${phishingHost}/alert`, urgency: 'critical', topics: [], regions: [], publishedAt: now() },
          }),
        },
        {
          what: 'a delivery batch mailing an arbitrary address in an organisation’s name',
          subject: eventSubjects.deliveryBatch,
          by: ['gateway', 'alerts'] as const,
          payload: deliveryBatchV1.parse({
            eventId: `relay:${forgedAlertId}:from:${forgedAlertId}`,
            occurredAt: now(),
            relay: {
              relayId: forgedAlertId,
              alertId: forgedAlertId,
              alertVersion: 1,
              coalitionId: coalition.id,
              orgId: autoOrg.id,
              org: orgCard(),
              primaryLanguage: 'en',
              texts,
              ctaUrl: `https://${phishingHost}/batch`,
              urgency: 'critical',
              channels: ['email'],
            },
            recipients: [{ supporterId: forgedAlertId, language: 'en', email: forgedAddress }],
          }),
        },
        {
          what: 'a confirmation email with a phishing link',
          subject: eventSubjects.confirmationEmail,
          by: ['gateway', 'alerts'] as const,
          payload: confirmationEmailV1.parse({
            eventId: `confirm:${forgedAlertId}`,
            occurredAt: now(),
            orgId: autoOrg.id,
            org: orgCard(),
            supporterId: forgedAlertId,
            email: forgedAddress,
            language: 'en',
            confirmUrl: `https://${phishingHost}/confirm`,
          }),
        },
      ];
    }

    it('refuses, at the server, a forged alert, batch and confirmation job published with the credentials of services that do not publish them', async () => {
      for (const forgery of forgeries()) {
        const subject = subjectForEvent(forgery.subject, forgery.payload.eventId);
        for (const service of forgery.by) {
          const { nc } = await connectAs(service, 'forger');
          await expect(nc.jetstream().publish(subject, JSONCodec().encode(forgery.payload), { msgID: forgery.payload.eventId })).rejects.toMatchObject({
            code: 'PERMISSIONS_VIOLATION',
          });
        }
      }
      // Nothing of them is stored: the batch stream keeps every batch, the alert stream every alert.
      const stored = [...(await storedMessages(jsm, 'ALERTS')), ...(await storedMessages(jsm, 'DELIVERY_BATCHES'))];
      expect(stored.filter((m) => Buffer.from(m.data).toString('utf8').includes(phishingHost))).toEqual([]);
    });

    it('drops a request whose reply subject is not a caller’s inbox, so an answer cannot be steered into a batch’s subject or a send-rate key', async () => {
      const { nc } = await connectAs('gateway', 'steer');
      const signer = new CallerSigner('gateway', infra.bus.seeds.gateway);
      const steered = [
        { ask: systemRpc.ping('subscriptions'), answeredBy: 'subscriptions' as const, reply: subjectForEvent(eventSubjects.deliveryBatch, `relay:${forgedAlertId}:from:steered`) },
        { ask: systemRpc.ping('delivery'), answeredBy: 'delivery' as const, reply: '$KV.delivery_send_rates.steered' },
      ];
      for (const { ask, reply } of steered) {
        nc.publish(ask, JSONCodec().encode({ pattern: ask, data: { echo: 'steered', assertion: signer.sign(ask) }, id: 'steered-1' }), { reply });
      }
      await nc.flush();
      for (const { answeredBy, reply } of steered) {
        await eventually(`${answeredBy} drops the request answered into ${reply}`, async () => refusals(answeredBy).find((line) => line.reply === reply));
      }
      const batches = await storedMessages(jsm, 'DELIVERY_BATCHES');
      expect(batches.filter((m) => m.subject === steered[0].reply)).toEqual([]);
      const kv = await jsm.streams.getMessage('KV_delivery_send_rates', { last_by_subj: steered[1].reply }).catch((error: Error) => error.message);
      expect(kv).toMatch(/not found/);
    });

    it('refuses a stolen credential’s attempt to make its stream capture and republish other services’ traffic', async () => {
      const { nc } = await connectAs('alerts', 'tamper');
      const alertsJsm = await nc.jetstreamManager();
      const { config } = await jsm.streams.info('ALERTS');
      const tampered = { ...config, subjects: [...config.subjects, `${inboxPrefixOf('gateway')}.>`], republish: { src: `${inboxPrefixOf('gateway')}.>`, dest: `${inboxPrefixOf('alerts')}.stolen.>` } };
      await expect(alertsJsm.streams.update('ALERTS', tampered)).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
      const after = (await jsm.streams.info('ALERTS')).config;
      expect(after.subjects).toEqual(config.subjects);
      expect(after.republish).toBeUndefined();
    });
  });

  describe('the crisis call goes out', () => {
    it('reaches every supporter, and nobody the forgers named', async () => {
      const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
      expectStatus(await coalition.coordinator.post(`/alerts/${draft.id}/publish`), 200);
      const isAlert = (subject: string) => subject === 'Stand with the Kenya Human Rights Commission';
      await eventually('every alert email', async () => (smtp.messages().filter((m) => isAlert(m.subject)).length >= secrets.emails.length ? true : undefined), 30_000);
      await push.waitForCount(secrets.endpoints.length, 30_000);
      expect(smtp.messages().filter((m) => isAlert(m.subject)).flatMap((m) => m.to).sort()).toEqual([...secrets.emails].sort());
      // Everything sent after the forgeries has arrived; none of them did.
      expect(smtp.messages().filter((m) => m.to.includes(forgedAddress) || `${m.text}${m.html}`.includes(phishingHost))).toEqual([]);
      expect(push.messages().filter((m) => JSON.stringify(m).includes(phishingHost))).toEqual([]);
    });
  });

  describe('what the eavesdroppers heard', () => {
    const found = (text: string, needles: string[]) => needles.filter((needle) => text.includes(needle));

    it('heard something on every credential (the listening worked)', async () => {
      // The gateway hears the live progress, which delivery sends just after the messages it counts went out.
      for (const snooper of snoopers) await eventually(`${snooper.service}'s eavesdropper heard something`, async () => (snooper.heard.length > 0 ? true : undefined), 15_000);
    });

    it.each(['gateway', 'alerts'] as const)('with %s’s credentials: no supporter email, push endpoint or key, or bearer token in clear', (service) => {
      const snooper = snoopers.find((s) => s.service === service)!;
      const leaks = snooper.heard
        .map(({ subject, text }) => ({ subject, found: found(text, [...secrets.emails, ...secrets.endpoints, ...secrets.pushKeys, ...secrets.tokens]) }))
        .filter((heard) => heard.found.length > 0);
      expect(leaks).toEqual([]);
    });

    it('with subscriptions’ credentials: no bearer token in clear; contact data only in the supporter requests it answers as the list’s owner', () => {
      const snooper = snoopers.find((s) => s.service === 'subscriptions')!;
      const tokenLeaks = snooper.heard.map(({ subject, text }) => ({ subject, found: found(text, secrets.tokens) })).filter((heard) => heard.found.length > 0);
      expect(tokenLeaks).toEqual([]);
      const contactOutsideSupporterRequests = snooper.heard
        .filter(({ subject }) => !subject.startsWith('subscriptions.supporters.'))
        .map(({ subject, text }) => ({ subject, found: found(text, [...secrets.emails, ...secrets.endpoints, ...secrets.pushKeys]) }))
        .filter((heard) => heard.found.length > 0);
      expect(contactOutsideSupporterRequests).toEqual([]);
    });
  });

  describe('the JetStream store at rest', () => {
    /** Every file under `dir` holding any of `needles`, byte for byte. */
    function filesHolding(dir: string, needles: string[]): Array<{ file: string; needle: string }> {
      const hits: Array<{ file: string; needle: string }> = [];
      const walk = (path: string) => {
        if (statSync(path).isDirectory()) return readdirSync(path).forEach((entry) => walk(join(path, entry)));
        const bytes = readFileSync(path);
        for (const needle of needles) if (bytes.includes(needle)) hits.push({ file: path, needle });
      };
      walk(dir);
      return hits;
    }

    const sizeOf = (dir: string): number =>
      statSync(dir).isDirectory() ? readdirSync(dir).reduce((sum, entry) => sum + sizeOf(join(dir, entry)), 0) : statSync(dir).size;

    /** The folder nats-server keeps a stream's files in, wherever its layout puts it. */
    function streamFolder(dir: string, stream: string): string | undefined {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (!statSync(path).isDirectory()) continue;
        if (entry === stream) return path;
        const found = streamFolder(path, stream);
        if (found) return found;
      }
      return undefined;
    }

    it('holds no supporter email or push endpoint in clear after the fan-out, though the batches it stores carry them', async () => {
      const store = join(infra.dir, 'nats', 'jetstream');
      const contact = [...secrets.emails, ...secrets.endpoints, ...secrets.pushKeys];

      // The control: the batches as the server hands them out hold every address, and the same search finds them in a plaintext copy.
      const batches = await storedMessages(jsm, 'DELIVERY_BATCHES');
      const plain = join(infra.dir, 'control');
      mkdirSync(plain, { recursive: true });
      writeFileSync(join(plain, 'batches.json'), JSON.stringify(batches.map((b) => b.json)));
      writeFileSync(join(plain, 'smtp-sink.json'), JSON.stringify(smtp.messages()));
      expect(new Set(filesHolding(plain, contact).map((hit) => hit.needle))).toEqual(new Set(contact));
      // And they are on disk (the batch stream's files are at least as large as what it holds), only not readable.
      const batchBytes = batches.reduce((sum, b) => sum + b.data.length, 0);
      expect(batchBytes).toBeGreaterThan(0);
      const batchFolder = streamFolder(store, 'DELIVERY_BATCHES');
      expect(batchFolder).toBeDefined();
      await eventually('the batch stream written to disk', async () => (sizeOf(batchFolder!) >= batchBytes ? true : undefined));

      expect(filesHolding(store, contact)).toEqual([]);
    });
  });
});
