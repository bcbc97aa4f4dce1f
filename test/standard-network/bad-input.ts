import { http } from '@clarion/testing';
import { standardNetwork } from '../support/standard-network';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';

/**
 * Every write endpoint, fed what a hurried or hostile client sends: missing
 * fields, wrong types, unknown fields, oversized text, markup in plain text.
 * Each answers 400 naming the field, and nothing is stored.
 */
describe('bad input on every write endpoint', () => {
  const net = standardNetwork();
  let admin: Api;
  let coalition: Coalition;
  let org: Org;
  let invitedOrg: Org;
  let membershipId: string;
  let alertId: string;
  let relayId: string;

  beforeAll(async () => {
    admin = new Api(net.network.gatewayUrl, net.network.adminToken);
    coalition = await createCoalition(admin);
    [org, invitedOrg] = await Promise.all([createOrg(admin, 'Input Org'), createOrg(admin, 'Invited Org')]);
    membershipId = (await subscribe(coalition, org, { relayPolicy: { mode: 'review', deadlineMinutes: 60, onDeadline: 'drop' } })).id;
    expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/invitations`, { orgId: invitedOrg.id }), 201);
    alertId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body.id;
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`), 200);
    relayId = await eventually('relay', async () => expectStatus(await org.editor.get(`/organisations/${org.id}/relays`), 200).body[0]?.id);
  });

  const long = (n: number) => 'x'.repeat(n);
  const validOrg = () => ({ name: 'Valid Org', slug: 'valid-org', country: 'KE', languages: ['en'], branding: { senderName: 'Valid' } });

  type Case = [description: string, call: () => Promise<{ status: number; body: { field?: string; message?: string } }>, field: string];
  const cases = (): Case[] => [
    ['organisation without a name', () => admin.post('/organisations', { ...validOrg(), name: undefined }), 'name'],
    ['organisation with a country name instead of a code', () => admin.post('/organisations', { ...validOrg(), country: 'Kenya' }), 'country'],
    ['organisation with an unknown country code', () => admin.post('/organisations', { ...validOrg(), country: 'QQ' }), 'country'],
    ['organisation with languages as a string', () => admin.post('/organisations', { ...validOrg(), languages: 'en' }), 'languages'],
    ['organisation with an unknown field', () => admin.post('/organisations', { ...validOrg(), isVerified: true }), 'isVerified'],
    ['organisation with a script tag in its name', () => admin.post('/organisations', { ...validOrg(), name: '<script>alert(1)</script>' }), 'name'],
    ['organisation with an oversized sender name', () => admin.post('/organisations', { ...validOrg(), branding: { senderName: long(500) } }), 'branding.senderName'],
    ['organisation with a plain-http logo', () => admin.post('/organisations', { ...validOrg(), branding: { senderName: 'V', logoUrl: 'http://x.org/l.png' } }), 'branding.logoUrl'],
    ['coalition without a slug', () => admin.post('/coalitions', { name: 'No slug' }), 'slug'],
    ['coalition with a string for a boolean', () => admin.post('/coalitions', { name: 'C', slug: 'c-bool', requireSecondApproval: 'yes' }), 'requireSecondApproval'],
    ['coalition with markup in its description', () => admin.post('/coalitions', { name: 'C', slug: 'c-markup', description: '<b>bold</b>' }), 'description'],
    ['token with an unknown role', () => admin.post('/tokens', { name: 't', grant: { role: 'root' } }), 'grant.role'],
    ['token without a name', () => admin.post('/tokens', { grant: { role: 'admin' } }), 'name'],
    ['invitation with a malformed id', () => coalition.coordinator.post(`/coalitions/${coalition.id}/invitations`, { orgId: 'abc' }), 'orgId'],
    ['path parameter that is not an id', () => admin.get('/organisations/not-an-id'), 'orgId'],
    ['review policy without a deadline', () => invitedOrg.admin.post(`/organisations/${invitedOrg.id}/memberships`, { coalitionId: coalition.id, relayPolicy: { mode: 'review', onDeadline: 'drop' } }), 'relayPolicy.deadlineMinutes'],
    ['membership on an unknown channel', () => invitedOrg.admin.post(`/organisations/${invitedOrg.id}/memberships`, { coalitionId: coalition.id, channels: ['fax'], relayPolicy: { mode: 'auto' } }), 'channels.0'],
    ['membership filtering on a made-up region', () => invitedOrg.admin.post(`/organisations/${invitedOrg.id}/memberships`, { coalitionId: coalition.id, filters: { regions: ['XX'] }, relayPolicy: { mode: 'auto' } }), 'filters.regions.0'],
    ['membership update with a wrong type', () => org.admin.patch(`/organisations/${org.id}/memberships/${membershipId}`, { channels: 'email' }), 'channels'],
    ['alert with a script tag in the title', () => coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ texts: { en: { title: 'Hi <script>x()</script>', body: 'b', ctaLabel: 'c' } } })), 'texts.en.title'],
    ['alert with a script in the body', () => coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ texts: { en: { title: 't', body: 'x <script>steal()</script>', ctaLabel: 'c' } } })), 'texts.en.body'],
    ['alert with an oversized body', () => coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ texts: { en: { title: 't', body: long(10_001), ctaLabel: 'c' } } })), 'texts.en.body'],
    ['alert with a javascript: call to action', () => coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ ctaUrl: 'javascript:alert(1)' })), 'ctaUrl'],
    ['alert with an unknown urgency', () => coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ urgency: 'extreme' })), 'urgency'],
    ['alert whose primary language has no text', () => coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ primaryLanguage: 'sw' })), 'texts'],
    ['alert with an unknown field', () => coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, { ...alertInput(), sendToEveryone: true }), 'sendToEveryone'],
    ['alert correction with a wrong type', () => coalition.coordinator.patch(`/alerts/${alertId}`, { topics: 'civic-space' }), 'topics'],
    ['publish at a time that is not a date', () => coalition.coordinator.post(`/alerts/${alertId}/publish`, { at: 'tomorrow' }), 'at'],
    ['cancel with markup in the reason', () => coalition.coordinator.post(`/alerts/${alertId}/cancel`, { reason: '<i>oops</i>' }), 'reason'],
    ['relay approval with markup in the intro', () => org.editor.post(`/organisations/${org.id}/relays/${relayId}/approve`, { intro: '<img src=x onerror=alert(1)>' }), 'intro'],
    ['relay approval with a plain-http call to action', () => org.editor.post(`/organisations/${org.id}/relays/${relayId}/approve`, { ctaUrl: 'http://insecure.example.org' }), 'ctaUrl'],
    ['relay decline with an oversized reason', () => org.editor.post(`/organisations/${org.id}/relays/${relayId}/decline`, { reason: long(501) }), 'reason'],
  ];

  async function snapshot() {
    const [orgs, coalitions, tokens, alerts, memberships, relays] = await Promise.all([
      admin.get('/organisations'),
      admin.get('/coalitions'),
      admin.get('/tokens'),
      coalition.coordinator.get(`/alerts/${alertId}`),
      org.admin.get(`/organisations/${org.id}/memberships`),
      org.editor.get(`/organisations/${org.id}/relays`),
    ]);
    return JSON.stringify([orgs.body, coalitions.body, tokens.body, alerts.body, memberships.body, relays.body, (await invitedOrg.admin.get(`/organisations/${invitedOrg.id}/memberships`)).body]);
  }

  it('answers 400 naming the field for each bad request, and stores nothing', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const [description, call, field] of cases()) {
      const res = await call();
      if (res.status !== 400 || res.body.field !== field || !String(res.body.message).includes(field)) {
        failures.push(`${description}: expected 400 naming ${field}, got ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses malformed JSON with 400 and a body over the size limit with 413', async () => {
    const malformed = await http('POST', `${net.network.gatewayUrl}/api/v1/organisations`, {
      body: '{"name": "unterminated',
      token: net.network.adminToken,
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ field: 'body' });
    const huge = await admin.post('/organisations', { ...validOrg(), name: long(2_000_000) });
    expect(huge.status).toBe(413);
  });

  it('stores Markdown bodies as sanitised HTML', async () => {
    const body = 'Read **this** [report](https://example.org/r).\n\n<img src=x onerror="alert(1)"><iframe src="https://evil.example"></iframe><a href="data:text/html,x">x</a>';
    const alert = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ texts: { en: { title: 't', body, ctaLabel: 'c' } } })), 201).body;
    const html: string = alert.texts.en.bodyHtml;
    expect(html).toContain('<strong>this</strong>');
    expect(html).toContain('href="https://example.org/r"');
    expect(html).not.toMatch(/onerror|<iframe|<img|data:text/i);
  });
});
