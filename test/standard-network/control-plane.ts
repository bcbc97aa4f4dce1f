import { standardNetwork } from '../support/standard-network';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';

/**
 * The control plane as its users drive it, over HTTP, with every service as a
 * process on real NATS and FerretDB: admin sets up a coalition and three
 * organisations; a coordinator drafts, gets approval, publishes; relays follow
 * each organisation's policy; a cancel reaches the relays. A review deadline
 * deciding is proven in apps/subscriptions/src/relays/relay.int-suite.ts, with
 * an alert published just under a minute ago instead of a minute of waiting.
 */
describe('coalition → alert → relays, over HTTP', () => {
  const net = standardNetwork();
  let admin: Api;
  let coalition: Coalition;
  let autoOrg: Org;
  let reviewOrg: Org;
  let elsewhereOrg: Org;
  let alertId: string;

  beforeAll(async () => {
    admin = new Api(net.network.gatewayUrl, net.network.adminToken);
  });

  const relaysOf = async (org: Org, status?: string) =>
    expectStatus(await org.editor.get(`/organisations/${org.id}/relays${status ? `?status=${status}` : ''}`), 200).body as Array<Record<string, unknown>>;

  it('lets the admin set up a coalition (with second approval) and organisations that subscribe with their own filters and policies', async () => {
    coalition = await createCoalition(admin, { requireSecondApproval: true });
    [autoOrg, reviewOrg, elsewhereOrg] = await Promise.all([
      createOrg(admin, 'Auto Org'),
      createOrg(admin, 'Review Org', ['en', 'fr']),
      createOrg(admin, 'Elsewhere Org'),
    ]);
    await subscribe(coalition, autoOrg, { filters: { topics: ['civic-space'] }, channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
    await subscribe(coalition, reviewOrg, {
      filters: { regions: ['KE'], languages: ['fr'] },
      channels: ['email'],
      relayPolicy: { mode: 'review', deadlineMinutes: 30, onDeadline: 'drop' },
    });
    await subscribe(coalition, elsewhereOrg, { filters: { topics: ['climate'] }, relayPolicy: { mode: 'auto' } });

    const memberships = expectStatus(await reviewOrg.admin.get(`/organisations/${reviewOrg.id}/memberships`), 200).body;
    expect(memberships).toEqual([expect.objectContaining({ coalitionId: coalition.id, channels: ['email'], relayPolicy: expect.objectContaining({ mode: 'review' }) })]);
  });

  it('needs a second coordinator to approve before the alert can be published', async () => {
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body;
    alertId = draft.id;
    expect(draft).toMatchObject({ status: 'draft', version: 1 });
    expect(draft.texts.en.bodyHtml).toContain('<strong>froze</strong>');

    expect((await coalition.coordinator.post(`/alerts/${alertId}/publish`)).status).toBe(409);
    expect((await coalition.coordinator.post(`/alerts/${alertId}/approve`)).status).toBe(403);
    expectStatus(await coalition.secondCoordinator.post(`/alerts/${alertId}/approve`), 200);
    const published = expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`), 200).body;
    expect(published.status).toBe('published');
  });

  it('approves the auto organisation’s relay by itself; the review organisation waits; the non-matching one gets none', async () => {
    const approved = await eventually('auto relay approved', async () => {
      const relays = await relaysOf(autoOrg);
      return relays.find((r) => r.alertId === alertId && r.status === 'approved');
    });
    expect(approved).toMatchObject({ decidedBy: 'auto', channels: ['email', 'push'] });

    const pending = await eventually('review relay pending', async () => (await relaysOf(reviewOrg, 'pending')).find((r) => r.alertId === alertId));
    expect(pending.deadline).toBeDefined();
    expect(await relaysOf(elsewhereOrg)).toEqual([]);
  });

  it('lets the review organisation’s editor approve with its own intro and call to action', async () => {
    const [pending] = (await relaysOf(reviewOrg, 'pending')).filter((r) => r.alertId === alertId);
    const res = expectStatus(
      await reviewOrg.editor.post(`/organisations/${reviewOrg.id}/relays/${pending.id}/approve`, {
        intro: 'Our partners in Nairobi need you today.',
        ctaUrl: 'https://review.example.org/khrc',
      }),
      200,
    );
    expect(res.body).toMatchObject({ status: 'approved', decidedBy: 'editor', intro: 'Our partners in Nairobi need you today.' });
    expect((await reviewOrg.editor.post(`/organisations/${reviewOrg.id}/relays/${pending.id}/approve`, {})).status).toBe(409);
  });

  it('shows the coordinator counts only', async () => {
    const counts = expectStatus(await coalition.coordinator.get(`/alerts/${alertId}/relays`), 200).body;
    expect(counts).toEqual({ alertId, organisations: 2, pending: 0, approved: 2, declined: 0, cancelled: 0 });
  });

  it('carries a cancel to every relay of the alert', async () => {
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/cancel`, { reason: 'Accounts unfrozen' }), 200);
    await eventually('relays cancelled', async () => {
      const counts = expectStatus(await coalition.coordinator.get(`/alerts/${alertId}/relays`), 200).body;
      return counts.cancelled === 2 ? counts : undefined;
    });
    expect((await relaysOf(autoOrg)).find((r) => r.alertId === alertId)).toMatchObject({ status: 'cancelled' });
  });
});
