import { standardNetwork } from '../support/standard-network';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from '../support/directory-fixture';

const DENIED = [403, 404];

/** Every role tries what it must not do, gets 403/404, and nothing changes. */
describe('tenancy and roles', () => {
  const net = standardNetwork();
  let admin: Api;
  let coalition: Coalition;
  let otherCoalition: Coalition;
  let orgA: Org;
  let orgB: Org;
  let alertId: string;
  let relayOfB: Record<string, string>;
  let membershipOfB: Record<string, unknown>;
  let tokenIdOfBAdmin: string;

  beforeAll(async () => {
    admin = new Api(net.network.gatewayUrl, net.network.adminToken);
    coalition = await createCoalition(admin);
    otherCoalition = await createCoalition(admin);
    [orgA, orgB] = await Promise.all([createOrg(admin, 'Org A'), createOrg(admin, 'Org B')]);
    await subscribe(coalition, orgA, { relayPolicy: { mode: 'review', deadlineMinutes: 60, onDeadline: 'drop' } });
    membershipOfB = await subscribe(coalition, orgB, { relayPolicy: { mode: 'review', deadlineMinutes: 60, onDeadline: 'drop' } });
    alertId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 201).body.id;
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`), 200);
    relayOfB = await eventually('relay for B', async () => {
      const relays = expectStatus(await orgB.editor.get(`/organisations/${orgB.id}/relays`), 200).body;
      return relays[0];
    });
    const tokens = expectStatus(await orgB.admin.get(`/tokens?orgId=${orgB.id}`), 200).body as Array<{ id: string; grant: { role: string } }>;
    tokenIdOfBAdmin = tokens.find((t) => t.grant.role === 'org_admin')!.id;
  });

  const expectDenied = async (call: Promise<{ status: number; body: unknown }>, what: string) => {
    const res = await call;
    if (!DENIED.includes(res.status)) throw new Error(`${what}: expected 403/404, got ${res.status} ${JSON.stringify(res.body)}`);
  };

  it('answers 401 without a token, with an unknown token and with a revoked one', async () => {
    const anonymous = new Api(net.network.gatewayUrl, undefined);
    expect((await anonymous.get('/organisations')).status).toBe(401);
    expect((await anonymous.as('clr_not-a-real-token').get('/organisations')).status).toBe(401);
    const created = expectStatus(await orgA.admin.post('/tokens', { name: 'short-lived', grant: { role: 'org_editor', orgId: orgA.id } }), 201).body;
    expectStatus(await orgA.admin.delete(`/tokens/${created.id}`), 200);
    // The gateway may trust a resolved token for a few seconds; a revoked token must stop working within that.
    await eventually('revoked token refused', async () => ((await anonymous.as(created.token).get('/organisations')).status === 401 ? true : undefined), 8_000);
  });

  it('keeps one organisation out of another’s relays', async () => {
    await expectDenied(orgA.editor.get(`/organisations/${orgB.id}/relays`), 'A lists B’s relays');
    await expectDenied(orgA.editor.post(`/organisations/${orgA.id}/relays/${relayOfB.id}/approve`, {}), 'A approves B’s relay through its own path');
    await expectDenied(orgA.editor.post(`/organisations/${orgB.id}/relays/${relayOfB.id}/approve`, {}), 'A approves B’s relay through B’s path');
    await expectDenied(orgA.admin.post(`/organisations/${orgB.id}/relays/${relayOfB.id}/decline`, {}), 'A declines B’s relay');
    const after = expectStatus(await orgB.editor.get(`/organisations/${orgB.id}/relays`), 200).body;
    expect(after).toEqual([expect.objectContaining({ id: relayOfB.id, status: 'pending' })]);
  });

  it('keeps one organisation out of another’s memberships', async () => {
    await expectDenied(orgA.admin.get(`/organisations/${orgB.id}/memberships`), 'A lists B’s memberships');
    await expectDenied(orgA.admin.patch(`/organisations/${orgB.id}/memberships/${membershipOfB.id}`, { channels: ['email'] }), 'A edits B’s membership');
    await expectDenied(orgA.admin.patch(`/organisations/${orgA.id}/memberships/${membershipOfB.id}`, { channels: ['email'] }), 'A edits B’s membership through its own path');
    await expectDenied(orgA.admin.delete(`/organisations/${orgA.id}/memberships/${membershipOfB.id}`), 'A deletes B’s membership');
    await expectDenied(orgA.editor.post(`/organisations/${orgA.id}/memberships`, { coalitionId: otherCoalition.id, relayPolicy: { mode: 'auto' } }), 'an editor subscribes');
    const after = expectStatus(await orgB.admin.get(`/organisations/${orgB.id}/memberships`), 200).body;
    expect(after).toEqual([expect.objectContaining({ id: membershipOfB.id, channels: membershipOfB.channels })]);
  });

  it('keeps one organisation out of another’s tokens, and editors out of token management', async () => {
    await expectDenied(orgA.admin.get(`/tokens?orgId=${orgB.id}`), 'A lists B’s tokens');
    await expectDenied(orgA.admin.delete(`/tokens/${tokenIdOfBAdmin}`), 'A revokes B’s admin token');
    await expectDenied(orgA.admin.post('/tokens', { name: 'x', grant: { role: 'org_admin', orgId: orgB.id } }), 'A mints a token for B');
    await expectDenied(orgA.admin.post('/tokens', { name: 'x', grant: { role: 'admin' } }), 'A mints an admin token');
    await expectDenied(orgA.editor.post('/tokens', { name: 'x', grant: { role: 'org_editor', orgId: orgA.id } }), 'an editor mints a token');
    expectStatus(await orgB.admin.get(`/organisations/${orgB.id}`), 200);
  });

  it('keeps a coordinator of another coalition out of this coalition’s alerts', async () => {
    const outsider = otherCoalition.coordinator;
    await expectDenied(outsider.get(`/alerts/${alertId}`), 'read');
    await expectDenied(outsider.get(`/alerts/${alertId}/relays`), 'relay counts');
    await expectDenied(outsider.patch(`/alerts/${alertId}`, { urgency: 'low' }), 'correct');
    await expectDenied(outsider.post(`/alerts/${alertId}/cancel`, {}), 'cancel');
    await expectDenied(outsider.post(`/coalitions/${coalition.id}/alerts`, alertInput()), 'draft in it');
    await expectDenied(outsider.post(`/coalitions/${coalition.id}/invitations`, { orgId: orgA.id }), 'invite to it');
    const alert = expectStatus(await coalition.coordinator.get(`/alerts/${alertId}`), 200).body;
    expect(alert).toMatchObject({ status: 'published', version: 1, urgency: 'high' });
    expect(expectStatus(await coalition.coordinator.get(`/coalitions/${coalition.id}/alerts`), 200).body).toHaveLength(1);
  });

  it('keeps coordinators out of organisations’ relays, tokens and the admin’s work', async () => {
    await expectDenied(coalition.coordinator.get(`/organisations/${orgA.id}/relays`), 'coordinator lists relays');
    await expectDenied(coalition.coordinator.get(`/organisations/${orgA.id}/memberships`), 'coordinator lists memberships');
    await expectDenied(coalition.coordinator.get('/tokens'), 'coordinator lists tokens');
    await expectDenied(coalition.coordinator.post('/organisations', { name: 'Sneaky', slug: 'sneaky', country: 'KE', languages: ['en'], branding: { senderName: 'S' } }), 'coordinator creates an organisation');
    await expectDenied(orgA.admin.post('/coalitions', { name: 'Rogue', slug: 'rogue' }), 'org admin creates a coalition');
    const orgs = expectStatus(await admin.get('/organisations'), 200).body as Array<{ slug: string }>;
    expect(orgs.map((o) => o.slug)).not.toContain('sneaky');
  });
});
