import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { Network } from '@clarion/testing';
import { Api } from '../support/api';
import { createOrg, type Org } from '../support/directory-fixture';
import { standardNetwork } from '../support/standard-network';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A response's headers, fetched as a browser's first hop would (redirects reported, not followed). */
async function headersOf(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers }> {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init });
  await res.arrayBuffer();
  return { status: res.status, headers: res.headers };
}

/**
 * The public surface's headers (docs/decisions/0023), on every kind of
 * answer the gateway gives (the API, its docs, the public pages, health, errors) and on the other services'
 * health ports: no X-Powered-By, nosniff, a CSP that forbids framing.
 */
describe('security headers', () => {
  const net = standardNetwork();
  let network: Network;
  let org: Org;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    ({ network } = net);
    org = await createOrg(new Api(network.gatewayUrl, network.adminToken), 'Header Rights');
  });

  afterAll(async () => {
    await browser?.close();
  });

  const gatewayAnswers = () => [
    ['API, no token (401)', `${network.gatewayUrl}/api/v1/organisations`, {}],
    ['API, with a token', `${network.gatewayUrl}/api/v1/tokens`, { headers: { authorization: `Bearer ${network.adminToken}` } }],
    ['API, unknown route (404)', `${network.gatewayUrl}/api/v1/nothing-here`, {}],
    ['API docs', `${network.gatewayUrl}/api/docs`, {}],
    ['API docs script', `${network.gatewayUrl}/api/docs/swagger-ui-init.js`, {}],
    ['OpenAPI document', `${network.gatewayUrl}/api/docs/openapi.json`, {}],
    ['join page', `${network.gatewayUrl}/join/${org.slug}`, {}],
    ['public 404 page', `${network.gatewayUrl}/u/not-a-link`, {}],
    ['service worker', `${network.gatewayUrl}/sw.js`, {}],
    ['health', `${network.gatewayUrl}/health`, {}],
  ] as const;

  it('sends nosniff and a CSP with frame-ancestors, and no X-Powered-By, on every kind of gateway answer', async () => {
    for (const [what, url, init] of gatewayAnswers()) {
      const { status, headers } = await headersOf(url, init);
      const csp = headers.get('content-security-policy') ?? '';
      expect({ what, status: status < 500, poweredBy: headers.get('x-powered-by'), nosniff: headers.get('x-content-type-options'), frameAncestors: /frame-ancestors 'none'/.test(csp) }).toEqual({
        what,
        status: true,
        poweredBy: null,
        nosniff: 'nosniff',
        frameAncestors: true,
      });
    }
  });

  it('lets the API load nothing, and keeps the public pages’ own stricter policy for scripts', async () => {
    const api = (await headersOf(`${network.gatewayUrl}/api/v1/organisations`)).headers;
    expect(api.get('content-security-policy')).toContain("default-src 'none'");
    expect(api.get('x-frame-options')).toBe('DENY');
    const join = (await headersOf(`${network.gatewayUrl}/join/${org.slug}`)).headers.get('content-security-policy') ?? '';
    expect(join).toContain("script-src 'self'");
    expect(join).not.toContain('unsafe-inline');
    const docs = (await headersOf(`${network.gatewayUrl}/api/docs`)).headers.get('content-security-policy') ?? '';
    expect(docs).toContain("script-src 'self'");
    expect(docs).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('sends no X-Powered-By and nosniff from the other services’ health ports either', async () => {
    for (const name of ['alerts', 'subscriptions', 'delivery'] as const) {
      const { headers } = await headersOf(`${network.services[name].httpUrl}/health/live`);
      expect({ name, poweredBy: headers.get('x-powered-by'), nosniff: headers.get('x-content-type-options') }).toEqual({ name, poweredBy: null, nosniff: 'nosniff' });
    }
  });

  it('keeps an idle connection open longer than a proxy in front keeps it (60 s), on the gateway and every health port', async () => {
    // A server that closes first races the client's next request on that connection ("other side closed").
    for (const url of [`${network.gatewayUrl}/health/live`, ...(['alerts', 'subscriptions', 'delivery'] as const).map((name) => `${network.services[name].httpUrl}/health/live`)]) {
      const { headers } = await headersOf(url);
      const seconds = Number(/timeout=(\d+)/.exec(headers.get('keep-alive') ?? '')?.[1]);
      expect({ url, longerThanAProxy: seconds > 60 }).toEqual({ url, longerThanAProxy: true });
    }
  });

  it('shows the API docs in a real browser under their policy, with nothing refused', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${network.gatewayUrl}/api/docs`);
    // Page code as strings: this file compiles without the DOM library.
    // A selector, not waitForFunction: polling a predicate string is eval, which the page's CSP refuses once it has to poll.
    await page.locator('.swagger-ui .info .title').filter({ hasText: /\S/ }).first().waitFor({ timeout: 15_000 });
    expect(await page.textContent('.swagger-ui .info .title')).toMatch(/Clarion/);
    // An operation opens (Swagger UI's own scripts and styles at work).
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    expect(refused).toEqual([]);
    await page.close();
  });
});
