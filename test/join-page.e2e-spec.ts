import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { SmtpSink } from '@clarion/sinks';
import { startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { createOrg, type Org } from './support/directory-fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The public join page as a person uses it, in headless Chromium (Debian's, driven by playwright-core). */
describe('join page in a real browser', () => {
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let browser: Browser;
  let admin: Api;
  let org: Org;

  beforeAll(async () => {
    // Fail loudly rather than skip: CI installs chromium (.ci/run).
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    infra = await startTestInfra();
    smtp = await SmtpSink.start();
    network = await startNetwork(infra, { env: { delivery: { SMTP_URL: smtp.smtpUrl } } });
    admin = new Api(network.gatewayUrl, network.adminToken);
    org = await createOrg(admin, 'Browser Rights', ['en', 'fr']);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await network?.stopAll();
    await smtp?.stop();
    await infra?.stop();
  });

  it('signs a person up by email, and the link in the confirmation email makes them a confirmed supporter', async () => {
    const page = await browser.newPage();
    await page.goto(`${network.gatewayUrl}/join/${org.slug}`);
    await page.fill('#email', 'browser.person@example.org');
    await page.selectOption('#language', 'fr');
    await page.click('#join-submit');
    await page.waitForLoadState('load');
    expect(await page.textContent('body')).toMatch(/email/i);

    const confirmation = await eventually('confirmation email', async () => smtp.messages().find((m) => m.to.includes('browser.person@example.org')), 10_000);
    expect(confirmation.from?.name).toBe('Browser Rights');
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)![0];
    const response = await page.goto(confirmUrl);
    expect(response?.status()).toBe(200);

    const counts = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body;
    expect(counts.email).toMatchObject({ active: 1, pending: 0 });
    await page.close();
  });

  it('registers the service worker when the person turns on push', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: network.gatewayUrl });
    const page = await context.newPage();
    await page.goto(`${network.gatewayUrl}/join/${org.slug}`);
    await page.click('#push-button');
    // Page code as strings: this file compiles without the DOM library.
    const scope = await page.evaluate<string>('navigator.serviceWorker.ready.then((registration) => registration.scope)');
    expect(scope).toBe(`${network.gatewayUrl}/`);
    // Subscribing needs the browser vendor's push service, which this sandbox cannot reach; the page must say so, not hang.
    await page.waitForFunction("(document.querySelector('#push-status')?.textContent ?? '').trim().length > 0", undefined, { timeout: 15_000 });
    await context.close();
  });
});
