import type { Browser } from 'playwright-core';
import { SmtpSink } from '@clarion/sinks';
import { http, startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { DESKTOP, describeViolations, launchChromium, PHONE, personAt, screenshot, seriousViolations, settled, type Grant } from './console-browser';

/**
 * Every console screen in Debian's Chromium, at phone width (360 px) and on a
 * desktop, against a small live network: each loads under the console's CSP
 * with no violation or script error, and axe-core finds no serious or
 * critical WCAG 2.2 A/AA violation. The coordinator's screens never show a
 * supporter's address. With CONSOLE_SCREENSHOTS set (npm run
 * console:screenshots), each screen is also saved for the docs.
 */
describe('the consoles, screen by screen', () => {
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let browser: Browser;
  let admin: Api;
  let coalition: Coalition;
  let reviewOrg: Org;
  let autoOrg: Org;
  let draftId = '';
  let publishedId = '';
  let relayId = '';
  const supporterEmail = 'amina.supporter@example.org';

  beforeAll(async () => {
    browser = await launchChromium();
    infra = await startTestInfra();
    smtp = await SmtpSink.start();
    network = await startNetwork(infra, { env: { delivery: { SMTP_URL: smtp.smtpUrl } } });
    admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin, { requireSecondApproval: true });
    [reviewOrg, autoOrg] = await Promise.all([createOrg(admin, 'Haki Review', ['en', 'fr']), createOrg(admin, 'Uhuru Now', ['en'])]);
    await subscribe(coalition, reviewOrg, { channels: ['email', 'push'], relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'approve' } });
    await subscribe(coalition, autoOrg, { channels: ['email'], relayPolicy: { mode: 'auto' } });

    // One supporter, so the dashboard has something to count and the coordinator's pages something not to show.
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${autoOrg.slug}`, { body: { email: supporterEmail, language: 'en', topics: [] } }), 201);
    const confirmation = await eventually('confirmation email', async () => smtp.messages().find((m) => m.to.includes(supporterEmail)), 15_000);
    expectStatus(await http('GET', /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)![0]), 200);

    const published = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    publishedId = published.id;
    expectStatus(await coalition.secondCoordinator.post(`/alerts/${publishedId}/approve`), 200);
    expectStatus(await coalition.coordinator.post(`/alerts/${publishedId}/publish`), 200);
    await smtp.waitForCount(2, 30_000);
    const relay = await eventually('the review relay', async () => {
      const relays = expectStatus(await reviewOrg.editor.get(`/organisations/${reviewOrg.id}/relays?status=pending`), 200).body;
      return relays.find((r: { alertId: string }) => r.alertId === publishedId);
    }, 15_000);
    relayId = relay.id;
    draftId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body.id;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stopAll();
    await smtp?.stop();
    await infra?.stop();
  });

  const as = (grant: () => Grant, name: string, api: () => Api) => () => ({ token: api().token!, name, grant: grant() });
  const coordinator = as(() => ({ role: 'coordinator', coalitionId: coalition.id }), 'Wanjiru (coordinator)', () => coalition.coordinator);
  const secondCoordinator = as(() => ({ role: 'coordinator', coalitionId: coalition.id }), 'Thomas (coordinator)', () => coalition.secondCoordinator);
  const editor = as(() => ({ role: 'org_editor', orgId: reviewOrg.id }), 'Achieng (editor)', () => reviewOrg.editor);
  const orgAdmin = as(() => ({ role: 'org_admin', orgId: reviewOrg.id }), 'Claire (organisation admin)', () => reviewOrg.admin);
  const networkAdmin = as(() => ({ role: 'admin' }), 'Network admin', () => admin);

  /** [screenshot name, who, path, coordinator's screen (must not show a supporter)] */
  const screens: [string, (() => { token: string; name: string; grant: Grant }) | undefined, () => string, boolean][] = [
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

  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`shows every screen at ${label} width with no serious accessibility violation and no CSP violation`, async () => {
      const failures: string[] = [];
      for (const [name, who, path, coordinatorScreen] of screens) {
        const { context, problems } = await personAt(browser, viewport, who?.());
        const page = await context.newPage();
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
        await context.close();
      }
      expect(failures).toEqual([]);
    }, 300_000);
  }

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

  it('refuses the console’s API calls without a session or token, like any API call', async () => {
    expect((await fetch(`${network.gatewayUrl}/api/v1/coalitions/${coalition.id}/alerts`)).status).toBe(401);
    // An editor of another organisation, using the console, cannot read this organisation's review queue.
    const res = await autoOrg.editor.get(`/organisations/${reviewOrg.id}/relays?status=pending`);
    expect(res.status).toBe(403);
  });
});
