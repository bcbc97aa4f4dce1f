import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import {
  directoryRpc,
  eventSubjects,
  supporterRpc,
  type ExportPageView,
  type ExportedSupporterView,
  type ImportResultView,
  type JoinResultView,
  type Principal,
  type PublicOrganisationView,
  type SenderIdentityView,
  type SupporterCountsView,
} from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import { LinkSigner } from '@clarion/security';
import { PushService } from '@clarion/sinks';
import { startTestInfra, TestRpc, uniqueDbName, type TestInfra } from '@clarion/testing';
import { Directory, eventually, startSubscriptions, streamMessages, subscriptionsConfig } from '../test/subscriptions-harness';
import { endpointHashOf } from './supporter.schema';

const SECRET_KEY = randomBytes(32).toString('base64url');
const PUBLIC_BASE_URL = 'https://clarion.test';
const consent = { ip: '203.0.113.7', userAgent: 'Firefox/140', source: `${PUBLIC_BASE_URL}/join/some-org` };
const HEADER = 'email,language,topics,consent_at,consent_source';

describe('subscriptions: supporters', () => {
  let infra: TestInfra;
  let push: PushService;
  let rpc: TestRpc;
  let nc: NatsConnection;
  let app: INestApplication;
  let directory: Directory;
  /** Signs links as delivery does, with the installation's secret. */
  const signer = new LinkSigner(SECRET_KEY);

  beforeAll(async () => {
    [infra, push] = await Promise.all([startTestInfra(), PushService.start()]);
    rpc = await TestRpc.connect(infra.natsUrl);
    const adminSecret = `clr_${randomBytes(24).toString('base64url')}`;
    const env = { BOOTSTRAP_ADMIN_TOKEN: adminSecret, SECRET_KEY, PUBLIC_BASE_URL, LOCAL_PUSH_SERVICE_URL: push.httpUrl };
    app = await startSubscriptions(subscriptionsConfig(infra, uniqueDbName('supporters'), env), rpc);
    nc = await connect({ servers: infra.natsUrl });
    directory = new Directory(rpc, await rpc.request<Principal>(directoryRpc.resolveToken, { token: adminSecret }));
  });
  afterAll(async () => {
    await rpc?.close();
    await nc?.close();
    await app?.close();
    await Promise.all([infra?.stop(), push?.stop()]);
  });

  interface Tenant {
    orgId: string;
    slug: string;
    admin: Principal;
    editor: Principal;
  }

  async function tenant(): Promise<Tenant> {
    const org = await directory.organisation();
    return {
      orgId: org.id,
      slug: org.slug,
      admin: await directory.actor({ role: 'org_admin', orgId: org.id }),
      editor: await directory.actor({ role: 'org_editor', orgId: org.id }),
    };
  }

  const join = (slug: string, input: object) => rpc.request<JoinResultView>(supporterRpc.join, { slug, input, consent });
  const counts = (t: Tenant) => rpc.request<SupporterCountsView>(supporterRpc.counts, { actor: t.editor, orgId: t.orgId });
  const importCsv = (t: Tenant, lines: string[]) => rpc.request<ImportResultView>(supporterRpc.importCsv, { actor: t.admin, orgId: t.orgId, csv: [HEADER, ...lines].join('\n') });

  async function exported(t: Tenant): Promise<ExportedSupporterView[]> {
    const all: ExportedSupporterView[] = [];
    let after: string | undefined;
    do {
      const page: ExportPageView = await rpc.request(supporterRpc.exportPage, { actor: t.admin, orgId: t.orgId, limit: 1_000, ...(after ? { after } : {}) });
      all.push(...page.supporters);
      after = page.next;
    } while (after);
    return all;
  }
  const exportedOne = async (t: Tenant, supporterId: string) => (await exported(t)).find((supporter) => supporter.id === supporterId);

  /** The confirmation emails asked of delivery for this supporter, oldest first. */
  const confirmations = async (supporterId: string) =>
    (await streamMessages(nc, 'DELIVERY_JOBS')).filter((m) => m.subject === eventSubjects.confirmationEmail && m.payload.supporterId === supporterId);

  const tokenOf = (confirmUrl: string) => confirmUrl.slice(`${PUBLIC_BASE_URL}/join/confirm/`.length);

  it('shows an organisation’s public page with the VAPID key delivery signs its pushes with', async () => {
    const t = await tenant();
    const view = await rpc.request<PublicOrganisationView>(supporterRpc.publicOrganisation, { slug: t.slug });
    expect(view).toMatchObject({ id: t.orgId, slug: t.slug, languages: ['en', 'sw'], branding: { colour: '#1f4e79' } });
    expect(view.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);

    const identity = await rpc.request<SenderIdentityView>(supporterRpc.senderIdentity, { orgId: t.orgId });
    expect(identity).toMatchObject({ orgId: t.orgId, vapid: { publicKey: view.vapidPublicKey, subject: PUBLIC_BASE_URL } });
    expect(identity.vapid.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(identity.smtp).toBeUndefined();

    await expect(rpc.request(supporterRpc.publicOrganisation, { slug: 'no-such-org' })).rejects.toMatchObject({ statusCode: 404, field: 'slug' });
  });

  it('asks an address to confirm (double opt-in) and activates it through the link, once', async () => {
    const t = await tenant();
    const joined = await join(t.slug, { email: 'Ada@Example.org', language: 'sw', topics: ['civic-space'] });
    expect(joined).toEqual({ supporterId: expect.any(String), emailState: 'pending' });

    const [asked] = await eventually(async () => ((await confirmations(joined.supporterId)).length ? confirmations(joined.supporterId) : undefined));
    expect(asked.msgId).toBe(`confirm:${joined.supporterId}:1`);
    expect(asked.payload).toMatchObject({ orgId: t.orgId, email: 'ada@example.org', language: 'sw', org: { slug: t.slug } });
    expect(asked.payload.confirmUrl).toMatch(new RegExp(`^${PUBLIC_BASE_URL}/join/confirm/`));

    const token = tokenOf(asked.payload.confirmUrl);
    const confirm = () => rpc.request(supporterRpc.confirmEmail, { token, consent });
    await expect(confirm()).resolves.toMatchObject({ supporterId: joined.supporterId, emailState: 'active', org: { slug: t.slug } });
    await expect(confirm()).resolves.toMatchObject({ emailState: 'active' });

    const supporter = await exportedOne(t, joined.supporterId);
    expect(supporter).toMatchObject({ email: 'ada@example.org', emailState: 'active', language: 'sw', topics: ['civic-space'] });
    expect(supporter?.consents).toEqual([
      expect.objectContaining({ channel: 'email', action: 'granted', method: 'join-page', ...consent }),
      expect.objectContaining({ channel: 'email', action: 'confirmed', method: 'email-confirmation' }),
    ]);

    // Joining again with an active address keeps it active and sends nothing.
    await expect(join(t.slug, { email: 'ada@example.org', language: 'en' })).resolves.toEqual({ supporterId: joined.supporterId, emailState: 'active' });
    expect(await confirmations(joined.supporterId)).toHaveLength(1);

    for (const bad of [`${token}x`, signer.sign('confirm', { s: joined.supporterId, o: t.orgId }, -10), signer.sign('preferences', { s: joined.supporterId, o: t.orgId })]) {
      await expect(rpc.request(supporterRpc.confirmEmail, { token: bad, consent })).rejects.toMatchObject({ statusCode: 400, field: 'token' });
    }
  });

  it('refuses a push endpoint on a private address and stores nothing; takes the local push service at once', async () => {
    const t = await tenant();
    const { subscription } = push.createSubscription('supporter');
    const privateEndpoint = { ...subscription, endpoint: 'https://10.1.2.3/push/abc' };
    await expect(join(t.slug, { push: privateEndpoint, email: 'bob@example.org', language: 'en' })).rejects.toMatchObject({ statusCode: 400, field: 'push.endpoint' });
    expect(await counts(t)).toMatchObject({ total: 0 });

    const joined = await join(t.slug, { push: subscription, language: 'en', topics: [] });
    expect(joined).toEqual({ supporterId: expect.any(String), pushState: 'active' });
    // The same browser joining again is the same supporter.
    await expect(join(t.slug, { push: subscription, language: 'sw' })).resolves.toEqual({ supporterId: joined.supporterId, pushState: 'active' });
    expect(await counts(t)).toEqual({ total: 1, email: { pending: 0, active: 0, unsubscribed: 0, suppressed: 0 }, push: { active: 1, unsubscribed: 0, gone: 0 } });
  });

  it('unsubscribes one channel through a link signed as delivery signs it, idempotently, and shows preferences', async () => {
    const t = await tenant();
    const { subscription } = push.createSubscription();
    const joined = await join(t.slug, { email: 'cy@example.org', push: subscription, language: 'en' });
    const [asked] = await eventually(async () => ((await confirmations(joined.supporterId)).length ? confirmations(joined.supporterId) : undefined));
    await rpc.request(supporterRpc.confirmEmail, { token: tokenOf(asked.payload.confirmUrl), consent });

    const unsubscribe = () => rpc.request(supporterRpc.unsubscribe, { token: signer.sign('unsubscribe', { s: joined.supporterId, c: 'email', o: t.orgId }), consent });
    await expect(unsubscribe()).resolves.toEqual({ channel: 'email', orgName: `Org ${t.slug}` });
    await expect(unsubscribe()).resolves.toEqual({ channel: 'email', orgName: `Org ${t.slug}` });
    const supporter = await exportedOne(t, joined.supporterId);
    expect(supporter).toMatchObject({ emailState: 'unsubscribed', pushState: 'active' });
    expect(supporter?.consents.filter((c) => c.action === 'withdrawn')).toEqual([expect.objectContaining({ channel: 'email', method: 'one-click', source: consent.source })]);

    // The old confirmation link never brings back someone who left.
    await expect(rpc.request(supporterRpc.confirmEmail, { token: tokenOf(asked.payload.confirmUrl), consent })).rejects.toMatchObject({ statusCode: 400, field: 'token' });

    const token = signer.sign('preferences', { s: joined.supporterId, o: t.orgId });
    await expect(rpc.request(supporterRpc.getPreferences, { token })).resolves.toMatchObject({
      language: 'en',
      topics: [],
      emailState: 'unsubscribed',
      pushState: 'active',
      org: { slug: t.slug, languages: ['en', 'sw'] },
    });
    await expect(rpc.request(supporterRpc.updatePreferences, { token, input: { language: 'sw', topics: ['climate'] } })).resolves.toMatchObject({
      language: 'sw',
      topics: ['climate'],
    });
    expect((await exportedOne(t, joined.supporterId))?.consents).toHaveLength(4);
    await expect(rpc.request(supporterRpc.unsubscribe, { token: 'forged.token', consent })).rejects.toMatchObject({ statusCode: 400, field: 'token' });
  });

  it('imports only rows with consent evidence, never duplicating or resubscribing an address', async () => {
    const t = await tenant();
    const left = await join(t.slug, { email: 'left@example.org', language: 'en' });
    await rpc.request(supporterRpc.unsubscribe, { token: signer.sign('unsubscribe', { s: left.supporterId, c: 'email', o: t.orgId }), consent });
    const pending = await join(t.slug, { email: 'pending@example.org', language: 'en' });

    const result = await importCsv(t, [
      'new@example.org,fr,civic-space;climate,2025-03-01T10:00:00Z,March petition',
      'no-evidence@example.org,en,,,',
      'left@example.org,en,,2025-03-01,March petition',
      'PENDING@example.org,en,,2025-03-01,March petition',
      'not-an-address,en,,2025-03-01,March petition',
      'new@example.org,en,,2025-03-01,repeated row',
    ]);
    expect(result.imported).toBe(2);
    expect(result.skipped).toEqual([
      { line: 3, reason: expect.stringMatching(/no consent evidence/) },
      { line: 4, reason: expect.stringMatching(/unsubscribed/) },
      { line: 6, reason: expect.stringMatching(/^email /) },
      { line: 7, reason: expect.stringMatching(/already on the list/) },
    ]);

    const byEmail = new Map((await exported(t)).map((supporter) => [supporter.email, supporter]));
    expect(byEmail.size).toBe(3);
    expect(byEmail.get('left@example.org')).toMatchObject({ id: left.supporterId, emailState: 'unsubscribed' });
    expect(byEmail.get('pending@example.org')).toMatchObject({ id: pending.supporterId, emailState: 'active' });
    expect(byEmail.get('new@example.org')).toMatchObject({ emailState: 'active', language: 'fr', topics: ['civic-space', 'climate'] });
    expect(byEmail.get('new@example.org')?.consents).toEqual([
      { supporterId: byEmail.get('new@example.org')?.id, channel: 'email', action: 'imported', method: 'import', at: '2025-03-01T10:00:00.000Z', source: 'March petition' },
    ]);

    // Imported again: nothing new.
    await expect(importCsv(t, ['new@example.org,fr,,2025-03-01,March petition'])).resolves.toEqual({ imported: 0, skipped: [{ line: 2, reason: 'already subscribed' }] });

    await expect(rpc.request(supporterRpc.importCsv, { actor: t.editor, orgId: t.orgId, csv: HEADER })).rejects.toMatchObject({ statusCode: 403 });
    const other = await tenant();
    await expect(rpc.request(supporterRpc.importCsv, { actor: other.admin, orgId: t.orgId, csv: HEADER })).rejects.toMatchObject({ statusCode: 404 });
    await expect(rpc.request(supporterRpc.importCsv, { actor: t.admin, orgId: t.orgId, csv: 'email\nx@example.org' })).rejects.toMatchObject({ statusCode: 400, field: 'csv' });
  });

  it('exports page by page in id order, each supporter once, with consents; counts by channel state', async () => {
    const t = await tenant();
    await importCsv(t, ['a', 'b', 'c', 'd', 'e'].map((name) => `${name}@example.org,en,,2025-03-01,fair`));
    const whole = await rpc.request<ExportPageView>(supporterRpc.exportPage, { actor: t.admin, orgId: t.orgId, limit: 5 });
    expect(whole.supporters).toHaveLength(5);
    expect(whole.next).toBeUndefined();
    const pages: ExportPageView[] = [];
    let after: string | undefined;
    do {
      const page: ExportPageView = await rpc.request(supporterRpc.exportPage, { actor: t.admin, orgId: t.orgId, limit: 2, ...(after ? { after } : {}) });
      pages.push(page);
      after = page.next;
    } while (after);
    expect(pages.map((page) => page.supporters.length)).toEqual([2, 2, 1]);
    const ids = pages.flatMap((page) => page.supporters.map((supporter) => supporter.id));
    expect(ids).toHaveLength(5);
    expect([...ids].sort()).toEqual(ids);
    expect(pages.flatMap((page) => page.supporters).every((supporter) => supporter.consents.length === 1)).toBe(true);

    await expect(counts(t)).resolves.toMatchObject({ total: 5, email: { active: 5 } });
    const other = await tenant();
    await expect(rpc.request(supporterRpc.exportPage, { actor: t.editor, orgId: t.orgId })).rejects.toMatchObject({ statusCode: 403 });
    await expect(rpc.request(supporterRpc.counts, { actor: other.editor, orgId: t.orgId })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('acts on delivery feedback: a gone push subscription is removed, a rejected address suppressed', async () => {
    const t = await tenant();
    const { subscription } = push.createSubscription();
    const joined = await join(t.slug, { push: subscription, language: 'en' });
    await importCsv(t, ['bounce@example.org,en,,2025-03-01,fair']);
    const bounced = (await exported(t)).find((supporter) => supporter.email === 'bounce@example.org');
    const publisher = new EventPublisher(nc.jetstream());
    const occurredAt = new Date().toISOString();

    const gone = { eventId: `gone:${joined.supporterId}`, occurredAt, orgId: t.orgId, supporterId: joined.supporterId, endpointHash: endpointHashOf(subscription.endpoint), status: 410 };
    await publisher.publish(eventSubjects.pushGone, gone, { msgId: gone.eventId });
    const rejected = { eventId: `rejected:${bounced?.id}`, occurredAt, orgId: t.orgId, supporterId: bounced?.id ?? '', smtpCode: 550, reason: 'no such mailbox' };
    await publisher.publish(eventSubjects.emailRejected, rejected, { msgId: rejected.eventId });

    await eventually(async () => {
      const { email, push: pushCounts } = await counts(t);
      return pushCounts.gone === 1 && email.suppressed === 1 ? true : undefined;
    });
    // The subscription is forgotten: the same browser joining again is a new subscription, active again.
    await expect(join(t.slug, { push: subscription, language: 'en' })).resolves.toMatchObject({ pushState: 'active' });
  });
});
