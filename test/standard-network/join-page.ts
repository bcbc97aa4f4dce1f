import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { SmtpSink } from '@clarion/sinks';
import type { Network } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { createOrg, type Org } from '../support/directory-fixture';
import { standardNetwork } from '../support/standard-network';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The public join page as a person uses it, in headless Chromium (Debian's, driven by playwright-core). */
describe('join page in a real browser', () => {
  const net = standardNetwork();
  let network: Network;
  let smtp: SmtpSink;
  let browser: Browser;
  let admin: Api;
  let org: Org;
  let secondOrg: Org;

  beforeAll(async () => {
    // Fail loudly rather than skip: CI installs chromium (.ci/run).
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    ({ network, smtp } = net);
    admin = new Api(network.gatewayUrl, network.adminToken);
    [org, secondOrg] = await Promise.all([createOrg(admin, 'Browser Rights', ['en', 'fr']), createOrg(admin, 'Second Voice')]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
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

  /**
   * Records each PushManager.subscribe call (the registration's scope and the
   * key asked for) before the browser tries it: subscribing needs the browser
   * vendor's push service, which this sandbox cannot reach, so the call itself
   * fails — after showing which key each organisation's worker was asked to use.
   */
  const RECORD_SUBSCRIBE_CALLS = `
    window.__subscribeCalls = [];
    const subscribe = PushManager.prototype.subscribe;
    PushManager.prototype.subscribe = async function (options) {
      const registrations = await navigator.serviceWorker.getRegistrations();
      const owner = registrations.find((registration) => registration.pushManager === this);
      const bytes = new Uint8Array(options.applicationServerKey);
      const key = btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
      window.__subscribeCalls.push({ scope: owner ? owner.scope : null, key });
      return subscribe.call(this, options);
    };`;

  it('gives two organisations on one installation two service workers, each with its own scope and its own push key, in one browser', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: network.gatewayUrl });
    await context.addInitScript(RECORD_SUBSCRIBE_CALLS);
    const page = await context.newPage();
    const keys: Record<string, string> = {};
    const calls: { scope: string; key: string }[] = [];
    for (const each of [org, secondOrg]) {
      await page.goto(`${network.gatewayUrl}/join/${each.slug}`);
      keys[each.slug] = await page.evaluate<string>("document.querySelector('#join-form').dataset.vapidKey");
      await page.click('#push-button');
      // The page must say how it went (here: the vendor's push service is out of reach), not hang.
      // A selector, not waitForFunction: polling a predicate string is eval, which the page's CSP refuses once it has to poll.
      await page.locator('#push-status[data-state="on"], #push-status[data-state="error"]').waitFor({ state: 'attached', timeout: 15_000 });
      calls.push(...(await page.evaluate<{ scope: string; key: string }[]>('window.__subscribeCalls')));
    }
    const registrations = await page.evaluate<{ scope: string; active: boolean }[]>(
      'navigator.serviceWorker.getRegistrations().then((all) => all.map((r) => ({ scope: r.scope, active: Boolean(r.active) })))',
    );
    const scopeOf = (slug: string) => `${network.gatewayUrl}/join/${slug}/`;
    expect(registrations.sort((a, b) => a.scope.localeCompare(b.scope))).toEqual(
      [org, secondOrg].map((each) => ({ scope: scopeOf(each.slug), active: true })).sort((a, b) => a.scope.localeCompare(b.scope)),
    );
    expect(calls).toEqual([
      { scope: scopeOf(org.slug), key: keys[org.slug] },
      { scope: scopeOf(secondOrg.slug), key: keys[secondOrg.slug] },
    ]);
    expect(keys[org.slug]).not.toBe(keys[secondOrg.slug]);
    await context.close();
  });

  it('serves each organisation a valid web app manifest whose start_url is inside its scope, its service worker’s', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${network.gatewayUrl}/join/${org.slug}`);
    const href = await page.evaluate<string>("document.querySelector('link[rel=manifest]').href");
    expect(href).toBe(`${network.gatewayUrl}/join/${org.slug}/manifest.webmanifest`);

    // Chromium's own reading of it: no errors, the members it uses.
    const cdp = await context.newCDPSession(page);
    const { url, errors, data } = await cdp.send('Page.getAppManifest');
    expect(url).toBe(href);
    expect(errors).toEqual([]);

    const res = await fetch(href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = JSON.parse(data ?? '');
    expect(manifest).toEqual(await res.json());
    expect(manifest).toMatchObject({ name: 'Browser Rights', display: 'standalone', scope: `/join/${org.slug}/`, start_url: `/join/${org.slug}/` });
    expect(manifest.short_name.length).toBeLessThanOrEqual(12);
    const scope = new URL(manifest.scope, href).href;
    expect(new URL(manifest.start_url, href).href.startsWith(scope)).toBe(true);
    expect(scope).toBe(`${network.gatewayUrl}/join/${org.slug}/`);
    expect(manifest.icons.length).toBeGreaterThan(0);
    for (const icon of manifest.icons) {
      expect(icon).toMatchObject({ src: expect.any(String), sizes: expect.any(String) });
      const fetched = await fetch(new URL(icon.src, href));
      expect(fetched.status).toBe(200);
    }
    // The start_url is the join page itself, at the scope's own address.
    const start = await page.goto(new URL(manifest.start_url, href).href);
    expect(start?.status()).toBe(200);
    expect(await page.evaluate<string>("document.querySelector('#join-form')?.dataset.swScope ?? ''")).toBe(manifest.scope);

    for (const path of ['/join/no-such-org/manifest.webmanifest', '/join/no-such-org/icon.svg', '/join/Not%20A%20Slug!/sw.js']) {
      expect({ path, status: (await fetch(`${network.gatewayUrl}${path}`)).status }).toEqual({ path, status: 404 });
    }
    await context.close();
  });
});
