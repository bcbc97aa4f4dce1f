import type { SmtpSink, SmtpSinkMessage } from '@clarion/sinks';
import { http, type Network } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, createToken, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { standardNetwork } from '../support/standard-network';

interface Preview {
  language: string;
  email: { subject: string; html: string; text: string };
  push: { title: string; body: string; url: string };
}

/**
 * The links of a message that name a relay or a person (call to action through
 * the click counter, web view, unsubscribe, preferences): everything else of a
 * preview must be what a supporter receives, byte for byte.
 */
const withoutPersonalLinks = (content: string) => content.replace(/\/(c|a|u|p)\/[A-Za-z0-9_.~-]+/g, '/$1/LINK');

/**
 * The consoles' previews over HTTP with every service a process: a draft's
 * email and push per language (coordinators of its coalition), an
 * organisation's relay with its edited intro (its own staff), each rendered by
 * delivery for a sample supporter and equal to what a real supporter then
 * receives at the SMTP sink apart from the personal links; tried by the people
 * who must not use them, without a token, and with bad input.
 */
describe('console previews', () => {
  const net = standardNetwork();
  let network: Network;
  let smtp: SmtpSink;
  let admin: Api;
  let anonymous: Api;
  let coalition: Coalition;
  let otherCoalition: Coalition;
  let coalitionName: string;
  /** Named and coloured as the coalition, so its email is the draft's preview. */
  let twin: Org;
  let review: Org;
  let other: Org;
  const twinAddress = 'ada.twin@example.org';
  const reviewAddress = 'bo.review@example.org';

  async function joinConfirmed(org: Org, email: string): Promise<void> {
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { topics: [], email, language: 'en' } }), 201);
    const confirmation = await eventually(`confirmation to ${email}`, async () => smtp.messages().find((m) => m.to.includes(email)), 15_000);
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)?.[0];
    expect(confirmUrl).toBeDefined();
    expectStatus(await http('GET', confirmUrl!), 200);
  }

  const alertTo = (address: string) =>
    eventually(`the alert to ${address}`, async () => smtp.messages().find((m) => m.to.includes(address) && !/confirm/i.test(m.subject)), 30_000);

  function expectSameEmail(preview: Preview, received: SmtpSinkMessage): void {
    expect(received.subject).toBe(preview.email.subject);
    expect(withoutPersonalLinks(received.html)).toBe(withoutPersonalLinks(preview.email.html));
    expect(withoutPersonalLinks(received.text).trim()).toBe(withoutPersonalLinks(preview.email.text).trim());
  }

  beforeAll(async () => {
    ({ network, smtp } = net);
    admin = new Api(network.gatewayUrl, network.adminToken);
    anonymous = new Api(network.gatewayUrl, undefined);

    [coalition, otherCoalition] = await Promise.all([createCoalition(admin), createCoalition(admin)]);
    coalitionName = expectStatus(await admin.get(`/coalitions/${coalition.id}`), 200).body.name;
    const twinSlug = `twin-${process.pid}`;
    const twinId: string = expectStatus(
      await admin.post('/organisations', { name: coalitionName, slug: twinSlug, country: 'KE', languages: ['en'], branding: { colour: '#1f4e79', senderName: coalitionName } }),
      201,
    ).body.id;
    twin = {
      id: twinId,
      slug: twinSlug,
      admin: await createToken(admin, 'twin admin', { role: 'org_admin', orgId: twinId }),
      editor: await createToken(admin, 'twin editor', { role: 'org_editor', orgId: twinId }),
    };
    [review, other] = await Promise.all([createOrg(admin, 'Preview Review'), createOrg(admin, 'Preview Other')]);
    await subscribe(coalition, twin, { channels: ['email'], relayPolicy: { mode: 'auto' } });
    await subscribe(coalition, review, { channels: ['email'], relayPolicy: { mode: 'review', deadlineMinutes: 60, onDeadline: 'drop' } });
    await joinConfirmed(twin, twinAddress);
    await joinConfirmed(review, reviewAddress);
    smtp.clear();
  }, 180_000);

  describe('POST /coalitions/:coalitionId/alerts/preview', () => {
    const path = (id = coalition.id) => `/coalitions/${id}/alerts/preview`;
    const draft = alertInput({ topics: [], regions: [] });

    it('renders the draft per language, stores nothing, and is what a supporter of the published alert receives', async () => {
      const previews: Preview[] = expectStatus(await coalition.coordinator.post(path(), draft), 200).body;
      expect(previews.map((p) => p.language)).toEqual(['en', 'fr']);
      const [en, fr] = previews;
      expect(en.email.subject).toBe(draft.texts.en.title);
      expect(en.email.html).toContain('<strong>froze</strong>');
      expect(fr.email.html).toContain('<strong>gelé</strong>');
      expect(en.push).toEqual({ title: draft.texts.en.title, body: 'The government froze its accounts today.', url: expect.stringMatching(/^https?:\/\/\S+\/c\//) });
      // Stored nowhere.
      expect(expectStatus(await coalition.coordinator.get(`/coalitions/${coalition.id}/alerts`), 200).body).toEqual([]);
      // No supporter of the coalition's organisations in it.
      for (const personal of [twinAddress, reviewAddress, 'ada', 'twin']) expect(JSON.stringify(previews).toLowerCase()).not.toContain(personal);

      const alertId: string = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, draft), 201).body.id;
      expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`, {}), 200);
      expectSameEmail(en, await alertTo(twinAddress));
    });

    it('refuses another coalition’s coordinator, organisation staff and a caller without a token', async () => {
      for (const caller of [otherCoalition.coordinator, twin.admin, twin.editor]) expectStatus(await caller.post(path(), draft), 403);
      expectStatus(await anonymous.post(path(), draft), 401);
    });

    it('names the field of bad input', async () => {
      const noUrl = expectStatus(await coalition.coordinator.post(path(), { ...draft, ctaUrl: 'http://example.org/plain' }), 400).body;
      expect(noUrl.field).toBe('ctaUrl');
      const noPrimary = expectStatus(await coalition.coordinator.post(path(), { ...draft, primaryLanguage: 'de' }), 400).body;
      expect(noPrimary.field).toBe('texts');
      const long = expectStatus(await coalition.coordinator.post(path(), { ...draft, texts: { en: { ...draft.texts.en, title: 'x'.repeat(500) } } }), 400).body;
      expect(long.field).toMatch(/^texts/);
      expectStatus(await coalition.coordinator.post('/coalitions/not-an-id/alerts/preview', draft), 400);
    });
  });

  describe('POST /organisations/:orgId/relays/:relayId/preview', () => {
    let relayId: string;
    const path = (org: Org = review) => `/organisations/${org.id}/relays/${relayId}/preview`;
    const edit = { intro: 'Our members in Nairobi ask you to act today.', ctaUrl: 'https://example.org/our-own-letter' };

    beforeAll(async () => {
      relayId = await eventually('the review relay', async () => {
        const relays = expectStatus(await review.editor.get(`/organisations/${review.id}/relays?status=pending`), 200).body;
        return relays[0]?.id as string | undefined;
      }, 20_000);
    });

    it('renders the relay with the edited intro, in the organisation’s name, and that is what its supporter receives once approved', async () => {
      const [stored]: Preview[] = expectStatus(await review.editor.post(path(), {}), 200).body;
      expect(stored.email.html).not.toContain(edit.intro);
      const previews: Preview[] = expectStatus(await review.editor.post(path(), edit), 200).body;
      const [en] = previews;
      expect(en.email.html).toContain(edit.intro);
      expect(en.email.html).toContain('Preview Review');
      expect(en.push.body.startsWith(edit.intro)).toBe(true);
      for (const personal of [reviewAddress, 'bo.review']) expect(JSON.stringify(previews)).not.toContain(personal);
      // The preview stored nothing: the relay still waits, without the intro.
      const relay = expectStatus(await review.editor.get(`/organisations/${review.id}/relays?status=pending`), 200).body[0];
      expect(relay.intro).toBeUndefined();

      expectStatus(await review.editor.post(`/organisations/${review.id}/relays/${relayId}/approve`, edit), 200);
      expectSameEmail(en, await alertTo(reviewAddress));
    });

    it('refuses another organisation’s staff, the coordinators and a caller without a token', async () => {
      for (const caller of [other.editor, other.admin, coalition.coordinator]) expectStatus(await caller.post(path(), edit), 403);
      // Another organisation's id with this relay: not found, whatever the caller.
      expectStatus(await other.editor.post(path(other), edit), 404);
      expectStatus(await anonymous.post(path(), edit), 401);
    });

    it('names the field of bad input', async () => {
      expect(expectStatus(await review.editor.post(path(), { ctaUrl: 'javascript:alert(1)' }), 400).body.field).toBe('ctaUrl');
      expect(expectStatus(await review.editor.post(path(), { intro: 'x'.repeat(501) }), 400).body.field).toBe('intro');
      expect(expectStatus(await review.editor.post(path(), { colour: 'red' }), 400).body.field).toBeDefined();
    });
  });

  describe('GET /alerts/:alertId/changes', () => {
    it('shows the approver, field by field, what changed since the last approval, and a corrected alert against the version it replaced', async () => {
      const alertId: string = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body.id;
      const fresh = expectStatus(await coalition.secondCoordinator.get(`/alerts/${alertId}/changes`), 200).body;
      expect(fresh).toEqual({ alertId, status: 'draft', changes: [] });

      expectStatus(await coalition.secondCoordinator.post(`/alerts/${alertId}/approve`, {}), 200);
      expect(expectStatus(await coalition.secondCoordinator.get(`/alerts/${alertId}/changes`), 200).body).toMatchObject({ status: 'approved', since: { kind: 'approved', version: 1 }, changes: [] });

      // An edit after the approval sends the alert back to draft; the next approver sees exactly what the edit changed.
      const edit = { texts: { en: { title: 'Stand with the KHRC now', body: 'The government **froze** its accounts today.', ctaLabel: 'Sign the letter' } }, regions: ['KE', 'UG'] };
      expectStatus(await coalition.coordinator.patch(`/alerts/${alertId}`, edit), 200);
      const changed = expectStatus(await coalition.secondCoordinator.get(`/alerts/${alertId}/changes`), 200).body;
      expect(changed).toEqual({
        alertId,
        status: 'draft',
        since: { kind: 'approved', version: 1, at: expect.any(String) },
        changes: [
          { field: 'texts.en.title', before: 'Stand with the Kenya Human Rights Commission', after: 'Stand with the KHRC now' },
          { field: 'texts.fr.title', before: 'Solidarité avec la KHRC' },
          { field: 'texts.fr.body', before: 'Le gouvernement a **gelé** ses comptes.' },
          { field: 'texts.fr.ctaLabel', before: 'Signez la lettre' },
          { field: 'regions', before: [], after: ['KE', 'UG'] },
        ],
      });

      expectStatus(await coalition.secondCoordinator.post(`/alerts/${alertId}/approve`, {}), 200);
      expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`, {}), 200);
      expectStatus(await coalition.coordinator.patch(`/alerts/${alertId}`, { ctaUrl: 'https://example.org/act/khrc-2' }), 200);
      // A correction that leaves targeting out keeps it (it used to reset topics and regions to none).
      expect(expectStatus(await coalition.coordinator.get(`/alerts/${alertId}`), 200).body).toMatchObject({ version: 2, regions: ['KE', 'UG'] });
      expect(expectStatus(await coalition.secondCoordinator.get(`/alerts/${alertId}/changes`), 200).body).toMatchObject({
        status: 'published',
        since: { kind: 'published', version: 1 },
        changes: [{ field: 'ctaUrl', before: 'https://example.org/act/khrc', after: 'https://example.org/act/khrc-2' }],
      });
    });

    it('refuses another coalition’s coordinator, organisation staff and a caller without a token', async () => {
      const alertId: string = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body.id;
      for (const caller of [otherCoalition.coordinator, twin.admin, review.editor]) expect([403, 404]).toContain((await caller.get(`/alerts/${alertId}/changes`)).status);
      expectStatus(await anonymous.get(`/alerts/${alertId}/changes`), 401);
      expect(expectStatus(await coalition.coordinator.get('/alerts/not-an-id/changes'), 400).body.field).toBe('alertId');
    });
  });

  describe('PATCH /organisations/:orgId (branding)', () => {
    it('lets its admin change name, colour, logo and the join page’s topics; the join page and the next email show them', async () => {
      const slug = `topics-${process.pid}`;
      const topics = [{ id: 'climate', label: 'Climate justice' }, { id: 'civic-space', label: 'Civic space' }];
      const withTopics = expectStatus(await admin.post('/coalitions', { name: 'Topics coalition', slug, topics }), 201).body;
      const coordinator = await createToken(admin, 'topics coordinator', { role: 'coordinator', coalitionId: withTopics.id });
      await subscribe({ id: withTopics.id, coordinator, secondCoordinator: coordinator }, other, { channels: ['email'], relayPolicy: { mode: 'auto' } });
      const joinPage = async () => String((await http('GET', `${network.gatewayUrl}/join/${other.slug}`)).body);
      expect(await joinPage()).toContain('Civic space');

      const updated = expectStatus(
        await other.admin.patch(`/organisations/${other.id}`, { name: 'Preview Other Renamed', colour: '#006644', logoUrl: 'https://cdn.example.org/logo.png', joinTopics: ['climate'] }),
        200,
      ).body;
      expect(updated).toMatchObject({ id: other.id, name: 'Preview Other Renamed', branding: { colour: '#006644', logoUrl: 'https://cdn.example.org/logo.png', senderName: 'Preview Other' }, joinTopics: ['climate'] });
      const page = await joinPage();
      expect(page).toContain('Preview Other Renamed');
      expect(page).toContain('Climate justice');
      expect(page).not.toContain('Civic space');

      // null: no logo, every topic again; the network admin may too.
      const cleared = expectStatus(await admin.patch(`/organisations/${other.id}`, { logoUrl: null, joinTopics: null }), 200).body;
      expect(cleared.branding.logoUrl).toBeUndefined();
      expect(cleared.joinTopics).toBeUndefined();
      expect(await joinPage()).toContain('Civic space');
    });

    it('refuses its editors, another organisation’s admin, coordinators and a caller without a token', async () => {
      for (const caller of [other.editor, review.admin, coalition.coordinator]) expectStatus(await caller.patch(`/organisations/${other.id}`, { colour: '#000000' }), 403);
      expectStatus(await anonymous.patch(`/organisations/${other.id}`, { colour: '#000000' }), 401);
    });

    it('names the field of bad input: a logo over http, an overlong logo address, a colour, an empty change', async () => {
      const bad = async (body: unknown) => expectStatus(await other.admin.patch(`/organisations/${other.id}`, body), 400).body.field;
      expect(await bad({ logoUrl: 'http://cdn.example.org/logo.png' })).toBe('logoUrl');
      expect(await bad({ logoUrl: 'javascript:alert(1)' })).toBe('logoUrl');
      expect(await bad({ logoUrl: `https://cdn.example.org/${'x'.repeat(600)}.png` })).toBe('logoUrl');
      expect(await bad({ colour: 'red' })).toBe('colour');
      expect(await bad({ name: '' })).toBe('name');
      expect(await bad({ joinTopics: ['Not A Topic!'] })).toMatch(/^joinTopics/);
      expect(await bad({ senderName: 'Someone else' })).toBeDefined();
      expectStatus(await other.admin.patch(`/organisations/${other.id}`, {}), 400);
    });
  });
});
