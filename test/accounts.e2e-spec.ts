import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SmtpSink, type SmtpSinkMessage } from '@clarion/sinks';
import { http, startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { ConsoleBrowser, freshClient, signInToken } from './support/console-browser';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from './support/directory-fixture';

const PUBLIC_WRITES_PER_MINUTE = 10;

/**
 * People sign in to the consoles with a link sent by email, and act through
 * a session cookie with the same authorisation as API tokens. Every service
 * is a process; NATS, FerretDB and the SMTP sink are real.
 */
describe('sign-in for people: magic links, session cookies, CSRF, invitations', () => {
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let adminApi: Api;
  let admin: ConsoleBrowser;
  let coalition: Coalition;
  let otherCoalition: Coalition;
  let org: Org;
  let otherOrg: Org;
  let orgAdmin: ConsoleBrowser;
  let editor: ConsoleBrowser;
  let coordinator: ConsoleBrowser;

  beforeAll(async () => {
    infra = await startTestInfra();
    smtp = await SmtpSink.start();
    network = await startNetwork(infra, {
      readyTimeoutMs: 120_000,
      env: {
        delivery: { SMTP_URL: smtp.smtpUrl },
        gateway: { TRUSTED_PROXIES: 'loopback', PUBLIC_WRITES_PER_MINUTE: String(PUBLIC_WRITES_PER_MINUTE) },
      },
    });
    adminApi = new Api(network.gatewayUrl, network.adminToken);
    [coalition, otherCoalition, org, otherOrg] = await Promise.all([
      createCoalition(adminApi),
      createCoalition(adminApi),
      createOrg(adminApi, 'Sign-in Rights', ['en', 'fr']),
      createOrg(adminApi, 'Other Rights'),
    ]);
  }, 240_000);

  afterAll(async () => {
    await network?.stopAll();
    await smtp?.stop();
    await infra?.stop();
  });

  const mailsTo = (address: string) => smtp.messages().filter((m) => m.to.includes(address));
  const nextMailTo = (address: string, seen: number) => eventually(`email ${seen + 1} to ${address}`, async () => mailsTo(address)[seen], 10_000);

  /** Invites through the inviter's console session; answers the invitee's browser, signed in from the invitation email. */
  async function invite(inviter: ConsoleBrowser, email: string, name: string, grant: object, language = 'en'): Promise<{ browser: ConsoleBrowser; mail: SmtpSinkMessage; accountId: string }> {
    const seen = mailsTo(email).length;
    const created = expectStatus(await inviter.post('/accounts', { email, name, grant, language }), 201);
    const mail = await nextMailTo(email, seen);
    const browser = new ConsoleBrowser(network.gatewayUrl);
    expectStatus(await browser.signIn(signInToken(mail.text)!), 201);
    return { browser, mail, accountId: created.body.accountId };
  }

  it('lets the first admin sign in once from the link npm start prints, with a Secure, HttpOnly, SameSite=Strict cookie', async () => {
    admin = new ConsoleBrowser(network.gatewayUrl);
    const res = expectStatus(await admin.signIn(network.adminSignInToken), 201);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^clarion_session=cls_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=\d+$/);
    expect(res.body).toEqual({
      sessionId: expect.stringMatching(/^[0-9a-f]{24}$/),
      account: { accountId: expect.stringMatching(/^[0-9a-f]{24}$/), email: 'admin@clarion.local', name: 'first admin', grant: { role: 'admin' } },
      csrfToken: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(expectStatus(await admin.get('/auth/session'), 200).body).toEqual(res.body);

    // Single use: the same link again, from another browser, is refused.
    expect((await new ConsoleBrowser(network.gatewayUrl).signIn(network.adminSignInToken)).status).toBe(401);
  });

  it('carries an invited coordinator from the email in the sink to an authorised call and out again', async () => {
    const { browser, mail } = await invite(admin, 'coord.one@example.org', 'Coord One', { role: 'coordinator', coalitionId: coalition.id });
    expect(mail.from).toEqual({ name: 'Clarion', address: 'alerts@clarion.local' });
    expect(mail.subject).toBe(`You are invited to Coalition ${/coalition-[\w-]+/.exec(mail.subject)?.[0]} on Clarion`);
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.text).toContain(`${network.gatewayUrl}/console/sign-in#token=`);

    const session = expectStatus(await browser.get('/auth/session'), 200).body;
    expect(session.account).toMatchObject({ email: 'coord.one@example.org', grant: { role: 'coordinator', coalitionId: coalition.id } });
    // The same authorisation as a coordinator's token: their coalition, not another.
    expect(expectStatus(await browser.get(`/coalitions/${coalition.id}`), 200).body.id).toBe(coalition.id);
    expect([403, 404]).toContain((await browser.get(`/coalitions/${otherCoalition.id}`)).status);
    // A change with the cookie, the CSRF token and our Origin goes through.
    const draft = expectStatus(await browser.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body;
    expect(draft).toMatchObject({ coalitionId: coalition.id, status: 'draft' });

    const out = await browser.delete('/auth/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^clarion_session=; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=0$/);
    expect((await browser.get('/auth/session')).status).toBe(401);
    expect((await browser.get(`/coalitions/${coalition.id}`)).status).toBe(401);
  });

  it('answers a sign-in request the same whether or not the address has an account, and emails a link that works once', async () => {
    const client = freshClient();
    const ask = (email: string) => http('POST', `${network.gatewayUrl}/api/v1/auth/sign-in-links`, { body: { email }, headers: { 'x-forwarded-for': client } });
    const known = await ask('Coord.One@Example.org');
    const unknown = await ask('nobody.here@example.org');
    expect([known.status, known.body]).toEqual([202, { sent: true }]);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(unknown.headers.get('content-length')).toBe(known.headers.get('content-length'));

    const mail = await nextMailTo('coord.one@example.org', 1);
    expect(mail.subject).toBe('Your sign-in link for Clarion');
    const token = signInToken(mail.text)!;
    const browser = new ConsoleBrowser(network.gatewayUrl);
    expectStatus(await browser.signIn(token), 201);
    expect((await new ConsoleBrowser(network.gatewayUrl).signIn(token)).status).toBe(401);
    // A forged token, and a token of the right shape that was never issued.
    expect((await new ConsoleBrowser(network.gatewayUrl).signIn(`${token.slice(0, -4)}AAAA`)).status).toBe(401);
    expect((await new ConsoleBrowser(network.gatewayUrl).signIn('x'.repeat(10))).status).toBe(400);
    expect(mailsTo('nobody.here@example.org')).toEqual([]);
  });

  it('refuses a cookie-authenticated change without the CSRF token, with a wrong one, or from another origin; bearer tokens are unchanged', async () => {
    const body = { email: 'csrf.victim@example.org', name: 'Victim', grant: { role: 'admin' } };
    for (const options of [{ csrf: null }, { csrf: 'forged' }, { origin: 'https://evil.example' }, { origin: null }]) {
      const res = await admin.call('POST', '/accounts', body, options);
      expect([res.status, res.body.error]).toEqual([403, 'Forbidden']);
    }
    // A cookie from another session with this session's CSRF token: refused too.
    const other = await invite(admin, 'csrf.other@example.org', 'Other', { role: 'coordinator', coalitionId: coalition.id });
    expect((await other.browser.call('DELETE', `/accounts/${other.accountId}`, undefined, { csrf: admin.csrfToken })).status).toBe(403);
    expect(mailsTo('csrf.victim@example.org')).toEqual([]);
    // Reads need no CSRF token; a bearer token needs neither CSRF token nor Origin.
    expectStatus(await admin.call('GET', '/accounts', undefined, { csrf: null }), 200);
    expectStatus(await adminApi.post('/accounts', { email: 'bearer.made@example.org', name: 'By token', grant: { role: 'org_editor', orgId: org.id } }), 201);
  });

  it('lists my sessions and revokes one; a removed account’s sessions end', async () => {
    const invited = await invite(admin, 'two.browsers@example.org', 'Two Browsers', { role: 'org_editor', orgId: org.id });
    const laptop = invited.browser;
    expectStatus(await http('POST', `${network.gatewayUrl}/api/v1/auth/sign-in-links`, { body: { email: 'two.browsers@example.org' }, headers: { 'x-forwarded-for': freshClient() } }), 202);
    const phone = new ConsoleBrowser(network.gatewayUrl);
    expectStatus(await phone.signIn(signInToken((await nextMailTo('two.browsers@example.org', 1)).text)!), 201);

    const sessions = expectStatus(await laptop.get('/auth/sessions'), 200).body;
    expect(sessions).toHaveLength(2);
    const phoneSession = (await phone.get('/auth/session')).body.sessionId;
    expect(sessions.find((s: { current: boolean }) => s.current).sessionId).not.toBe(phoneSession);
    expect((await laptop.delete(`/auth/sessions/${phoneSession}`)).status).toBe(204);
    await eventually('the revoked session refused', async () => ((await phone.get('/auth/session')).status === 401 ? true : undefined), 10_000);
    expectStatus(await laptop.get('/auth/session'), 200);
    // Someone else's session is not mine to revoke.
    expect((await laptop.delete(`/auth/sessions/${(await admin.get('/auth/session')).body.sessionId}`)).status).toBe(404);
    // An API token has no sessions.
    expect((await adminApi.get('/auth/sessions')).status).toBe(401);

    expectStatus(await admin.delete(`/accounts/${invited.accountId}`), 200);
    await eventually('the removed account’s session refused', async () => ((await laptop.get(`/organisations/${org.id}`)).status === 401 ? true : undefined), 10_000);
  });

  it('lets each role invite only whom it may', async () => {
    orgAdmin = (await invite(admin, 'org.admin@example.org', 'Org Admin', { role: 'org_admin', orgId: org.id }, 'fr')).browser;
    editor = (await invite(orgAdmin, 'editor@example.org', 'Editor', { role: 'org_editor', orgId: org.id })).browser;
    coordinator = (await invite(admin, 'coord.two@example.org', 'Coord Two', { role: 'coordinator', coalitionId: coalition.id })).browser;
    expect(mailsTo('org.admin@example.org')[0].subject).toBe('Vous êtes invité·e à rejoindre Sign-in Rights sur Clarion');

    const refused = async (who: ConsoleBrowser, grant: object) => {
      const res = await who.post('/accounts', { email: 'escalation@example.org', name: 'Escalation', grant });
      expect([res.status, res.body.field]).toEqual([403, 'grant']);
    };
    await refused(editor, { role: 'admin' });
    await refused(editor, { role: 'org_editor', orgId: org.id });
    await refused(orgAdmin, { role: 'admin' });
    await refused(orgAdmin, { role: 'org_editor', orgId: otherOrg.id });
    await refused(orgAdmin, { role: 'coordinator', coalitionId: coalition.id });
    await refused(coordinator, { role: 'coordinator', coalitionId: otherCoalition.id });
    await refused(coordinator, { role: 'org_editor', orgId: org.id });
    await refused(coordinator, { role: 'admin' });
    expect(mailsTo('escalation@example.org')).toEqual([]);

    // A coordinator invites a fellow coordinator; the same address and role twice is a conflict.
    await invite(coordinator, 'coord.three@example.org', 'Coord Three', { role: 'coordinator', coalitionId: coalition.id });
    expect((await coordinator.post('/accounts', { email: 'coord.three@example.org', name: 'Again', grant: { role: 'coordinator', coalitionId: coalition.id } })).status).toBe(409);
    // The same address may hold another role.
    expectStatus(await admin.post('/accounts', { email: 'coord.three@example.org', name: 'Coord Three', grant: { role: 'org_editor', orgId: otherOrg.id } }), 201);

    // Lists: each sees the accounts it manages, and nothing beyond.
    const emails = (res: { body: { email: string }[] }) => res.body.map((a) => a.email).sort();
    expect(emails(expectStatus(await orgAdmin.get('/accounts'), 200))).toEqual(['bearer.made@example.org', 'editor@example.org', 'org.admin@example.org']);
    expect(emails(expectStatus(await coordinator.get('/accounts'), 200))).toEqual(['coord.one@example.org', 'coord.three@example.org', 'coord.two@example.org', 'csrf.other@example.org']);
    expect((await coordinator.get(`/accounts?coalitionId=${otherCoalition.id}`)).status).toBe(403);
    expect((await orgAdmin.get(`/accounts?orgId=${otherOrg.id}`)).status).toBe(403);
    expect((await editor.get('/accounts')).status).toBe(403);
    // Removal follows the same rules.
    const others = expectStatus(await admin.get(`/accounts?orgId=${otherOrg.id}`), 200).body;
    expect((await orgAdmin.delete(`/accounts/${others[0].accountId}`)).status).toBe(404);
    // Bad input names the field.
    const bad = await admin.post('/accounts', { email: 'not-an-address', name: 'X', grant: { role: 'admin' } });
    expect([bad.status, bad.body.field]).toEqual([400, 'email']);
  });

  it('emails the reviewing organisation’s staff the moment an alert waits for them, linking to the review, and nobody else', async () => {
    await subscribe(coalition, org, { channels: ['email'], relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'drop' } });
    await subscribe(coalition, otherOrg, { channels: ['email'], relayPolicy: { mode: 'auto' } });
    const before = smtp.messages().length;
    const alert = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ texts: { en: { title: 'Nairobi Four detained', body: 'Act now.', ctaLabel: 'Act' } } })), 201).body;
    expectStatus(await coalition.coordinator.post(`/alerts/${alert.id}/publish`, {}), 200);

    const staff = ['editor@example.org', 'org.admin@example.org', 'bearer.made@example.org'];
    const waiting = await eventually('review emails to the organisation’s staff', async () => {
      const found = smtp.messages().slice(before).filter((m) => /review|relecture/i.test(m.subject));
      return found.length >= staff.length ? found : undefined;
    }, 15_000);
    const relay = expectStatus(await org.editor.get(`/organisations/${org.id}/relays`), 200).body.find((r: { alertId: string }) => r.alertId === alert.id);
    const link = `${network.gatewayUrl}/console/orgs/${org.id}/relays/${relay.id}`;
    expect(waiting.map((m) => m.to[0]).sort()).toEqual([...staff].sort());
    const english = waiting.find((m) => m.to.includes('editor@example.org'))!;
    expect(english.subject).toBe('An alert waits for your review: Nairobi Four detained');
    expect(english.text).toContain(`Review the alert: ${link}`);
    expect(english.text).toMatch(/is dropped by itself in (29|30) minutes/);
    expect(english.html).toContain(`href="${link}"`);
    const french = waiting.find((m) => m.to.includes('org.admin@example.org'))!;
    expect(french.subject).toBe('Une alerte attend votre relecture : Nairobi Four detained');
    // Never a supporter's data: no address at all in the text, only ids, names and the title.
    for (const mail of waiting) expect(mail.text).not.toMatch(/@/);
    // The other organisation relays at once: its staff (coord.three, as its editor) hear nothing.
    expect(smtp.messages().slice(before).filter((m) => m.to.includes('coord.three@example.org'))).toEqual([]);
  });

  it('emails the coalition’s other coordinators when a draft asks for approval', async () => {
    const before = smtp.messages().length;
    const draft = expectStatus(await coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ texts: { en: { title: 'Second look please', body: 'Draft.', ctaLabel: 'Act' } } })), 201).body;
    expect(expectStatus(await coordinator.post(`/alerts/${draft.id}/request-approval`), 200).body.status).toBe('awaiting_approval');
    expect((await coordinator.post(`/alerts/${draft.id}/request-approval`)).status).toBe(409);

    const others = ['coord.one@example.org', 'coord.three@example.org', 'csrf.other@example.org'];
    const asked = await eventually('approval emails', async () => {
      const found = smtp.messages().slice(before).filter((m) => m.subject.startsWith('An alert waits for your approval'));
      return found.length >= others.length ? found : undefined;
    }, 15_000);
    expect(asked.map((m) => m.to[0]).sort()).toEqual(others);
    expect(asked[0].subject).toBe('An alert waits for your approval: Second look please');
    expect(asked[0].text).toContain(`${network.gatewayUrl}/console/coalitions/${coalition.id}/alerts/${draft.id}`);
    expect(asked[0].text).toContain('Coord Two asks a second coordinator');
    // An organisation's editor may not ask; the asker is not emailed.
    expect((await editor.post(`/alerts/${draft.id}/request-approval`)).status).toBe(404);
    expect(smtp.messages().slice(before).filter((m) => m.to.includes('coord.two@example.org'))).toEqual([]);
  });

  it('counts sign-in requests as public writes: 429 past the limit from one address', async () => {
    const client = freshClient();
    const statuses: number[] = [];
    const startedAt = Date.now();
    // Twice the allowance and one: a run that straddles two minutes of the clock gets a second allowance, at most.
    for (let i = 0; i < 2 * PUBLIC_WRITES_PER_MINUTE + 1; i++) {
      statuses.push((await http('POST', `${network.gatewayUrl}/api/v1/auth/sign-in-links`, { body: { email: `flood${i}@example.org` }, headers: { 'x-forwarded-for': client } })).status);
    }
    const sameMinute = Math.floor(startedAt / 60_000) === Math.floor(Date.now() / 60_000);
    if (sameMinute) expect(statuses.indexOf(429)).toBe(PUBLIC_WRITES_PER_MINUTE);
    expect(statuses.every((s) => s === 202 || s === 429)).toBe(true);
    expect(statuses).toContain(429);
  });

  it('never writes a sign-in secret or session cookie to any service log', async () => {
    const logs = readdirSync(join(infra.dir, 'logs')).map((file) => readFileSync(join(infra.dir, 'logs', file), 'utf8')).join('\n');
    const secrets = [network.adminSignInToken, admin.cookie!, ...smtp.messages().map((m) => signInToken(m.text)).filter((t): t is string => !!t)];
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(logs.includes(secret)).toBe(false);
  });
});
