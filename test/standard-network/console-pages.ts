import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PushService, SmsProvider, SmtpSink } from '@clarion/sinks';
import { http, type Network } from '@clarion/testing';
import { auditedPage, DESKTOP, describeViolations, launchChromium, PHONE, personAt, personsBrowser, screenshot, seriousViolations, settled, signInByLink, type SignedIn } from '../console/console-browser';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { joinByPhone } from '../support/sms';
import { standardNetwork } from '../support/standard-network';

const SIGN_IN_LINK = /https?:\/\/[^\s"<>]+\/console\/sign-in#token=[A-Za-z0-9_.~-]+/;

/**
 * Every console screen in Debian's Chromium, at phone width (360 px) and on a
 * desktop, on the standard network (with national numbers read as French,
 * SMS_DEFAULT_REGION=FR): each loads under the console's CSP
 * with no violation or script error, and axe-core finds no serious or
 * critical WCAG 2.2 A/AA violation. The coordinator's screens never show a
 * supporter's address. With CONSOLE_SCREENSHOTS set (npm run
 * console:screenshots), each screen is also saved for the docs.
 *
 * People get in the only way the console offers: a sign-in link (the first
 * admin's one-time link, invitations); each person signs in once and their
 * session cookie is reused for every screen. The sign-in itself is misused:
 * a used or forged link, and the back button after signing out.
 */
describe('the consoles, screen by screen', () => {
  const net = standardNetwork();
  let network: Network;
  let smtp: SmtpSink;
  let push: PushService;
  let sms: SmsProvider;
  let browser: Browser;
  let admin: Api;
  let coalition: Coalition;
  let reviewOrg: Org;
  let autoOrg: Org;
  let draftId = '';
  let publishedId = '';
  let relayId = '';
  let publishedTitle = '';
  const supporterEmail = 'amina.supporter@example.org';
  /** Imported with an address and a number, on the review organisation's list. */
  const smsSupporter = 'baraka.texts@example.org';
  const people = { coordinator: 'wanjiru@coalition.example', secondCoordinator: 'thomas@coalition.example', editor: 'achieng@haki.example', orgAdmin: 'claire@haki.example' };
  type Person = keyof typeof people | 'networkAdmin';
  const signedIn = {} as Record<Person, SignedIn>;
  let usedLink = '';

  const signInLinkTo = (address: string, after = 0) =>
    eventually(`a sign-in link to ${address}`, async () => smtp.messages().slice(after).find((m) => m.to.includes(address) && SIGN_IN_LINK.test(m.text)), 30_000).then((m) => SIGN_IN_LINK.exec(m.text)![0]);

  beforeAll(async () => {
    browser = await launchChromium();
    ({ network, smtp, push, sms } = net);
    admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin, { requireSecondApproval: true });
    [reviewOrg, autoOrg] = await Promise.all([createOrg(admin, 'Haki Review', ['en', 'fr']), createOrg(admin, 'Uhuru Now', ['en'])]);
    await subscribe(coalition, reviewOrg, { channels: ['email', 'push'], relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'approve' } });
    await subscribe(coalition, autoOrg, { channels: ['email'], relayPolicy: { mode: 'auto' } });

    // One supporter, so the dashboard has something to count and the coordinator's pages something not to show.
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${autoOrg.slug}`, { body: { email: supporterEmail, language: 'en', topics: [] } }), 201);
    const confirmation = await eventually('confirmation email', async () => smtp.messages().find((m) => m.to.includes(supporterEmail)), 15_000);
    expectStatus(await http('GET', /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)![0]), 200);

    // The supporters screen's list: one address, two browsers, three numbers (one confirmed by its code, two imported and pending).
    for (const name of ['one', 'two']) {
      expectStatus(await http('POST', `${network.gatewayUrl}/join/${reviewOrg.slug}`, { body: { push: push.createSubscription(name).subscription, language: 'en', topics: [] } }), 201);
    }
    await joinByPhone(network.gatewayUrl, sms, reviewOrg.slug, '+33611111111', 'en');
    const csv = ['email,language,topics,consent_at,consent_source,phone', `${smsSupporter},en,,2025-03-01,petition,+33 6 22 22 22 22`, ',en,,2025-03-01,petition,+33633333333'].join('\n');
    expect(expectStatus(await reviewOrg.admin.post(`/organisations/${reviewOrg.id}/supporters/import`, { csv }), 200).body).toEqual({ imported: 2, skipped: [] });
    await eventually('every join worked on', async () => {
      const counts = expectStatus(await reviewOrg.admin.get(`/organisations/${reviewOrg.id}/supporters/counts`), 200).body;
      return counts.push.active === 2 && counts.sms.active === 1 ? counts : undefined;
    }, 15_000);

    const published = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    publishedId = published.id;
    publishedTitle = published.texts.en.title;
    expectStatus(await coalition.secondCoordinator.post(`/alerts/${publishedId}/approve`), 200);
    expectStatus(await coalition.coordinator.post(`/alerts/${publishedId}/publish`), 200);
    await eventually('the alert to the auto-relaying organisation’s supporter', async () => (smtp.messages().filter((m) => m.to.includes(supporterEmail)).length >= 2 ? true : undefined), 30_000);
    const relay = await eventually('the review relay', async () => {
      const relays = expectStatus(await reviewOrg.editor.get(`/organisations/${reviewOrg.id}/relays?status=pending`), 200).body;
      return relays.find((r: { alertId: string }) => r.alertId === publishedId);
    }, 15_000);
    relayId = relay.id;
    draftId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body.id;

    // The people: the first admin from the one-time link, the others invited (by the admin's API token) and signed in from their invitations.
    signedIn.networkAdmin = await signInByLink(browser, `${network.gatewayUrl}/console/sign-in#token=${network.adminSignInToken}`);
    const grants: Record<keyof typeof people, [string, object]> = {
      coordinator: ['Wanjiru', { role: 'coordinator', coalitionId: coalition.id }],
      secondCoordinator: ['Thomas', { role: 'coordinator', coalitionId: coalition.id }],
      editor: ['Achieng', { role: 'org_editor', orgId: reviewOrg.id }],
      orgAdmin: ['Claire', { role: 'org_admin', orgId: reviewOrg.id }],
    };
    for (const [who, [name, grant]] of Object.entries(grants) as [keyof typeof people, [string, object]][]) {
      expectStatus(await admin.post('/accounts', { email: people[who], name, grant }), 201);
      const link = await signInLinkTo(people[who]);
      signedIn[who] = await signInByLink(browser, link);
      if (who === 'coordinator') usedLink = link;
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  const [coordinator, secondCoordinator, editor, orgAdmin, networkAdmin] = ['coordinator', 'secondCoordinator', 'editor', 'orgAdmin', 'networkAdmin'] as const;

  /** [screenshot name, who (signed in), path, coordinator's screen (must not show a supporter)] */
  const screens: [string, Person | undefined, () => string, boolean][] = [
    ['sign-in', undefined, () => '/console/sign-in', false],
    ['coordinator-home', coordinator, () => '/console/', true],
    ['alerts', coordinator, () => '/console/alerts', true],
    ['compose', coordinator, () => '/console/alerts/new', true],
    ['approve', secondCoordinator, () => `/console/alerts/${draftId}`, true],
    ['dashboard', coordinator, () => `/console/alerts/${publishedId}`, true],
    ['correct', coordinator, () => `/console/alerts/${publishedId}/edit`, true],
    ['coordinator-people', coordinator, () => '/console/people', true],
    ['organisation-home', editor, () => '/console/', false],
    ['review-queue', editor, () => '/console/reviews', false],
    ['relay-review', editor, () => `/console/reviews/${relayId}`, false],
    ['delivery-outcomes', editor, () => '/console/outcomes', false],
    ['supporters', orgAdmin, () => '/console/supporters', false],
    ['branding', orgAdmin, () => '/console/branding', false],
    ['membership', orgAdmin, () => '/console/membership', false],
    ['admin-home', networkAdmin, () => '/console/', false],
    ['admin-organisations', networkAdmin, () => '/console/admin/organisations', false],
    ['admin-coalitions', networkAdmin, () => '/console/admin/coalitions', false],
    ['admin-invitations', networkAdmin, () => '/console/admin/invitations', false],
    ['admin-tokens', networkAdmin, () => '/console/admin/tokens', false],
    ['account', coordinator, () => '/console/account', true],
  ];

  /**
   * Each person's browser at each viewport, opened once with one tab that goes from screen to screen they see, as a
   * person would: the console's scripts come from the browser's cache after the first screen.
   */
  const tabs = new Map<string, { context: BrowserContext; page: Page; problems: string[] }>();
  async function tabOf(who: Person | undefined, label: string, viewport: typeof PHONE) {
    const key = `${who ?? 'nobody'} ${label}`;
    let tab = tabs.get(key);
    if (!tab) {
      const context = await personsBrowser(browser, viewport, who && signedIn[who]);
      tabs.set(key, (tab = { context, ...(await auditedPage(context)) }));
    }
    return tab;
  }

  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`shows every screen at ${label} width with no serious accessibility violation and no CSP violation`, async () => {
      const failures: string[] = [];
      for (const [name, who, path, coordinatorScreen] of screens) {
        const { page, problems } = await tabOf(who, label, viewport);
        problems.length = 0;
        await page.goto(`${network.gatewayUrl}${path()}`);
        await settled(page);
        if (name === 'compose') {
          await page.getByLabel('Title').fill('Offices of Haki raided');
          await page.getByLabel('Message', { exact: true }).fill('Police raided the offices **an hour ago**. Call the ministry.');
          await page.getByLabel('Button label').fill('Call the ministry');
          await page.getByLabel('Call-to-action link').fill('https://example.org/act/haki');
          // The email and push preview renders by itself once typing pauses, from the gateway's rendering.
          await page.waitForSelector('iframe.email-preview', { timeout: 15_000 });
        }
        if (name === 'dashboard') await page.waitForSelector('[data-testid=channel-totals]', { timeout: 15_000 });
        const violations = await seriousViolations(page);
        if (violations.length) failures.push(describeViolations(`${name} (${label})`, violations));
        if (problems.length) failures.push(`${name} (${label}): ${problems.join('; ')}`);
        if (coordinatorScreen && (await page.content()).includes(supporterEmail)) failures.push(`${name} (${label}) shows a supporter's address`);
        await screenshot(page, `${name}-${label}`);
      }
      for (const [key, { context }] of tabs) {
        if (!key.endsWith(label)) continue;
        await context.close();
        tabs.delete(key);
      }
      expect(failures).toEqual([]);
    }, 300_000);
  }

  /** The counts table as shown: channel row label → state column label → the cell's visible text (a dash has words for screen readers after it). */
  async function countsShown(page: Page): Promise<Record<string, Record<string, string>>> {
    const table = page.getByTestId('supporter-counts');
    await table.waitFor();
    const columns = (await table.locator('thead th').allInnerTexts()).slice(1);
    const shown: Record<string, Record<string, string>> = {};
    for (const row of await table.locator('tbody tr').all()) {
      const cells = await row.locator('td').allInnerTexts();
      shown[await row.locator('th').innerText()] = Object.fromEntries(columns.map((column, i) => [column, cells[i].split('\n')[0].trim()]));
    }
    return shown;
  }

  it('shows each channel’s supporters under that channel’s own states, and each channel’s state of a supporter found', async () => {
    const { context } = await personAt(browser, DESKTOP, signedIn.orgAdmin);
    const page = await context.newPage();
    await page.goto(`${network.gatewayUrl}/console/supporters`);
    const shown = await countsShown(page);
    expect(Object.keys(shown)).toEqual(['Email', 'Push', 'SMS']);
    await page.getByTestId('supporter-counts').getByText('Not a state of this channel').first().waitFor({ state: 'attached' });
    // Push has no pending and no suppressed state, email and SMS no gone: a dash, not a count of 0.
    expect(shown.Push).toEqual({ 'Awaiting confirmation': '—', Active: '2', Unsubscribed: '0', 'Suppressed (refused by the provider)': '—', 'Gone (subscription ended)': '0' });
    expect(shown.SMS).toEqual({ 'Awaiting confirmation': '2', Active: '1', Unsubscribed: '0', 'Suppressed (refused by the provider)': '0', 'Gone (subscription ended)': '—' });
    expect(shown.Email).toEqual({ 'Awaiting confirmation': '0', Active: '1', Unsubscribed: '0', 'Suppressed (refused by the provider)': '0', 'Gone (subscription ended)': '—' });
    await expect(page.getByTestId('supporter-counts').locator('tfoot td').innerText()).resolves.toBe('5');

    const search = page.getByLabel('Exact email address or mobile number');
    await search.fill(smsSupporter);
    await page.getByRole('button', { name: 'Find' }).click();
    await expect(page.getByTestId('supporter-hit').innerText()).resolves.toBe(`${smsSupporter} · en · Email: Active · SMS: Awaiting confirmation`);
    // A supporter who joined by phone alone is found by their number as people write it here (SMS_DEFAULT_REGION is FR).
    await search.fill('06 11 11 11 11');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByTestId('supporter-hit').getByText('06 11 11 11 11').waitFor();
    await expect(page.getByTestId('supporter-hit').innerText()).resolves.toBe('06 11 11 11 11 · en · SMS: Active');

    // In French, the same table in the catalogue's words.
    await page.selectOption('#language', 'fr');
    expect((await countsShown(page)).SMS).toMatchObject({ 'En attente de confirmation': '2', Actifs: '1', 'Bloqués (refusés par le fournisseur)': '0' });
    await page.selectOption('#language', 'en');
    await context.close();
  });

  it('imports a CSV with a phone column from the supporters screen: numbers in E.164 and pending, a formula or an overlong number skipped with its reason', async () => {
    const { context } = await personAt(browser, DESKTOP, signedIn.orgAdmin);
    const page = await context.newPage();
    await page.goto(`${network.gatewayUrl}/console/supporters`);
    await page.getByText('phone for SMS').waitFor();
    const texted = sms.messages().length;
    const csv = [
      'email,language,topics,consent_at,consent_source,phone',
      'zawadi@example.org,en,,2025-03-01,stall,0644444444',
      ',en,,2025-03-01,stall,"=HYPERLINK(""x"",""+33655555555"")"',
      `,en,,2025-03-01,stall,+33666666666${'6'.repeat(40)}`,
    ].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('status').getByText('1 supporter imported.').waitFor();
    const rows = await page.getByTestId('import-errors').locator('tbody tr').allInnerTexts();
    expect(rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
      '3 phone must be written with digits, spaces and + - . ( ) / only',
      '4 phone must be at most 40 characters',
    ]);
    await context.close();

    // A national number, in the installation's default region (SMS_DEFAULT_REGION=FR), kept in E.164 and waiting for its code: nothing texted.
    const exported = expectStatus(await reviewOrg.admin.get(`/organisations/${reviewOrg.id}/supporters/export?format=json`), 200).body as { email?: string; sms?: string; smsState?: string }[];
    expect(exported.find((supporter) => supporter.email === 'zawadi@example.org')).toMatchObject({ sms: '+33644444444', smsState: 'pending' });
    expect(sms.messages().length).toBe(texted);
  });

  it('serves the console under its own CSP with no inline script, answers deep links with the app and leaves the public pages’ CSP alone', async () => {
    const index = await fetch(`${network.gatewayUrl}/console/alerts/${publishedId}`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    expect((await fetch(`${network.gatewayUrl}/console/assets/missing-0000.js`)).status).toBe(404);
    const bare = await fetch(`${network.gatewayUrl}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');

    const join = await fetch(`${network.gatewayUrl}/join/${autoOrg.slug}`);
    const publicCsp = join.headers.get('content-security-policy') ?? '';
    expect(publicCsp).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self' 'sha256-[^']+'; img-src 'self' https:;/);
    expect(publicCsp).not.toContain('unsafe-inline');
  });

  it('shows a clear error and opens no session for a used or a forged sign-in link', async () => {
    for (const [what, link] of [
      ['a used invitation', usedLink],
      ['the first admin’s used link', `${network.gatewayUrl}/console/sign-in#token=${network.adminSignInToken}`],
      ['a forged link', `${network.gatewayUrl}/console/sign-in#token=clr_${'A'.repeat(43)}`],
    ]) {
      const { context, problems } = await personAt(browser, PHONE);
      const page = await context.newPage();
      await page.goto(link);
      await page.waitForSelector('[role=alert]:has-text("This sign-in link has expired or was already used")', { timeout: 15_000 });
      // The secret left the address bar and history; no cookie was set; the console still asks who you are.
      expect(page.url()).toBe(`${network.gatewayUrl}/console/sign-in`);
      expect((await context.cookies()).map((c) => c.name)).not.toContain('clarion_session');
      expect(await page.evaluate("fetch('/api/v1/auth/session').then((r) => r.status)")).toBe(401);
      const violations = await seriousViolations(page);
      expect([what, describeViolations(what, violations)]).toEqual([what, '']);
      await page.goto(`${network.gatewayUrl}/console/alerts/${publishedId}`);
      await page.waitForSelector('main h1:has-text("Sign in")');
      expect(await page.content()).not.toContain(publishedTitle);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('after signing out, the back button shows the sign-in page, not the data, and the old cookie opens nothing', async () => {
    // A fresh session, asked for on the sign-in page and opened from the link the SMTP sink received.
    const { context, problems } = await personAt(browser, PHONE);
    const page = await context.newPage();
    await page.goto(`${network.gatewayUrl}/console/sign-in`);
    const before = smtp.messages().length;
    await page.getByLabel('Email address').fill(people.coordinator);
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await page.waitForSelector('text=Check your email.');
    await page.goto(await signInLinkTo(people.coordinator, before));
    await page.waitForSelector('main h1:has-text("Hello")', { timeout: 30_000 });

    // The dashboard (a new document), then the alerts list (inside the app), then sign out.
    await page.goto(`${network.gatewayUrl}/console/alerts/${publishedId}`);
    await page.waitForSelector(`main h1:has-text("${publishedTitle}")`, { timeout: 15_000 });
    await page.getByRole('link', { name: 'Alerts', exact: true }).first().click();
    await settled(page);
    const cookie = (await context.cookies()).find((c) => c.name === 'clarion_session');
    expect(cookie).toBeDefined();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('main h1:has-text("Sign in")');

    // Back to the dashboard (the same document), then to the home page (the document before it).
    for (const step of ['the dashboard', 'home']) {
      await page.goBack();
      await page.waitForSelector('main h1:has-text("Sign in")', { timeout: 15_000 });
      const html = await page.content();
      expect([step, html.includes(publishedTitle), html.includes('Hello')]).toEqual([step, false, false]);
    }
    expect((await context.cookies()).map((c) => c.name)).not.toContain('clarion_session');
    const replayed = await fetch(`${network.gatewayUrl}/api/v1/auth/session`, { headers: { Cookie: `clarion_session=${cookie!.value}` } });
    expect(replayed.status).toBe(401);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses the console’s API calls without a session or token, like any API call', async () => {
    expect((await fetch(`${network.gatewayUrl}/api/v1/coalitions/${coalition.id}/alerts`)).status).toBe(401);
    // An editor of another organisation, using the console, cannot read this organisation's review queue.
    const res = await autoOrg.editor.get(`/organisations/${reviewOrg.id}/relays?status=pending`);
    expect(res.status).toBe(403);
  });
});
