import { readFileSync } from 'node:fs';
import type { Msg, NatsConnection } from 'nats';
import { openVapidPrivateKey, SecretOpener } from '@clarion/security';
import { SmtpSink, type SmtpSinkMessage } from '@clarion/sinks';
import { http, startCanary, startNetwork, startTestInfra, type Canary, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from './support/directory-fixture';
import { openProgressStream } from './support/progress-stream';

const NETWORK_FROM = 'alerts@network.example';
const OWN_FROM = 'alerts@own-server-rights.example';
const OWN_PASSWORD = 's3cret/pass@word';
const ALERT_SUBJECT = 'Stand with the Kenya Human Rights Commission';

/**
 * An organisation sends through its own SMTP server, from its own
 * address; another in the same coalition keeps the network's server. Each
 * one's supporters hear from the right server, and nothing crosses over.
 * Delivery runs with SENDER_IDENTITY_TTL_MS=0 (no identity cache), so a
 * change applies to the very next message and no assertion waits out a TTL.
 * The organisation's server takes mail only with its user and password, so a
 * message there proves delivery opened the password the gateway sealed; all
 * the while, an eavesdropper with every right on the bus sees neither it, nor
 * a VAPID private key, nor a bearer token (docs/decisions/0020).
 * The organisation's own server is a sink on 127.0.0.1, so the installation
 * allow-lists it (OUTBOUND_ALLOW_LIST), as an operator would an internal
 * relay; nothing else on this machine may be named.
 */
describe('an organisation’s own SMTP server', () => {
  let infra: TestInfra;
  let network: Network;
  let networkSink: SmtpSink;
  let ownSink: SmtpSink;
  /** An internal service an admin's URL could aim delivery at. */
  let canary: Canary;
  let admin: Api;
  let coalition: Coalition;
  let ownOrg: Org;
  let networkOrg: Org;
  const ownSupporters = ['amina@example.org', 'baraka@example.org'];
  const networkSupporters = ['chloe@example.org', 'dawit@example.org'];
  /** Every message on the bus during the whole file, as a harness connection subscribed to `>` sees it. */
  const seen: Msg[] = [];
  let snoop: NatsConnection;

  beforeAll(async () => {
    infra = await startTestInfra();
    snoop = await infra.connectHarness();
    snoop.subscribe('>', { callback: (_error, msg) => seen.push(msg) });
    await snoop.flush();
    [networkSink, ownSink, canary] = await Promise.all([
      SmtpSink.start(),
      SmtpSink.start({ credentials: { user: 'own-relay', pass: OWN_PASSWORD } }),
      startCanary(),
    ]);
    const outbound = {
      OUTBOUND_ALLOW_LIST: `smtp://127.0.0.1:${ownSink.smtpPort}`,
      // The canary's port counts as an SMTP port here, so only the address rule stands between it and delivery.
      SMTP_PORTS: `25,465,587,2525,${canary.port}`,
    };
    network = await startNetwork(infra, {
      env: {
        subscriptions: outbound,
        delivery: { ...outbound, SMTP_URL: networkSink.smtpUrl, MAIL_FROM: NETWORK_FROM, SENDER_IDENTITY_TTL_MS: '0' },
      },
    });
    admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin);
    [ownOrg, networkOrg] = await Promise.all([createOrg(admin, 'Own Server Rights'), createOrg(admin, 'Network Rights')]);
    await subscribe(coalition, ownOrg, { channels: ['email'], relayPolicy: { mode: 'auto' } });
    await subscribe(coalition, networkOrg, { channels: ['email'], relayPolicy: { mode: 'auto' } });
  });

  afterAll(async () => {
    await snoop?.close();
    await network?.stopAll();
    await Promise.all([networkSink?.stop(), ownSink?.stop(), canary?.close()]);
    await infra?.stop();
  });

  const smtpPath = (org: Org) => `/organisations/${org.id}/sender/smtp`;
  /** The own sink's address with credentials in it, as an organisation would paste it. */
  const ownUrl = () => `smtp://own-relay:${encodeURIComponent(OWN_PASSWORD)}@127.0.0.1:${ownSink.smtpPort}`;
  const to = (messages: SmtpSinkMessage[]) => messages.map((m) => m.envelope.to.join(',')).sort();
  const alertsIn = (sink: SmtpSink) => sink.messages().filter((m) => m.subject === ALERT_SUBJECT);

  it('lets the organisation’s admin set its own server, answering without the password', async () => {
    const res = expectStatus(await ownOrg.admin.call('PUT', smtpPath(ownOrg), { url: ownUrl(), from: OWN_FROM }), 200);
    const expected = { orgId: ownOrg.id, smtp: { host: '127.0.0.1', port: ownSink.smtpPort, secure: false, user: 'own-relay', from: OWN_FROM } };
    expect(res.body).toEqual(expected);
    expect(expectStatus(await ownOrg.admin.get(smtpPath(ownOrg)), 200).body).toEqual(expected);
    expect(JSON.stringify(res.body)).not.toMatch(/s3cret/);
    expect(expectStatus(await networkOrg.admin.get(smtpPath(networkOrg)), 200).body).toEqual({ orgId: networkOrg.id, smtp: null });
  });

  it('refuses other organisations, its editors and settings it cannot use', async () => {
    const intrusion = { url: 'smtp://mail.attacker.example', from: 'ceo@attacker.example' };
    expectStatus(await networkOrg.admin.call('PUT', smtpPath(ownOrg), intrusion), 404);
    expectStatus(await networkOrg.admin.delete(smtpPath(ownOrg)), 404);
    expectStatus(await networkOrg.admin.get(smtpPath(ownOrg)), 404);
    expectStatus(await ownOrg.editor.call('PUT', smtpPath(ownOrg), intrusion), 403);
    expectStatus(await ownOrg.editor.delete(smtpPath(ownOrg)), 403);
    expectStatus(await coalition.coordinator.call('PUT', smtpPath(ownOrg), intrusion), 404);

    const badUrl = expectStatus(await ownOrg.admin.call('PUT', smtpPath(ownOrg), { url: 'https://mail.example.org', from: OWN_FROM }), 400);
    expect(badUrl.body).toMatchObject({ statusCode: 400, field: 'url' });
    const badFrom = expectStatus(await ownOrg.admin.call('PUT', smtpPath(ownOrg), { url: ownUrl(), from: 'not-an-address' }), 400);
    expect(badFrom.body).toMatchObject({ statusCode: 400, field: 'from' });

    expect(expectStatus(await ownOrg.admin.get(smtpPath(ownOrg)), 200).body.smtp).toMatchObject({ port: ownSink.smtpPort, from: OWN_FROM });
  });

  it('refuses a server on this machine, the metadata address or the bus with 400 naming url, and never connects there', async () => {
    // An organisation of its own, in no coalition: its supporter below must not count in the alerts that follow.
    const probeOrg = await createOrg(admin, 'Probe Rights');
    const natsPort = new URL(infra.natsUrl).port;
    for (const url of [
      `smtp://127.0.0.1:${canary.port}`,
      `smtp://attacker:pw@127.0.0.1:${canary.port}`,
      `smtp://localhost:${canary.port}`,
      `smtp://[::ffff:127.0.0.1]:${canary.port}`,
      `smtp://2130706433:${canary.port}`,
      'smtp://169.254.169.254:25',
      'smtps://169.254.169.254',
      `smtp://127.0.0.1:${natsPort}`,
      // The allow-listed sink's port under another name of the same machine is not the allow-listed server.
      `smtp://localhost:${ownSink.smtpPort}`,
    ]) {
      const res = await probeOrg.admin.call('PUT', smtpPath(probeOrg), { url, from: 'ceo@probe-rights.example' });
      expect({ url, status: res.status, field: res.body.field }).toEqual({ url, status: 400, field: 'url' });
    }
    expect(expectStatus(await probeOrg.admin.get(smtpPath(probeOrg)), 200).body).toEqual({ orgId: probeOrg.id, smtp: null });
    // The organisation's email still goes out, through the network's server: nothing was stored that leads to the canary.
    await join(probeOrg, networkSink, 'ssrf.probe@example.org');
    expect(canary.connections()).toBe(0);
    networkSink.clear();
  });

  async function join(org: Org, sink: SmtpSink, email: string) {
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { email, language: 'en', topics: [] } }), 201);
    const confirmation = await eventually(`confirmation email to ${email}`, async () => sink.messages().find((m) => m.to.includes(email)));
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)?.[0];
    expect(confirmUrl).toBeDefined();
    expectStatus(await http('GET', confirmUrl!), 200);
    return confirmation;
  }

  it('sends each organisation’s confirmation emails through its own server, or the network’s', async () => {
    for (const email of ownSupporters) expect((await join(ownOrg, ownSink, email)).from).toEqual({ name: 'Own Server Rights', address: OWN_FROM });
    for (const email of networkSupporters) {
      expect((await join(networkOrg, networkSink, email)).from).toEqual({ name: 'Network Rights', address: NETWORK_FROM });
    }
    expect(to(ownSink.messages())).toEqual(ownSupporters);
    expect(to(networkSink.messages())).toEqual(networkSupporters);
  });

  /** Publishes an alert (both organisations relay it at once) and waits until delivery recorded every email as sent. */
  async function publishAndDeliver(): Promise<void> {
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    const progress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, draft.id);
    try {
      expectStatus(await coalition.coordinator.post(`/alerts/${draft.id}/publish`), 200);
      // "sent" is counted after the SMTP server accepted the message: every sink holds its messages by then.
      const totals = await progress.until((p) => p.channels.email.sent + p.channels.email.failed + p.channels.email.suppressed === 4, 30_000);
      expect(totals.channels.email).toMatchObject({ targeted: 4, sent: 4, failed: 0, suppressed: 0 });
    } finally {
      progress.close();
    }
  }

  it('delivers an alert to each organisation’s supporters through its own server, from its own address, and nothing crosses over', async () => {
    await publishAndDeliver();

    const own = alertsIn(ownSink);
    expect(to(own)).toEqual(ownSupporters);
    for (const message of own) {
      expect(message.from).toEqual({ name: 'Own Server Rights', address: OWN_FROM });
      expect(message.envelope.from).toBe(OWN_FROM);
    }
    const viaNetwork = alertsIn(networkSink);
    expect(to(viaNetwork)).toEqual(networkSupporters);
    for (const message of viaNetwork) {
      expect(message.from).toEqual({ name: 'Network Rights', address: NETWORK_FROM });
      expect(message.envelope.from).toBe(NETWORK_FROM);
    }
  });

  it('goes back to the network’s server, still in the organisation’s name, once the setting is cleared', async () => {
    expect(expectStatus(await ownOrg.admin.delete(smtpPath(ownOrg)), 200).body).toEqual({ orgId: ownOrg.id, smtp: null });
    expect(expectStatus(await ownOrg.admin.get(smtpPath(ownOrg)), 200).body).toEqual({ orgId: ownOrg.id, smtp: null });
    const ownBefore = ownSink.messages().length;
    networkSink.clear();

    await publishAndDeliver();

    expect(ownSink.messages()).toHaveLength(ownBefore);
    const messages = alertsIn(networkSink);
    expect(to(messages)).toEqual([...ownSupporters, ...networkSupporters].sort());
    for (const message of messages) {
      const name = ownSupporters.includes(message.envelope.to[0]) ? 'Own Server Rights' : 'Network Rights';
      expect(message.from).toEqual({ name, address: NETWORK_FROM });
    }
  });

  it('never carried the SMTP password, a VAPID private key or a bearer token in clear on the bus', async () => {
    await snoop.flush();
    const raw = seen.map((msg) => `${msg.subject} ${Buffer.from(msg.data).toString('utf8')}`);
    // The sender identities delivery asked for were there, sealed; opened with delivery's key they are real private keys.
    const opener = new SecretOpener(readFileSync(infra.bus.senderSecretsKeyFile, 'utf8'));
    const identities = raw
      .filter((text) => text.startsWith('_INBOX.delivery.') && text.includes('privateKeySealed'))
      .map((text) => JSON.parse(text.slice(text.indexOf(' ') + 1)) as { response?: { orgId: string; vapid: { privateKeySealed: string } } })
      .map((reply) => reply.response ?? (reply as unknown as { orgId: string; vapid: { privateKeySealed: string } }));
    // At least the two organisations that sent mail (the refusal tests' organisations may be asked for too).
    expect([...new Set(identities.map((identity) => identity.orgId))]).toEqual(expect.arrayContaining([ownOrg.id, networkOrg.id]));
    const vapidPrivateKeys = identities.map((identity) => openVapidPrivateKey(opener, identity.orgId, identity.vapid.privateKeySealed));
    expect(raw.some((text) => text.includes('passwordSealed'))).toBe(true);

    const tokens = [network.adminToken, ownOrg.admin.token!, ownOrg.editor.token!, networkOrg.admin.token!, coalition.coordinator.token!];
    const secrets = [OWN_PASSWORD, encodeURIComponent(OWN_PASSWORD), ...vapidPrivateKeys, ...tokens];
    for (const secret of secrets) {
      for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')]) {
        expect(raw.filter((text) => text.includes(form)).map((text) => text.slice(0, 80))).toEqual([]);
      }
    }
  });
});

