import type { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type NatsConnection } from 'nats';
import {
  directoryRpc,
  eventSubjects,
  supporterRpc,
  type ExportPageView,
  type ExportedSupporterView,
  type Principal,
} from '@clarion/contracts';
import { contactKeyHash } from '@clarion/channels';
import { EventPublisher } from '@clarion/messaging';
import { hashTokenSecret, LinkSigner, openVapidPrivateKey, SecretOpener } from '@clarion/security';
import { PushService } from '@clarion/sinks';
import { startTestInfra, TestRpc, uniqueDbName, type TestInfra } from '@clarion/testing';
import { Directory, eventually, startSubscriptions, streamMessages, subscriptionsConfig } from '../test/subscriptions-harness';
import { SupporterRepository, type AudienceMember } from './supporter.repository';
import { endpointHashOf, Supporter } from './supporter.schema';

const SECRET_KEY = randomBytes(32).toString('base64url');
const PUBLIC_BASE_URL = 'https://clarion.test';
const consent = { ip: '203.0.113.7', userAgent: 'Firefox/140', source: `${PUBLIC_BASE_URL}/join/some-org` };
const HEADER = 'email,language,topics,consent_at,consent_source';
/** The header the benchmark sends. */
const PUSH_HEADER = `${HEADER},push_endpoint,push_p256dh,push_auth`;

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
    rpc = await TestRpc.connect(infra);
    const adminSecret = `clr_${randomBytes(24).toString('base64url')}`;
    const env = { BOOTSTRAP_ADMIN_TOKEN: adminSecret, SECRET_KEY, PUBLIC_BASE_URL, LOCAL_PUSH_SERVICE_URL: push.httpUrl };
    app = await startSubscriptions(subscriptionsConfig(infra, uniqueDbName('supporters'), env), rpc);
    nc = await infra.connectHarness();
    directory = new Directory(rpc, await rpc.request(directoryRpc.resolveToken, { tokenHash: hashTokenSecret(adminSecret) }));
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

  const join = (slug: string, input: object) => rpc.unchecked(supporterRpc.join, { slug, input, consent });
  // Counting thousands of supporters can outlast the default request timeout on a machine the rest of the suite keeps busy.
  const counts = (t: Tenant) => rpc.request(supporterRpc.counts, { actor: t.editor, orgId: t.orgId }, 60_000);
  const importCsv = (t: Tenant, lines: string[]) => rpc.request(supporterRpc.importCsv, { actor: t.admin, orgId: t.orgId, csv: [HEADER, ...lines].join('\n') });

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

  /** Every queued join worked on: the work queue keeps a job until it is handled. */
  const joinsHandled = () => eventually(async () => ((await streamMessages(nc, 'SUPPORTER_JOBS')).length === 0 ? true : undefined));
  const repository = () => app.get(SupporterRepository);
  /** The id of the supporter with this address, once the join was worked on. */
  const idByEmail = async (t: Tenant, email: string) => {
    await joinsHandled();
    return (await repository().findByKey(t.orgId, 'email', email))?._id.toHexString() ?? '';
  };
  /** The id of the supporter holding this browser subscription, once the join was worked on. */
  const byEndpoint = async (t: Tenant, subscription: { endpoint: string }) => {
    await joinsHandled();
    return (await repository().findByKey(t.orgId, 'push', endpointHashOf(subscription.endpoint)))?._id.toHexString() ?? '';
  };
  /** What fan-out reads of the organisation's supporters. */
  async function audienceOf(t: Tenant): Promise<AudienceMember[]> {
    const members: AudienceMember[] = [];
    for await (const member of repository().streamAudience(t.orgId, ['email', 'push'], undefined, 1_000)) members.push(member);
    return members;
  }
  /** The seam for "a day later": the last confirmation email moved back past the window. */
  const windowPassed = (supporterId: string) =>
    app.get<Model<Supporter>>(getModelToken(Supporter.name)).updateOne({ _id: supporterId }, { $set: { confirmationSentAt: new Date(Date.now() - 25 * 60 * 60_000) } }).exec();
  const confirmationFor = async (supporterId: string, count = 1) =>
    (await eventually(async () => ((await confirmations(supporterId)).length >= count ? confirmations(supporterId) : undefined)))[count - 1];

  it('shows an organisation’s public page with the VAPID key delivery signs its pushes with', async () => {
    const t = await tenant();
    const view = await rpc.request(supporterRpc.publicOrganisation, { slug: t.slug });
    expect(view).toMatchObject({ id: t.orgId, slug: t.slug, languages: ['en', 'sw'], branding: { colour: '#1f4e79' } });
    expect(view.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);

    const delivery = await TestRpc.connect(infra, 'delivery');
    const identity = await delivery.request(supporterRpc.senderIdentity, { orgId: t.orgId }).finally(() => delivery.close());
    expect(identity).toMatchObject({ orgId: t.orgId, vapid: { publicKey: view.vapidPublicKey, subject: PUBLIC_BASE_URL } });
    // Sealed to delivery's key: what delivery opens is a VAPID private key, and only delivery can open it.
    expect(openVapidPrivateKey(new SecretOpener(readFileSync(infra.bus.senderSecretsKeyFile, 'utf8')), t.orgId, identity.vapid.privateKeySealed)).toMatch(
      /^[A-Za-z0-9_-]{43}$/,
    );
    expect(identity.smtp).toBeUndefined();

    await expect(rpc.request(supporterRpc.publicOrganisation, { slug: 'no-such-org' })).rejects.toMatchObject({ statusCode: 404, field: 'slug' });
  });

  it('asks an address to confirm (double opt-in) and activates it through the link, which works once', async () => {
    const t = await tenant();
    await expect(join(t.slug, { email: 'Ada@Example.org', language: 'sw', topics: ['civic-space'] })).resolves.toEqual({ emailState: 'pending' });
    const supporterId = await idByEmail(t, 'ada@example.org');

    const asked = await confirmationFor(supporterId);
    expect(asked.msgId).toMatch(/^confirm:[A-Za-z0-9_-]{16}$/);
    expect(asked.payload).toMatchObject({ orgId: t.orgId, email: 'ada@example.org', language: 'sw', org: { slug: t.slug } });
    expect(asked.payload.confirmUrl).toMatch(new RegExp(`^${PUBLIC_BASE_URL}/join/confirm/`));

    const token = tokenOf(asked.payload.confirmUrl);
    const attemptId = signer.verify('confirm', token)?.a;
    expect(asked.msgId).toBe(`confirm:${attemptId}`);
    const confirm = () => rpc.request(supporterRpc.confirmEmail, { token, consent });
    await expect(confirm()).resolves.toMatchObject({ emailState: 'active', org: { slug: t.slug } });
    await expect(confirm()).rejects.toMatchObject({ statusCode: 400, field: 'token' });

    const supporter = await exportedOne(t, supporterId);
    expect(supporter).toMatchObject({ email: 'ada@example.org', emailState: 'active', language: 'sw', topics: ['civic-space'] });
    expect(supporter?.consents).toEqual([
      expect.objectContaining({ channel: 'email', action: 'granted', method: 'join-page', ...consent }),
      expect.objectContaining({ channel: 'email', action: 'confirmed', method: 'email-confirmation' }),
    ]);

    // Joining again with an active address answers the same, changes nothing and sends nothing, even after the window.
    await windowPassed(supporterId);
    await expect(join(t.slug, { email: 'ada@example.org', language: 'en' })).resolves.toEqual({ emailState: 'pending' });
    await joinsHandled();
    expect(await confirmations(supporterId)).toHaveLength(1);
    expect(await exportedOne(t, supporterId)).toMatchObject({ emailState: 'active', language: 'sw' });

    for (const bad of [
      `${token}x`,
      signer.sign('confirm', { s: supporterId, o: t.orgId, a: attemptId ?? '' }, -10),
      signer.sign('confirm', { s: supporterId, o: t.orgId }),
      signer.sign('preferences', { s: supporterId, o: t.orgId }),
    ]) {
      await expect(rpc.request(supporterRpc.confirmEmail, { token: bad, consent })).rejects.toMatchObject({ statusCode: 400, field: 'token' });
    }
  });

  it('joins a number by the code texted to it: pending until the code, five wrong codes use it up, the same refusal for any number', async () => {
    const t = await tenant();
    const number = `+3361${String(randomBytes(4).readUInt32BE(0) % 10_000_000).padStart(7, '0')}`;
    await expect(join(t.slug, { sms: number, language: 'en' })).resolves.toEqual({ smsState: 'pending' });
    await joinsHandled();
    const supporterId = (await repository().findByKey(t.orgId, 'sms', number))?._id.toHexString() ?? '';
    const codes = async () => (await streamMessages(nc, 'DELIVERY_JOBS')).filter((m) => m.subject === eventSubjects.optInCode && m.payload.supporterId === supporterId);
    const [asked] = await eventually(async () => ((await codes()).length > 0 ? codes() : undefined));
    expect(asked.payload).toMatchObject({ orgId: t.orgId, channel: 'sms', contact: number, language: 'en', expiresInMinutes: 10 });
    const code = String(asked.payload.code);
    expect(await exportedOne(t, supporterId)).toMatchObject({ smsState: 'pending' });
    // Not kept anywhere in the clear: neither the number nor the code is in the store.
    const stored = JSON.stringify(await app.get<Model<unknown>>(getModelToken('OptInCode')).find().lean().exec());
    expect(stored).not.toContain(number);
    expect(stored).not.toContain(code);

    const confirm = (contact: string, given: string) => rpc.request(supporterRpc.confirmCode, { slug: t.slug, channel: 'sms', contact, code: given, consent });
    const wrong = code === '000000' ? '000001' : '000000';
    // Another number, or one never joined: the same refusal, and no attempt taken from this number's code.
    await expect(confirm('+33699999999', code)).rejects.toMatchObject({ statusCode: 400, field: 'code' });
    await expect(confirm(number, 'abc')).rejects.toMatchObject({ statusCode: 400, field: 'code' });
    await expect(confirm(number, wrong)).rejects.toMatchObject({ statusCode: 400, field: 'code' });
    await expect(confirm(number, code)).resolves.toMatchObject({ channel: 'sms', org: { slug: t.slug } });
    expect(await exportedOne(t, supporterId)).toMatchObject({ smsState: 'active' });
    expect((await exportedOne(t, supporterId))?.consents).toEqual([
      expect.objectContaining({ channel: 'sms', action: 'granted', method: 'join-page' }),
      expect.objectContaining({ channel: 'sms', action: 'confirmed', method: 'code-confirmation' }),
    ]);
    // STOP through the provider: unsubscribed, consent withdrawn; its replay changes nothing, even after a START.
    const reply = (action: 'opt-out' | 'opt-in', replyId: string) => rpc.request(supporterRpc.channelReply, { channel: 'sms', contact: number, action, replyId, source: 'sms reply to +15005550006' });
    const stopId = `SM${randomBytes(16).toString('hex')}`;
    await expect(reply('opt-out', stopId)).resolves.toEqual({ moved: 1 });
    expect(await exportedOne(t, supporterId)).toMatchObject({ smsState: 'unsubscribed' });
    await expect(reply('opt-in', `SM${randomBytes(16).toString('hex')}`)).resolves.toEqual({ moved: 1 });
    await expect(reply('opt-out', stopId)).resolves.toEqual({ moved: 0 });
    expect(await exportedOne(t, supporterId)).toMatchObject({ smsState: 'active' });
    expect((await exportedOne(t, supporterId))?.consents.slice(2)).toEqual([
      expect.objectContaining({ channel: 'sms', action: 'withdrawn', method: 'channel-reply' }),
      expect.objectContaining({ channel: 'sms', action: 'granted', method: 'channel-reply' }),
    ]);

    // Used up; and joining again when on sends no code.
    await expect(confirm(number, code)).rejects.toMatchObject({ statusCode: 400, field: 'code' });
    await join(t.slug, { sms: number, language: 'en' });
    await joinsHandled();
    expect(await codes()).toHaveLength(1);

    // A second number: five wrong guesses, sent together, lock its code; the right one then fails too.
    const other = `+3361${String(randomBytes(4).readUInt32BE(0) % 10_000_000).padStart(7, '0')}`;
    await join(t.slug, { sms: other, language: 'en' });
    await joinsHandled();
    const otherId = (await repository().findByKey(t.orgId, 'sms', other))?._id.toHexString() ?? '';
    const otherCodes = async () => (await streamMessages(nc, 'DELIVERY_JOBS')).filter((m) => m.subject === eventSubjects.optInCode && m.payload.supporterId === otherId);
    const [otherAsked] = await eventually(async () => ((await otherCodes()).length > 0 ? otherCodes() : undefined));
    const otherCode = String(otherAsked.payload.code);
    const guesses = Array.from({ length: 6 }, (_, n) => String((Number(otherCode) + n + 1) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.allSettled(guesses.map((guess) => confirm(other, guess)));
    expect(answers.every((answer) => answer.status === 'rejected')).toBe(true);
    await expect(confirm(other, otherCode)).rejects.toMatchObject({ statusCode: 400, field: 'code' });
    expect(await exportedOne(t, otherId)).toMatchObject({ smsState: 'pending' });

    // Erased with the supporter: the pending code goes too.
    await rpc.request(supporterRpc.eraseSupporter, { actor: t.admin, orgId: t.orgId, supporterId: otherId });
    expect(await app.get<Model<unknown>>(getModelToken('OptInCode')).countDocuments({ attempts: { $exists: true } }).exec()).toBe(0);
  });

  it('sends one confirmation email per address in the window however often it is joined; a newer one after it voids the older link', async () => {
    const t = await tenant();
    for (let i = 0; i < 8; i++) await expect(join(t.slug, { email: 'often@example.org', language: 'en' })).resolves.toEqual({ emailState: 'pending' });
    const supporterId = await idByEmail(t, 'often@example.org');
    const first = await confirmationFor(supporterId);
    expect(await confirmations(supporterId)).toHaveLength(1);

    await windowPassed(supporterId);
    await join(t.slug, { email: 'often@example.org', language: 'sw' });
    const second = await confirmationFor(supporterId, 2);
    await expect(rpc.request(supporterRpc.confirmEmail, { token: tokenOf(first.payload.confirmUrl), consent })).rejects.toMatchObject({ statusCode: 400, field: 'token' });
    await expect(rpc.request(supporterRpc.confirmEmail, { token: tokenOf(second.payload.confirmUrl), consent })).resolves.toMatchObject({ emailState: 'active' });
    expect(await exportedOne(t, supporterId)).toMatchObject({ emailState: 'active', language: 'sw' });
  });

  it('never lets a join change an existing supporter’s channels: a browser given with a known address waits for that address to confirm', async () => {
    const t = await tenant();
    const victim = push.createSubscription('victim').subscription;
    const attacker = push.createSubscription('attacker').subscription;
    await rpc.request(supporterRpc.importCsv, {
      actor: t.admin,
      orgId: t.orgId,
      csv: [PUSH_HEADER, `victim@example.org,en,,2025-03-01,petition,${victim.endpoint},${victim.keys.p256dh},${victim.keys.auth}`].join('\n'),
    });
    const victimId = await idByEmail(t, 'victim@example.org');

    await expect(join(t.slug, { email: 'victim@example.org', push: attacker, language: 'sw' })).resolves.toEqual({ emailState: 'pending', pushState: 'pending' });
    const asked = await confirmationFor(victimId);
    const stored = async () => (await audienceOf(t)).find((member) => member._id.toHexString() === victimId);
    expect(await stored()).toMatchObject({ contacts: { email: { state: 'active' }, push: { state: 'active', address: { endpoint: victim.endpoint } } }, language: 'en' });
    expect(await byEndpoint(t, attacker)).toBe('');
    expect(await counts(t)).toMatchObject({ total: 1, push: { active: 1 } });

    // Only the address's owner, through the email, adds that browser.
    await rpc.request(supporterRpc.confirmEmail, { token: tokenOf(asked.payload.confirmUrl), consent });
    expect(await stored()).toMatchObject({ contacts: { email: { state: 'active' }, push: { state: 'active', address: { endpoint: attacker.endpoint } } }, language: 'sw' });
  });

  it('refuses a push endpoint on a private address and stores nothing; takes the local push service at once', async () => {
    const t = await tenant();
    const { subscription } = push.createSubscription('supporter');
    const privateEndpoint = { ...subscription, endpoint: 'https://10.1.2.3/push/abc' };
    await expect(join(t.slug, { push: privateEndpoint, email: 'bob@example.org', language: 'en' })).rejects.toMatchObject({ statusCode: 400, field: 'push.endpoint' });
    expect(await counts(t)).toMatchObject({ total: 0 });

    await expect(join(t.slug, { push: subscription, language: 'en', topics: [] })).resolves.toEqual({ pushState: 'active' });
    const supporterId = await byEndpoint(t, subscription);
    // The same browser joining again is the same supporter, unchanged; with other keys (not that browser) too.
    await expect(join(t.slug, { push: subscription, language: 'sw' })).resolves.toEqual({ pushState: 'active' });
    const forged = { ...subscription, keys: push.createSubscription().subscription.keys };
    await expect(join(t.slug, { push: forged, language: 'sw' })).resolves.toEqual({ pushState: 'active' });
    expect(await byEndpoint(t, subscription)).toBe(supporterId);
    expect((await exportedOne(t, supporterId))?.language).toBe('en');
    expect(await counts(t)).toEqual({ total: 1, email: { pending: 0, active: 0, unsubscribed: 0, suppressed: 0 }, push: { active: 1, unsubscribed: 0, gone: 0 }, sms: { pending: 0, active: 0, unsubscribed: 0, suppressed: 0 } });
  });

  it('unsubscribes one channel through a link signed as delivery signs it, idempotently, and shows preferences', async () => {
    const t = await tenant();
    const { subscription } = push.createSubscription();
    await join(t.slug, { email: 'cy@example.org', push: subscription, language: 'en' });
    const joined = { supporterId: await idByEmail(t, 'cy@example.org') };
    const asked = await confirmationFor(joined.supporterId);
    await rpc.request(supporterRpc.confirmEmail, { token: tokenOf(asked.payload.confirmUrl), consent });

    const unsubscribe = () => rpc.request(supporterRpc.unsubscribe, { token: signer.sign('unsubscribe', { s: joined.supporterId, c: 'email', o: t.orgId }), consent });
    await expect(unsubscribe()).resolves.toEqual({ channel: 'email', orgName: `Org ${t.slug}` });
    await expect(unsubscribe()).resolves.toEqual({ channel: 'email', orgName: `Org ${t.slug}` });
    const supporter = await exportedOne(t, joined.supporterId);
    expect(supporter).toMatchObject({ emailState: 'unsubscribed', pushState: 'active' });
    expect(supporter?.consents.filter((c) => c.action === 'withdrawn')).toEqual([expect.objectContaining({ channel: 'email', method: 'unsubscribe-link', source: consent.source })]);

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
    // Granted and confirmed for each channel, then email withdrawn.
    expect((await exportedOne(t, joined.supporterId))?.consents).toHaveLength(5);
    await expect(rpc.request(supporterRpc.unsubscribe, { token: 'forged.token', consent })).rejects.toMatchObject({ statusCode: 400, field: 'token' });

    // A mail client's RFC 8058 one-click is recorded as such.
    const oneClick = { ...consent, source: 'email List-Unsubscribe-Post (RFC 8058)' };
    await rpc.request(supporterRpc.unsubscribe, { token: signer.sign('unsubscribe', { s: joined.supporterId, c: 'push', o: t.orgId }), consent: oneClick, oneClick: true });
    expect((await exportedOne(t, joined.supporterId))?.consents.filter((c) => c.action === 'withdrawn')).toEqual([
      expect.objectContaining({ channel: 'email', method: 'unsubscribe-link' }),
      expect.objectContaining({ channel: 'push', method: 'one-click', source: oneClick.source }),
    ]);
  });

  it('imports only rows with consent evidence, never duplicating or resubscribing an address', async () => {
    const t = await tenant();
    await join(t.slug, { email: 'left@example.org', language: 'en' });
    const left = { supporterId: await idByEmail(t, 'left@example.org') };
    await rpc.request(supporterRpc.unsubscribe, { token: signer.sign('unsubscribe', { s: left.supporterId, c: 'email', o: t.orgId }), consent });
    await join(t.slug, { email: 'pending@example.org', language: 'en' });
    const pending = { supporterId: await idByEmail(t, 'pending@example.org') };

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

  it('imports a phone column in E.164 under the SMS rules given, pending until a code, skipping what the join page would refuse, naming the column', async () => {
    const t = await tenant();
    await join(t.slug, { sms: '+33611111111', language: 'en' });
    await joinsHandled();
    const sms = { defaultRegion: 'FR', allowedRegions: ['FR', 'BE'] };
    const importPhones = (lines: string[], rules: typeof sms | undefined) =>
      rpc.request(supporterRpc.importCsv, { actor: t.admin, orgId: t.orgId, csv: [`${HEADER},phone`, ...lines].join('\n'), ...(rules ? { sms: rules } : {}) });
    const result = await importPhones([
      'both@example.org,fr,climate,2025-03-01,March petition,06 12 34 56 78',
      ',en,,2025-03-01,stall at the fair,+32 470 12 34 56',
      'landline@example.org,en,,2025-03-01,fair,+33 1 23 45 67 89',
      'far@example.org,en,,2025-03-01,fair,+254 712 345 678',
      'formula@example.org,en,,2025-03-01,fair,"=HYPERLINK(""x"",""+33698765432"")"',
      `long@example.org,en,,2025-03-01,fair,+33698765432${'0'.repeat(40)}`,
      'again@example.org,en,,2025-03-01,fair,+33 6 12 34 56 78',
      ',en,,2025-03-01,fair,+33611111111',
    ], sms);
    expect(result).toEqual({
      imported: 2,
      skipped: [
        { line: 4, reason: 'phone must be a mobile number that can receive SMS' },
        { line: 5, reason: 'phone must be a number in FR, BE' },
        { line: 6, reason: 'phone must be written with digits, spaces and + - . ( ) / only' },
        { line: 7, reason: 'phone must be at most 40 characters' },
        { line: 8, reason: expect.stringMatching(/already on the list/) },
        { line: 9, reason: "phone is already on the list, waiting for its owner's code" },
      ],
    });
    const all = await exported(t);
    const both = all.find((supporter) => supporter.email === 'both@example.org');
    expect(both).toMatchObject({ emailState: 'active', sms: '+33612345678', smsState: 'pending', language: 'fr', topics: ['climate'] });
    expect(both?.consents.map(({ channel, action, method }) => `${channel} ${action} ${method}`).sort()).toEqual(['email imported import', 'sms imported import']);
    expect(all.find((supporter) => supporter.sms === '+32470123456')).toMatchObject({ smsState: 'pending' });
    expect(all.find((supporter) => supporter.sms === '+32470123456')?.email).toBeUndefined();
    expect(await counts(t)).toMatchObject({ total: 3, email: { active: 1 }, sms: { pending: 3, active: 0 } });
    // Nothing of a refused row is kept, the number least of all.
    expect(JSON.stringify(all)).not.toContain('698765432');
    // No code is texted on import: SMS consent is the code its owner asks for by joining.
    const codes = (await streamMessages(nc, 'DELIVERY_JOBS')).filter((m) => m.subject === eventSubjects.optInCode && m.payload.orgId === t.orgId);
    expect(codes.map((m) => m.payload.contact)).toEqual(['+33611111111']);

    // Where the network does not offer SMS, a row with a number is skipped, and one without is imported.
    await expect(importPhones(['off@example.org,en,,2025-03-01,fair,+33 6 55 55 55 55', 'plain@example.org,en,,2025-03-01,fair,'], undefined)).resolves.toEqual({
      imported: 1,
      skipped: [{ line: 2, reason: 'phone cannot be taken: this network does not offer SMS' }],
    });
  });

  describe('with push subscriptions', () => {
    const importPush = (t: Tenant, lines: string[], timeoutMs?: number) =>
      rpc.request(supporterRpc.importCsv, { actor: t.admin, orgId: t.orgId, csv: [PUSH_HEADER, ...lines].join('\n') }, timeoutMs);
    const pushCells = ({ endpoint, keys }: { endpoint: string; keys: { p256dh: string; auth: string } }) => `${endpoint},${keys.p256dh},${keys.auth}`;
    const audience = audienceOf;

    it('imports email-only, push-only and both rows, with topics, stored as a join stores a subscription; importing the file again adds nobody', async () => {
      const t = await tenant();
      const alone = push.createSubscription().subscription;
      const both = push.createSubscription().subscription;
      const file = [
        'mail.only@example.org,sw,climate,2025-03-01,March petition,,,',
        `,fr,civic-space;health,2025-03-02T08:00:00Z,stall at the fair,${pushCells(alone)}`,
        `Both@Example.org,en,humanitarian,2025-03-03,newsletter,${pushCells(both)}`,
      ];
      await expect(importPush(t, file)).resolves.toEqual({ imported: 3, skipped: [] });

      const byLanguage = new Map((await exported(t)).map((supporter) => [supporter.language, supporter]));
      expect(byLanguage.get('sw')).toMatchObject({ email: 'mail.only@example.org', emailState: 'active', topics: ['climate'] });
      expect(byLanguage.get('sw')?.pushState).toBeUndefined();
      expect(byLanguage.get('fr')).toMatchObject({ pushState: 'active', topics: ['civic-space', 'health'] });
      expect(byLanguage.get('fr')?.email).toBeUndefined();
      expect(byLanguage.get('en')).toMatchObject({ email: 'both@example.org', emailState: 'active', pushState: 'active', topics: ['humanitarian'] });
      expect(byLanguage.get('fr')?.consents).toEqual([expect.objectContaining({ channel: 'push', action: 'imported', method: 'import', source: 'stall at the fair' })]);
      expect(byLanguage.get('en')?.consents.map((consent) => consent.channel).sort()).toEqual(['email', 'push']);

      // Fan-out reads an imported subscription exactly as it reads a joined one.
      const joined = push.createSubscription().subscription;
      await join(t.slug, { push: joined, language: 'en' });
      const joinedId = await byEndpoint(t, joined);
      const members = new Map((await audience(t)).map((member) => [member._id.toHexString(), member]));
      const storedPush = (id?: string) => members.get(id ?? '')?.contacts?.push?.address;
      expect(storedPush(joinedId)).toEqual({ endpoint: joined.endpoint, keys: joined.keys, endpointHash: endpointHashOf(joined.endpoint) });
      expect(storedPush(byLanguage.get('fr')?.id)).toEqual({ endpoint: alone.endpoint, keys: alone.keys, endpointHash: endpointHashOf(alone.endpoint) });
      expect(storedPush(byLanguage.get('en')?.id)).toEqual({ endpoint: both.endpoint, keys: both.keys, endpointHash: endpointHashOf(both.endpoint) });
      // The imported subscription holds its unique key as a joined one does: the same browser joining is the same supporter.
      await expect(join(t.slug, { push: alone, language: 'fr' })).resolves.toEqual({ pushState: 'active' });
      expect(await byEndpoint(t, alone)).toBe(byLanguage.get('fr')?.id);

      await expect(importPush(t, file)).resolves.toEqual({
        imported: 0,
        skipped: [2, 3, 4].map((line) => ({ line, reason: 'already subscribed' })),
      });
      expect(await counts(t)).toMatchObject({ total: 4, email: { active: 2 }, push: { active: 3 } });
    });

    it('refuses a row whose subscription the join page would refuse, naming the column, and stores nothing of it', async () => {
      const t = await tenant();
      const { subscription } = push.createSubscription();
      const cells = (overrides: Partial<{ endpoint: string; p256dh: string; auth: string }>) =>
        [overrides.endpoint ?? subscription.endpoint, overrides.p256dh ?? subscription.keys.p256dh, overrides.auth ?? subscription.keys.auth].join(',');
      const result = await importPush(t, [
        `a@example.org,en,,2025-03-01,form,${cells({ endpoint: 'http://push.example.org/wpush/abc' })}`,
        `,en,,2025-03-01,form,${cells({ endpoint: 'https://127.0.0.1/push/abc' })}`,
        `,en,,2025-03-01,form,${cells({ endpoint: 'https://[::1]/push/abc' })}`,
        `,en,,2025-03-01,form,${cells({ auth: '' })}`,
        `,en,,2025-03-01,form,${cells({ p256dh: 'not-a-key' })}`,
        ',en,,2025-03-01,form,,,',
        `,en,,,,${cells({})}`,
        `,en,,2025-03-01,form,${cells({ endpoint: 'https://push.example.org:8443/wpush/abc' })}`,
      ]);
      expect(result).toEqual({
        imported: 0,
        skipped: [
          { line: 2, reason: 'push_endpoint must be an https URL' },
          { line: 3, reason: 'push_endpoint host resolves to a non-public address' },
          { line: 4, reason: 'push_endpoint host resolves to a non-public address' },
          { line: 5, reason: expect.stringMatching(/^push_auth is missing/) },
          { line: 6, reason: expect.stringMatching(/^push_p256dh must be/) },
          { line: 7, reason: expect.stringMatching(/^email is missing/) },
          { line: 8, reason: expect.stringMatching(/no consent evidence/) },
          { line: 9, reason: 'push_endpoint must be on port 443, not 8443' },
        ],
      });
      expect(await counts(t)).toMatchObject({ total: 0 });
    });

    it('never duplicates or merges: a subscription repeated in the file, or already another supporter’s, is skipped', async () => {
      const t = await tenant();
      const { subscription } = push.createSubscription();
      await join(t.slug, { push: subscription, language: 'en' });
      const joined = { supporterId: await byEndpoint(t, subscription) };
      await rpc.request(supporterRpc.unsubscribe, { token: signer.sign('unsubscribe', { s: joined.supporterId, c: 'push', o: t.orgId }), consent });
      const fresh = push.createSubscription().subscription;
      const result = await importPush(t, [
        `new@example.org,en,,2025-03-01,form,${pushCells(subscription)}`,
        `,en,,2025-03-01,form,${pushCells(fresh)}`,
        `other@example.org,en,,2025-03-01,form,${pushCells(fresh)}`,
      ]);
      expect(result).toEqual({
        imported: 1,
        skipped: [
          { line: 2, reason: expect.stringMatching(/^push_endpoint belongs to another supporter/) },
          { line: 4, reason: expect.stringMatching(/already on the list/) },
        ],
      });
      await expect(importPush(t, [`,en,,2025-03-01,form,${pushCells(subscription)}`])).resolves.toEqual({
        imported: 0,
        skipped: [{ line: 2, reason: 'unsubscribed: an import never resubscribes' }],
      });
      expect(await counts(t)).toMatchObject({ total: 2, push: { active: 1, unsubscribed: 1 } });
    });

    it('imports 5,000 rows in one request', async () => {
      const t = await tenant();
      const { subscription } = push.createSubscription();
      // A fifth with a subscription keeps the file under NATS's 1 MB message limit.
      const rows = Array.from({ length: 5_000 }, (_, i) =>
        i % 5 === 0
          ? `bulk${i}@example.org,en,climate,2025-03-01,bulk form,${push.httpUrl}/push/bulk-${i},${subscription.keys.p256dh},${subscription.keys.auth}`
          : `bulk${i}@example.org,sw,civic-space;health,2025-03-01,bulk form,,,`,
      );
      let started = Date.now();
      await expect(importPush(t, rows, 300_000)).resolves.toEqual({ imported: 5_000, skipped: [] });
      console.log(`import of 5,000 rows (1,000 with push): ${Date.now() - started} ms`);
      expect(await counts(t)).toMatchObject({ total: 5_000, email: { active: 5_000 }, push: { active: 1_000 } });

      started = Date.now();
      const again = await importPush(t, rows, 300_000);
      console.log(`the same 5,000 rows again: ${Date.now() - started} ms`);
      expect(again.imported).toBe(0);
      expect(again.skipped).toHaveLength(5_000);
    }, 600_000);
  });

  it('exports page by page in id order, each supporter once, with consents; counts by channel state', async () => {
    const t = await tenant();
    await importCsv(t, ['a', 'b', 'c', 'd', 'e'].map((name) => `${name}@example.org,en,,2025-03-01,fair`));
    const whole = await rpc.request(supporterRpc.exportPage, { actor: t.admin, orgId: t.orgId, limit: 5 });
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
    await join(t.slug, { push: subscription, language: 'en' });
    const joined = { supporterId: await byEndpoint(t, subscription) };
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
    expect(await byEndpoint(t, subscription)).not.toBe(joined.supporterId);
    expect(await counts(t)).toMatchObject({ push: { active: 1, gone: 1 } });
  });

  it('applies a contact refusal of any channel by the registry, only to the contact it names by hash', async () => {
    const t = await tenant();
    await importCsv(t, ['kept@example.org,en,,2025-03-01,fair', 'refused@example.org,en,,2025-03-01,fair']);
    const idOf = async (email: string) => (await exported(t)).find((supporter) => supporter.email === email)?.id ?? '';
    const [kept, refused] = [await idOf('kept@example.org'), await idOf('refused@example.org')];
    const publisher = new EventPublisher(nc.jetstream());
    const refusal = async (supporterId: string, address: string) => {
      const event = {
        eventId: `refused:${supporterId}:${address}`,
        occurredAt: new Date().toISOString(),
        orgId: t.orgId,
        supporterId,
        channel: 'email' as const,
        outcome: 'suppress' as const,
        keyHash: contactKeyHash('email', address),
        code: 550,
        reason: 'no such mailbox',
      };
      await publisher.publish(eventSubjects.contactRefused, event, { msgId: event.eventId });
    };
    // Named by another address's hash: the supporter's own address was not the one refused.
    await refusal(kept, 'refused@example.org');
    await refusal(refused, 'refused@example.org');

    const jsm = await nc.jetstreamManager();
    await eventually(async () => {
      const info = await jsm.consumers.info('DELIVERY_FEEDBACK', 'subscriptions-feedback-contact-refused');
      return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
    });
    expect(await exportedOne(t, kept)).toMatchObject({ emailState: 'active' });
    expect(await exportedOne(t, refused)).toMatchObject({ emailState: 'suppressed' });
  });

  it('moves supporters stored before the channel registry into the contacts map at start, and reads them as joined ones', async () => {
    const t = await tenant();
    const { subscription } = push.createSubscription();
    const endpointHash = endpointHashOf(subscription.endpoint);
    const supporters = app.get<Model<Supporter>>(getModelToken(Supporter.name));
    const now = new Date();
    const legacy = (fields: object) => ({ orgId: t.orgId, language: 'en', topics: [], confirmationRequests: 0, createdAt: now, updatedAt: now, ...fields });
    await supporters.collection.insertMany([
      legacy({ email: 'old.both@example.org', emailKey: `${t.orgId}:old.both@example.org`, emailState: 'active', push: { endpoint: subscription.endpoint, keys: subscription.keys, endpointHash }, endpointKey: `${t.orgId}:${endpointHash}`, pushState: 'active' }),
      legacy({ email: 'old.left@example.org', emailKey: `${t.orgId}:old.left@example.org`, emailState: 'unsubscribed' }),
      legacy({ pushState: 'gone' }),
    ]);

    await repository().onModuleInit();
    await repository().onModuleInit(); // a second start (or instance) finds nothing left to move

    const stored = await supporters.find({ orgId: t.orgId }).lean().exec();
    for (const record of stored) for (const field of ['email', 'emailState', 'push', 'pushState']) expect(record).not.toHaveProperty(field);
    expect(await counts(t)).toMatchObject({ total: 3, email: { active: 1, unsubscribed: 1 }, push: { active: 1, gone: 1 } });
    const members = await audienceOf(t);
    expect(members).toHaveLength(1);
    expect(members[0].contacts).toEqual({
      email: { address: 'old.both@example.org', state: 'active' },
      push: { address: { endpoint: subscription.endpoint, keys: subscription.keys, endpointHash }, state: 'active' },
    });
    // The unique keys were the registry's already: the same address and browser joining are the same supporter.
    expect(await idByEmail(t, 'old.both@example.org')).toBe(members[0]._id.toHexString());
    expect(await byEndpoint(t, subscription)).toBe(members[0]._id.toHexString());
  });
});
