import { relayRpc, type AlertSnapshot } from '@clarion/contracts';
import { eventually, hex24, startHarness, type SubscriptionsHarness } from '../test/subscriptions-harness';

describe('subscriptions: public relay page', () => {
  let h: SubscriptionsHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  it('shows the relayed alert in the asked language or the primary one, in the organisation’s look; 404 when unknown', async () => {
    const coalition = await h.directory.coalition();
    const org = await h.directory.organisation();
    const admin = await h.directory.actor({ role: 'org_admin', orgId: org.id });
    await h.directory.join(coalition.id, org.id, admin, { channels: ['email'], relayPolicy: { mode: 'auto' } });
    const text = (title: string) => ({ title, body: 'b', bodyHtml: `<p>${title}</p>`, ctaLabel: `${title}!` });
    const alert: AlertSnapshot = {
      alertId: hex24(),
      coalitionId: coalition.id,
      version: 1,
      primaryLanguage: 'fr',
      texts: { fr: text('Libérez-les'), en: text('Free them') },
      ctaUrl: 'https://example.org/act',
      urgency: 'critical',
      topics: [],
      regions: [],
      expiresAt: '2030-01-01T00:00:00.000Z',
      publishedAt: new Date().toISOString(),
    };
    await h.publishAlert(alert);
    const relay = await eventually(async () => (await h.rpc.request(relayRpc.list, { actor: admin, orgId: org.id }))[0]);

    const view = (language?: string) => h.rpc.request(relayRpc.publicView, { relayId: relay.id, ...(language ? { language } : {}) });
    await expect(eventually(() => view('en').catch(() => undefined))).resolves.toEqual({
      relayId: relay.id,
      status: 'approved',
      org: { name: org.name, slug: org.slug, colour: org.branding.colour },
      language: 'en',
      title: 'Free them',
      bodyHtml: '<p>Free them</p>',
      ctaLabel: 'Free them!',
      urgency: 'critical',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    await expect(view('sw')).resolves.toMatchObject({ language: 'fr', title: 'Libérez-les' });
    await expect(h.rpc.request(relayRpc.publicView, { relayId: hex24() })).rejects.toMatchObject({ statusCode: 404 });
  });
});
