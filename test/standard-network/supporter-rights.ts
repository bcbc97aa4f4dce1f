import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { deliveryRpc, type PushSubscriptionJson, type RelayProgress, type SupporterExportView } from '@clarion/contracts';
import { LinkSigner } from '@clarion/security';
import type { PushService, SmtpSink } from '@clarion/sinks';
import { http, TestRpc, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { standardNetwork } from '../support/standard-network';

/** Erasure must have reached the files, the bus and the logs within this (docs/decisions/0024). */
const ERASED_WITHIN_MS = 60_000;

interface Person {
  label: string;
  email: string;
  push: PushSubscriptionJson;
  id: string;
  /** The preferences link from their alert email. */
  preferencesUrl: string;
  /** The token of its List-Unsubscribe link: signed by the installation, but of another kind. */
  unsubscribeToken: string;
}

/**
 * Supporters' rights (GDPR Art. 15, 17, 20) with every service a process:
 * an organisation's admin and a supporter's own preferences link each export
 * and erase one supporter; after erasure, neither their address nor their
 * push endpoint is left in FerretDB's files, the JetStream store and its
 * messages, or the services' logs, while a control supporter still is (so the
 * search finds what is there); another tenant's admin and forged or dead
 * links get nothing; a later alert does not reach them. And a browser's
 * rotated push subscription replaces the old one only when the old one is
 * proven exactly.
 */
describe('supporters’ rights: export and erasure, everywhere', () => {
  const net = standardNetwork();
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let push: PushService;
  let admin: Api;
  let coalition: Coalition;
  let org: Org;
  let otherOrg: Org;
  let harness: NatsConnection;
  let rpc: TestRpc;
  const run = Date.now().toString(36);
  const people: Record<'byAdmin' | 'bySelf' | 'control', Person> = {} as never;

  beforeAll(async () => {
    ({ infra, network, smtp, push } = net);
    admin = new Api(network.gatewayUrl, network.adminToken);
    harness = await infra.connectHarness();
    rpc = await TestRpc.connect(infra);
  });

  afterAll(async () => {
    await rpc?.close();
    await harness?.close();
  });

  async function publishAlert(): Promise<string> {
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    expectStatus(await coalition.coordinator.post(`/alerts/${draft.id}/publish`), 200);
    return draft.id;
  }

  async function progressOf(alertId: string): Promise<RelayProgress | undefined> {
    return (await rpc.request(deliveryRpc.progress, { alertId }))[0];
  }

  it('has three supporters on email and push who got an alert, each with a preferences link', async () => {
    coalition = await createCoalition(admin);
    [org, otherOrg] = await Promise.all([createOrg(admin, 'Rights Org'), createOrg(admin, 'Other Tenant')]);
    await subscribe(coalition, org, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
    // Another organisation's list in the same collection: the supporters share database pages with others, as on any real installation.
    const ballast = Array.from({ length: 300 }, (_, i) => `someone-${i}-${run}@elsewhere.example.org,en,,2026-11-01,import`);
    const imported = expectStatus(await otherOrg.admin.post(`/organisations/${otherOrg.id}/supporters/import`, { csv: ['email,language,topics,consent_at,consent_source', ...ballast].join('\n') }), 200);
    expect(imported.body.imported).toBe(300);

    for (const label of ['byAdmin', 'bySelf', 'control'] as const) {
      const email = `${label.toLowerCase()}-${run}@rights.example.org`;
      const { subscription } = push.createSubscription(label);
      expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { email, push: subscription, language: 'en', topics: [] } }), 201);
      const confirmation = await eventually(`confirmation email to ${label}`, async () => smtp.messages().find((m) => m.to.includes(email)));
      expectStatus(await http('GET', /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)![0]), 200);
      people[label] = { label, email, push: subscription, id: '', preferencesUrl: '', unsubscribeToken: '' };
    }
    const exported = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/export?format=json`), 200).body as { id: string; email: string }[];
    for (const person of Object.values(people)) person.id = exported.find((s) => s.email === person.email)!.id;

    smtp.clear();
    const alertId = await publishAlert();
    await smtp.waitForCount(3, 30_000);
    await push.waitForCount(3, 30_000);
    for (const person of Object.values(people)) {
      const message = smtp.messages().find((m) => m.to.includes(person.email))!;
      person.preferencesUrl = /https?:\/\/\S+?\/p\/[A-Za-z0-9_.-]+/.exec(message.text)![0];
      person.unsubscribeToken = /\/u\/([^>]+)>/.exec(message.headers['list-unsubscribe'])![1];
    }
    await eventually('the ledger counts the alert sent', async () => {
      const progress = await progressOf(alertId);
      return progress?.channels.email.sent === 3 && progress.channels.push.sent === 3 ? progress : undefined;
    });
  });

  it('gives the organisation’s admin everything held on one supporter, as JSON', async () => {
    const { byAdmin } = people;
    const data = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/${byAdmin.id}/export`), 200).body;
    expect(data.organisation).toEqual({ id: org.id, name: 'Rights Org', slug: org.slug });
    expect(data.profile).toMatchObject({ id: byAdmin.id, language: 'en', topics: [] });
    expect(data.subscriptions.email).toEqual({ address: byAdmin.email, state: 'active' });
    expect(data.subscriptions.push).toEqual({ endpoint: byAdmin.push.endpoint, keys: byAdmin.push.keys, state: 'active' });
    // A push subscription given with the address is confirmed by the same email (docs/decisions/0022).
    expect(data.consents.map((c: { channel: string; action: string }) => `${c.channel}:${c.action}`).sort()).toEqual(['email:confirmed', 'email:granted', 'push:confirmed', 'push:granted']);
    expect(data.deliveries.map((d: { channel: string; state: string }) => `${d.channel}:${d.state}`).sort()).toEqual(['email:sent', 'push:sent']);
    expect(Date.parse(data.exportedAt)).not.toBeNaN();
  });

  it('puts push subscriptions in the organisation’s export, in the columns import reads', async () => {
    const res = await fetch(`${network.gatewayUrl}/api/v1/organisations/${org.id}/supporters/export?format=csv`, { headers: { authorization: `Bearer ${org.admin.token}` } });
    const [header, ...rows] = (await res.text()).trim().split('\r\n');
    const columns = header.split(',');
    const row = rows.map((line) => line.split(',')).find((cells) => cells[columns.indexOf('email')] === people.control.email)!;
    expect(row[columns.indexOf('push_endpoint')]).toBe(people.control.push.endpoint);
    // A base64url key may start with "-": the export puts an apostrophe before it (no spreadsheet formula), which import takes off.
    const asExported = (key: string) => (key.startsWith('-') ? `'${key}` : key);
    expect(row[columns.indexOf('push_p256dh')]).toBe(asExported(people.control.push.keys.p256dh));
    expect(row[columns.indexOf('push_auth')]).toBe(asExported(people.control.push.keys.auth));
  });

  it('refuses another tenant’s admin, the organisation’s editor and a caller without a token', async () => {
    const { byAdmin } = people;
    for (const path of [`/organisations/${org.id}/supporters/${byAdmin.id}/export`, `/organisations/${org.id}/supporters/${byAdmin.id}/erase`]) {
      const method = path.endsWith('erase') ? 'POST' : 'GET';
      expectStatus(await otherOrg.admin.call(method, path, method === 'POST' ? {} : undefined), 404);
      expectStatus(await org.editor.call(method, path, method === 'POST' ? {} : undefined), 403);
      expectStatus(await new Api(network.gatewayUrl, undefined).call(method, path, method === 'POST' ? {} : undefined), 401);
    }
    // The supporter named under the other tenant's own organisation: not theirs, so not found.
    expectStatus(await otherOrg.admin.get(`/organisations/${otherOrg.id}/supporters/${byAdmin.id}/export`), 404);
    expectStatus(await otherOrg.admin.post(`/organisations/${otherOrg.id}/supporters/${byAdmin.id}/erase`), 404);
    // Still there, untouched.
    expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/${byAdmin.id}/export`), 200);
  });

  it('refuses forged preferences links: a changed signature, another installation’s key, another kind of link', async () => {
    const token = people.bySelf.preferencesUrl.split('/p/')[1];
    const [payload, mac] = token.split('.');
    const tampered = `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const foreign = new LinkSigner('some-other-installation-secret-key-0123456789').sign('preferences', { s: claims.s, o: claims.o });
    const wrongKind = people.bySelf.unsubscribeToken;
    for (const forged of [tampered, foreign, wrongKind, 'garbage']) {
      expect({ forged, status: (await fetch(`${network.gatewayUrl}/p/${forged}/export`)).status }).toEqual({ forged, status: 404 });
      expect({ forged, status: (await fetch(`${network.gatewayUrl}/p/${forged}/erase`, { method: 'POST' })).status }).toEqual({ forged, status: 404 });
    }
    expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/${people.bySelf.id}/export`), 200);
  });

  it('lets a supporter download their own data from their preferences link', async () => {
    const { bySelf } = people;
    const page = await (await fetch(bySelf.preferencesUrl)).text();
    expect(page).toContain(`/p/${bySelf.preferencesUrl.split('/p/')[1]}/export`);
    const res = await fetch(`${bySelf.preferencesUrl}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="supporter-${org.slug}-${bySelf.id}.json"`);
    const data = (await res.json()) as SupporterExportView;
    expect(data.subscriptions.email?.address).toBe(bySelf.email);
    expect(data.subscriptions.push?.endpoint).toBe(bySelf.push.endpoint);
    expect(data.deliveries).toHaveLength(2);
  });

  it('erases one supporter at the admin’s request and another at their own, each with an audit reference', async () => {
    const erased = expectStatus(await org.admin.post(`/organisations/${org.id}/supporters/${people.byAdmin.id}/erase`), 200).body;
    expect(erased.erasureId).toMatch(/^[0-9a-f]{24}$/);
    expectStatus(await org.admin.post(`/organisations/${org.id}/supporters/${people.byAdmin.id}/erase`), 404);

    const { bySelf } = people;
    const asked = await fetch(`${bySelf.preferencesUrl}/erase`);
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('data-testid="erase-button"');
    // Opening the link erased nothing: link scanners open links.
    expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/${bySelf.id}/export`), 200);
    const done = await fetch(`${bySelf.preferencesUrl}/erase`, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/data-testid="erasure-id">[0-9a-f]{24}</);

    for (const person of [people.byAdmin, bySelf]) {
      expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/${person.id}/export`), 404);
    }
    const counts = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body;
    expect(counts.total).toBe(1);
  });

  it('leaves an erased supporter’s old preferences link with nothing to show, export or erase', async () => {
    const { bySelf } = people;
    expect((await fetch(bySelf.preferencesUrl)).status).toBe(404);
    expect((await fetch(`${bySelf.preferencesUrl}/export`)).status).toBe(404);
    expect((await fetch(`${bySelf.preferencesUrl}/erase`, { method: 'POST' })).status).toBe(404);
  });

  const erasedNeedles = () => [people.byAdmin.email, people.byAdmin.push.endpoint, people.bySelf.email, people.bySelf.push.endpoint];
  const controlNeedles = () => [people.control.email, people.control.push.endpoint];

  it(`leaves neither address nor endpoint in the database files, the JetStream store and its messages, or the logs, within ${ERASED_WITHIN_MS / 1000} s`, async () => {
    const databaseFiles = () => filesUnder(infra.dir).filter((file) => /\.sqlite(-wal|-shm)?$/.test(file));
    expect(databaseFiles().length).toBeGreaterThan(0);
    await eventually(
      'no copy left in the database files',
      async () => (erasedNeedles().every((needle) => filesContaining(databaseFiles(), needle).length === 0) ? true : undefined),
      ERASED_WITHIN_MS,
    );
    // The control: the search finds a supporter who is still there.
    for (const needle of controlNeedles()) expect({ needle, found: filesContaining(databaseFiles(), needle).length > 0 }).toEqual({ needle, found: true });

    const storeFiles = filesUnder(join(infra.dir, 'nats'));
    expect(storeFiles.length).toBeGreaterThan(0);
    for (const needle of erasedNeedles()) expect({ needle, files: filesContaining(storeFiles, needle) }).toEqual({ needle, files: [] });
    // The store is encrypted, so its files prove little: the messages themselves, read back through the server.
    const messages = await storedMessages(harness);
    for (const needle of erasedNeedles()) {
      expect({ needle, messages: messages.filter((m) => m.text.includes(needle)).map((m) => m.where) }).toEqual({ needle, messages: [] });
    }
    for (const needle of controlNeedles()) {
      expect({ needle, inBatches: messages.some((m) => m.where.startsWith('DELIVERY_BATCHES') && m.text.includes(needle)) }).toEqual({ needle, inBatches: true });
    }

    const logs = filesUnder(join(infra.dir, 'logs'));
    expect(filesContaining(logs, 'supporter erased').length).toBeGreaterThan(0);
    for (const needle of [...erasedNeedles(), ...controlNeedles()]) expect({ needle, files: filesContaining(logs, needle) }).toEqual({ needle, files: [] });
  });

  it('keeps the ledger’s counts and drops who the records were about', async () => {
    for (const person of [people.byAdmin, people.bySelf]) {
      const history = await rpc.request(deliveryRpc.supporterHistory, { orgId: org.id, supporterId: person.id });
      expect(history).toEqual({ deliveries: [] });
    }
    expect((await rpc.request(deliveryRpc.supporterHistory, { orgId: org.id, supporterId: people.control.id })).deliveries).toHaveLength(2);
  });

  it('replaces a rotated push subscription only for the exact old one, from its own organisation', async () => {
    const { control } = people;
    const renewed = push.createSubscription('control-renewed');
    const renew = (slug: string, old: unknown, fresh: unknown = renewed.subscription) =>
      http('POST', `${network.gatewayUrl}/join/${slug}/push/renew`, { body: { old, new: fresh } });
    const wrongAuth = { ...control.push, keys: { ...control.push.keys, auth: Buffer.alloc(16, 7).toString('base64url') } };
    const wrongKey = { ...control.push, keys: { ...control.push.keys, p256dh: push.createSubscription().subscription.keys.p256dh } };
    expectStatus(await renew(org.slug, wrongAuth), 404);
    expectStatus(await renew(org.slug, wrongKey), 404);
    expectStatus(await renew(otherOrg.slug, control.push), 404);
    expectStatus(await renew(org.slug, people.bySelf.push), 404);
    expectStatus(await renew(org.slug, control.push, { ...renewed.subscription, endpoint: 'http://127.0.0.1:9/push/x' }), 400);
    expectStatus(await renew(org.slug, { endpoint: control.push.endpoint }), 400);
    const before = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/${control.id}/export`), 200).body;
    expect(before.subscriptions.push.endpoint).toBe(control.push.endpoint);

    expectStatus(await renew(org.slug, control.push), 200);
    const after = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/${control.id}/export`), 200).body;
    expect(after.subscriptions.push).toEqual({ endpoint: renewed.subscription.endpoint, keys: renewed.subscription.keys, state: 'active' });
    // The old subscription proves nothing any more.
    expectStatus(await renew(org.slug, control.push), 404);
  });

  it('does not reach erased supporters with a later alert; the remaining supporter gets it on their renewed subscription', async () => {
    smtp.clear();
    push.clear();
    const alertId = await publishAlert();
    const progress = await eventually(
      'the later alert sent',
      async () => {
        const now = await progressOf(alertId);
        return now?.channels.email.sent === 1 && now.channels.push.sent === 1 ? now : undefined;
      },
      30_000,
    );
    expect(progress.channels.email.targeted).toBe(1);
    expect(progress.channels.push.targeted).toBe(1);
    expect(smtp.messages().map((m) => m.to[0])).toEqual([people.control.email]);
    expect(push.messages().map((m) => m.label)).toEqual(['control-renewed']);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false; // removed meanwhile (a WAL truncated, a socket)
      }
    });
}

function filesContaining(files: string[], needle: string): string[] {
  const bytes = Buffer.from(needle);
  return files.filter((file) => {
    try {
      return readFileSync(file).includes(bytes);
    } catch {
      return false;
    }
  });
}

/** Every message every stream holds, read one by one through the server with the harness's full rights. */
async function storedMessages(nc: NatsConnection): Promise<{ where: string; text: string }[]> {
  const jsm = await nc.jetstreamManager();
  const found: { where: string; text: string }[] = [];
  for await (const stream of jsm.streams.list()) {
    const { first_seq: first, last_seq: last } = stream.state;
    for (let seq = first; last > 0 && seq <= last; seq++) {
      try {
        const message = await jsm.streams.getMessage(stream.config.name, { seq });
        found.push({ where: `${stream.config.name} ${message.subject}`, text: new TextDecoder().decode(message.data) });
      } catch {
        // a gap: acknowledged off a work queue, or erased
      }
    }
  }
  return found;
}
