import { createHash } from 'node:crypto';
import { JSONCodec, type NatsConnection } from 'nats';
import { progressSubject, type RelayProgress } from '@clarion/contracts';
import { LinkSigner } from '@clarion/security';
import { http, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { standardNetwork } from '../support/standard-network';

/** An event stream read until `events` progress events have arrived (acting once after the first), then hung up on as a closing tab would. */
async function readEvents(url: string, token: string | undefined, events: number, whileOpen?: () => Promise<void>) {
  const hangUp = new AbortController();
  const res = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.any([hangUp.signal, AbortSignal.timeout(15_000)]),
  });
  const contentType = res.headers.get('content-type') ?? '';
  if (!contentType.startsWith('text/event-stream')) return { status: res.status, contentType, body: await res.text(), events: [] };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const count = () => (text.match(/^event: progress$/gm) ?? []).length;
  let acted = false;
  try {
    while (count() < events) {
      if (count() === 1 && whileOpen && !acted) {
        acted = true;
        await whileOpen();
      }
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    hangUp.abort();
  }
  const parsed = [...text.matchAll(/^event: progress\ndata: (.*)$/gm)].map((match) => JSON.parse(match[1]));
  return { status: res.status, contentType, body: text, events: parsed };
}

/** A request as a browser's first hop: redirects are reported, not followed. */
const page = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init });

/**
 * The gateway's supporter pages, supporter management API and live progress,
 * with every service as a process on real NATS and FerretDB. The signed links
 * of messages are made here with the network's SECRET_KEY, as delivery would.
 */
describe('public pages and live progress', () => {
  const net = standardNetwork();
  let infra: TestInfra;
  let network: Network;
  let nc: NatsConnection;
  let base: string;
  let coalition: Coalition;
  let otherCoalition: Coalition;
  let org: Org;
  let otherOrg: Org;
  let alertId: string;

  // Jest applies a project's testTimeout to tests only, and starting four services may take longer than a hook's 5 s default.
  beforeAll(async () => {
    ({ infra, network } = net);
    nc = await infra.connectHarness();
    base = network.gatewayUrl;
    const admin = new Api(base, network.adminToken);
    [coalition, otherCoalition] = await Promise.all([createCoalition(admin), createCoalition(admin)]);
    [org, otherOrg] = await Promise.all([createOrg(admin, 'Progress Org'), createOrg(admin, 'Other Org')]);
    alertId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body.id;
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
  });

  describe('supporter pages', () => {
    it('serves each organisation its service worker in its own folder, and the earlier one at the root for browsers that have it', async () => {
      const own = await page(`${base}/join/any-organisation/sw.js`);
      expect(own.status).toBe(200);
      expect(own.headers.get('content-type')).toMatch(/^text\/javascript/);
      // Its folder is its scope: no header widens it.
      expect(own.headers.get('service-worker-allowed')).toBeNull();
      const script = await own.text();
      expect(script).toContain('showNotification(data.title');
      expect(script).toContain('openWindow(url)');
      expect(script).toContain("addEventListener('pushsubscriptionchange'");
      const root = await page(`${base}/sw.js`);
      expect(root.status).toBe(200);
      expect(root.headers.get('service-worker-allowed')).toBe('/');
      expect(await root.text()).toBe(script);
    });

    it('serves the join script and the stylesheet from its own origin', async () => {
      const script = await page(`${base}/static/join.js`);
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await script.text()).toContain('register(form.dataset.swUrl, { scope: form.dataset.swScope })');
      expect((await page(`${base}/static/pages.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    });

    it('answers an unknown organisation’s join page with a 404 page under a strict Content-Security-Policy', async () => {
      const res = await page(`${base}/join/Not_A_Real_Slug`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      // Never to another site; to our own, so that our forms' posts carry their Origin.
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      const body = await res.text();
      expect(body).toContain('<html lang="en">');
      expect(body).toContain('Page not found');
    });

    it('answers a JSON join with a bad field as the JSON error body, naming the field', async () => {
      const res = await http('POST', `${base}/join/some-org`, { body: { language: 'en' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, field: 'email' });
    });

    it('answers 404 pages for links it did not sign or ids that cannot exist', async () => {
      for (const [method, path] of [['GET', '/c/garbage'], ['GET', '/u/garbage'], ['POST', '/u/garbage'], ['GET', '/p/garbage'], ['GET', '/a/not-an-id']]) {
        const res = await page(`${base}${path}`, { method });
        expect({ path, method, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, method, status: 404, type: expect.stringMatching(/^text\/html/) });
      }
    });

    it('sends a signed click that delivery cannot count to the alert’s page instead of stranding the person', async () => {
      const relayId = 'f'.repeat(24);
      const token = new LinkSigner(net.secretKey).sign('click', { r: relayId, ch: 'email' });
      const res = await page(`${base}/c/${token}`);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`/a/${relayId}`);
    });
  });

  describe('supporter pages of a real organisation', () => {
    const signer = () => new LinkSigner(net.secretKey);
    const form = (fields: Record<string, string | string[]>) =>
      new URLSearchParams(Object.entries(fields).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v])));
    const post = (path: string, body: URLSearchParams) =>
      page(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    let supporterId: string;

    it('shows the join page in the organisation’s colours, its script loaded from the gateway and the hash of the one inline style', async () => {
      const res = await page(`${base}/join/${org.slug}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      const style = /<style>(:root\{--brand:#aa3300;[^<]*)<\/style>/.exec(body)?.[1];
      expect(style).toBeDefined();
      expect(res.headers.get('content-security-policy')).toContain(`style-src 'self' 'sha256-${createHash('sha256').update(style!).digest('base64')}'`);
      expect(body).toContain('<script src="/static/join.js" defer></script>');
      expect(body).toMatch(/data-vapid-key="[A-Za-z0-9_-]{80,}"/);
      for (const id of ['email', 'language', 'join-submit', 'push-button', 'push-status']) expect(body).toContain(`id="${id}"`);
    });

    it('answers a well-formed but unknown organisation with a 404 page', async () => {
      expect((await page(`${base}/join/no-such-organisation`)).status).toBe(404);
    });

    it('shows the form again with a 400 naming the field when the address is not one, keeping what was typed', async () => {
      const res = await post(`/join/${org.slug}`, form({ email: 'not-an-email', language: 'en', topics: ['climate'] }));
      expect(res.status).toBe(400);
      const body = await res.text();
      expect(body).toContain('<a href="#email">email must be an email address</a>');
      expect(body).toContain('value="not-an-email"');
    });

    it('asks the person to check their email after a form join', async () => {
      const res = await post(`/join/${org.slug}`, form({ email: 'page.person@example.org', language: 'en', topics: ['climate', 'health'] }));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Check your email to confirm');
      const joined = await http('POST', `${base}/join/${org.slug}`, { body: { email: 'page.person@example.org', language: 'en', topics: ['climate'] } });
      expect(joined).toMatchObject({ status: 201, body: { emailState: 'pending' } });
      // The answer names nobody: the organisation's export does.
      supporterId = await eventually('the supporter on the list', async () => {
        const supporters = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/export?format=json`), 200).body as { id: string; email?: string }[];
        return supporters.find((supporter) => supporter.email === 'page.person@example.org')?.id;
      });
    });

    it('lets the supporter change language and topics on the preferences page, with an unsubscribe link per channel', async () => {
      const token = signer().sign('preferences', { s: supporterId, o: org.id });
      const shown = await (await page(`${base}/p/${token}`)).text();
      expect(shown).toContain('Your alerts from Progress Org');
      expect(shown).toMatch(/<a href="\/u\/[^"]+">Stop emails<\/a>/);

      const saved = await post(`/p/${token}`, form({ language: 'en', topics: ['humanitarian'] }));
      expect(saved.status).toBe(200);
      const body = await saved.text();
      expect(body).toContain('Your preferences are saved.');
      expect(body).toMatch(/value="humanitarian" aria-describedby="topics-hint" checked/);
      expect(body).not.toMatch(/value="climate" aria-describedby="topics-hint" checked/);
    });

    it('asks before unsubscribing, and unsubscribes on the POST a mail client sends (RFC 8058)', async () => {
      const token = signer().sign('unsubscribe', { s: supporterId, c: 'email', o: org.id });
      const asked = await page(`${base}/u/${token}`);
      expect(asked.status).toBe(200);
      expect(await asked.text()).toContain(`<form method="post" action="/u/${token}">`);

      const done = await post(`/u/${token}`, new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }));
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Progress Org will send you no more emails.');
    });
  });

  describe('RFC 8058 one-click unsubscribe', () => {
    let oneClickOrg: Org;
    const addresses = ['multipart@example.org', 'urlencoded@example.org', 'button@example.org', 'hostile@example.org'];
    const ids = new Map<string, string>();
    const exported = async () =>
      (await (
        await fetch(`${base}/api/v1/organisations/${oneClickOrg.id}/supporters/export?format=json`, {
          headers: { authorization: `Bearer ${oneClickOrg.admin.token}` },
          signal: AbortSignal.timeout(10_000),
        })
      ).json()) as Array<{ id: string; email?: string; emailState?: string; consents: Array<{ action: string; method: string; source?: string }> }>;
    const supporter = async (email: string) => (await exported()).find((s) => s.email === email)!;
    const unsubscribeUrl = (email: string) => `${base}/u/${new LinkSigner(net.secretKey).sign('unsubscribe', { s: ids.get(email)!, c: 'email', o: oneClickOrg.id })}`;

    beforeAll(async () => {
      oneClickOrg = await createOrg(new Api(base, network.adminToken), 'One Click Rights');
      const csv = ['email,language,topics,consent_at,consent_source', ...addresses.map((email) => `${email},en,,2026-01-15,Paper petition`)].join('\n');
      expect(expectStatus(await oneClickOrg.admin.post(`/organisations/${oneClickOrg.id}/supporters/import`, { csv }), 200).body).toMatchObject({ imported: 4 });
      for (const s of await exported()) ids.set(s.email!, s.id);
    });

    const withdrawal = async (email: string) => (await supporter(email)).consents.filter((c) => c.action === 'withdrawn');

    it('takes a mail client’s one-click as multipart/form-data, what the RFC says it SHOULD send, and records it as RFC 8058', async () => {
      const form = new FormData();
      form.append('List-Unsubscribe', 'One-Click');
      const res = await page(unsubscribeUrl('multipart@example.org'), { method: 'POST', body: form });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('One Click Rights will send you no more emails.');
      expect((await supporter('multipart@example.org')).emailState).toBe('unsubscribed');
      expect(await withdrawal('multipart@example.org')).toEqual([
        expect.objectContaining({ method: 'one-click', source: 'email List-Unsubscribe-Post (RFC 8058)' }),
      ]);
    });

    it('takes it as application/x-www-form-urlencoded too, recorded the same', async () => {
      const res = await page(unsubscribeUrl('urlencoded@example.org'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
      expect(await withdrawal('urlencoded@example.org')).toEqual([
        expect.objectContaining({ method: 'one-click', source: 'email List-Unsubscribe-Post (RFC 8058)' }),
      ]);
    });

    it('records the page’s own button as the unsubscribe link, not as RFC 8058', async () => {
      const res = await page(unsubscribeUrl('button@example.org'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      expect(res.status).toBe(200);
      expect(await withdrawal('button@example.org')).toEqual([expect.objectContaining({ method: 'unsubscribe-link', source: `${base}/u` })]);
    });

    it('refuses a multipart post carrying a file or an oversized field, and unsubscribes nobody with it', async () => {
      const withFile = new FormData();
      withFile.append('List-Unsubscribe', 'One-Click');
      withFile.append('attachment', new Blob(['MZ'.repeat(1_000)]), 'invoice.exe');
      const oversized = new FormData();
      oversized.append('List-Unsubscribe', 'One-Click');
      oversized.append('padding', 'x'.repeat(100_000));
      for (const body of [withFile, oversized]) {
        const res = await page(unsubscribeUrl('hostile@example.org'), { method: 'POST', body });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      expect((await supporter('hostile@example.org')).emailState).toBe('active');
      expect(await withdrawal('hostile@example.org')).toEqual([]);
    });
  });

  describe('the alert’s landing page', () => {
    it('shows an approved relay in the organisation’s look, its call to action through a click link the gateway signed', async () => {
      await subscribe(coalition, org, { relayPolicy: { mode: 'auto' } });
      const published = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body.id;
      expectStatus(await coalition.coordinator.post(`/alerts/${published}/publish`), 200);
      const relay = await eventually('relay approved', async () => {
        const relays = expectStatus(await org.editor.get(`/organisations/${org.id}/relays?status=approved`), 200).body;
        return relays.find((r: { alertId: string }) => r.alertId === published);
      });

      const res = await page(`${base}/a/${relay.id}?l=fr`);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('<html lang="fr">');
      expect(body).toContain('Solidarité avec la KHRC');
      expect(body).toContain('<strong>gelé</strong>');
      const click = /id="cta" data-testid="cta" href="\/c\/([^"]+)">Signez la lettre</.exec(body)?.[1] ?? '';
      expect(new LinkSigner(net.secretKey).verify('click', click)).toMatchObject({ r: relay.id, ch: 'web' });
    });
  });

  describe('supporter management API', () => {
    const csv = [
      'email,language,topics,consent_at,consent_source',
      'imported.one@example.org,en,climate;health,2026-01-15,"Paper petition, Nairobi"',
      'imported.two@example.org,fr,humanitarian,2026-02-01T10:00:00Z,"=HYPERLINK(""http://evil"")"',
    ].join('\n');
    const download = (format: string, token = org.admin.token) =>
      fetch(`${base}/api/v1/organisations/${org.id}/supporters/export?format=${format}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });

    it('imports a CSV sent as text/csv, and as JSON { csv }', async () => {
      const res = await fetch(`${base}/api/v1/organisations/${org.id}/supporters/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.admin.token}`, 'content-type': 'text/csv' },
        body: csv,
      });
      expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 200, body: { imported: 2, skipped: [] } });
      const again = expectStatus(await org.admin.post(`/organisations/${org.id}/supporters/import`, { csv: 'email,language,topics,consent_at,consent_source\nbad,en,,,' }), 200).body;
      expect(again).toMatchObject({ imported: 0, skipped: [expect.objectContaining({ line: 2 })] });
    });

    it('refuses a CSV over 5 MB with 413 before it reaches a service', async () => {
      const res = await fetch(`${base}/api/v1/organisations/${org.id}/supporters/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.admin.token}`, 'content-type': 'text/csv' },
        body: 'x'.repeat(5 * 1024 * 1024 + 1),
      });
      expect(res.status).toBe(413);
    });

    it('counts the organisation’s supporters', async () => {
      const counts = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body;
      expect(counts.email.active).toBeGreaterThanOrEqual(2);
    });

    it('exports a CSV with a header row and defused cells', async () => {
      const res = await download('csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toContain('attachment');
      const lines = (await res.text()).split('\r\n');
      expect(lines[0]).toMatch(/^email,language,topics,consent_at,consent_source,/);
      expect(lines.find((line) => line.startsWith('imported.one@example.org'))).toContain('climate;health');
      expect(lines.find((line) => line.startsWith('imported.one@example.org'))).toContain('"Paper petition, Nairobi"');
      expect(lines.find((line) => line.startsWith('imported.two@example.org'))).toContain(`"'=HYPERLINK(""http://evil"")"`);
    });

    it('exports JSON with every consent record, and refuses another organisation with its status', async () => {
      const exported = (await (await download('json')).json()) as Array<{ email?: string; consents: unknown[] }>;
      expect(exported.find((s) => s.email === 'imported.one@example.org')?.consents).toEqual([
        expect.objectContaining({ action: 'imported', source: 'Paper petition, Nairobi' }),
      ]);
      const refused = await download('csv', otherOrg.admin.token);
      expect([403, 404]).toContain(refused.status);
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    });
  });

  describe('live progress (Server-Sent Events)', () => {
    const progressUrl = () => `${base}/api/v1/alerts/${alertId}/progress`;

    it('refuses a caller without a token', async () => {
      const res = await readEvents(progressUrl(), undefined, 1);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ statusCode: 401, field: 'authorization' });
    });

    it('answers 404 to another coalition’s coordinator, and 403 to another organisation on the organisation view', async () => {
      expect((await readEvents(progressUrl(), otherCoalition.coordinator.token, 1)).status).toBe(404);
      const orgView = `${base}/api/v1/organisations/${org.id}/alerts/${alertId}/progress`;
      expect((await readEvents(orgView, otherOrg.editor.token, 1)).status).toBe(403);
    });

    it('streams the coordinator the totals at once, then new totals when delivery publishes a snapshot', async () => {
      const snapshot: RelayProgress = {
        relayId: 'e'.repeat(24),
        alertId,
        orgId: org.id,
        coalitionId: coalition.id,
        channels: { email: { targeted: 10, sent: 8, failed: 1, suppressed: 1 }, push: { targeted: 4, sent: 4, failed: 0, suppressed: 0 }, sms: { targeted: 0, sent: 0, failed: 0, suppressed: 0 } },
        clicked: 3,
        updatedAt: new Date().toISOString(),
      };
      const res = await readEvents(progressUrl(), coalition.coordinator.token, 2, async () => {
        nc.publish(progressSubject(alertId), JSONCodec().encode(snapshot));
        await nc.flush();
      });
      expect(res.status).toBe(200);
      expect(res.contentType).toMatch(/^text\/event-stream/);
      const [initial, updated] = res.events;
      expect(initial).toMatchObject({ alertId, clicked: 0, relaysSending: 0, relays: { pending: 0, approved: 0, declined: 0, cancelled: 0 } });
      expect(updated).toMatchObject({ alertId, clicked: 3, relaysSending: 1, channels: snapshot.channels });
      expect(JSON.stringify(updated)).not.toContain(org.id);
    });

    it('streams an organisation’s editor only its own relays', async () => {
      const res = await readEvents(`${base}/api/v1/organisations/${org.id}/alerts/${alertId}/progress`, org.editor.token, 1);
      expect(res.status).toBe(200);
      expect(res.events[0]).toMatchObject({ alertId, relaysSending: 0 });
    });
  });
});
