import type { PushService } from '@clarion/sinks';
import type { Network } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { alertInput, createCoalition, createOrg, joinAndFind, subscribe, type Coalition, type Org } from '../support/directory-fixture';
import { standardNetwork } from '../support/standard-network';

/**
 * The read endpoints the consoles are built on, over HTTP with every service a
 * process, each tried by the people who must not use it: the coordinators'
 * per-organisation relay list (names and decisions, never a supporter), an
 * organisation's failed deliveries (its own staff only) and the search of its
 * supporters by exact address (its admins only).
 */
describe('console reads', () => {
  const net = standardNetwork();
  let network: Network;
  let push: PushService;
  let admin: Api;
  let anonymous: Api;
  let coalition: Coalition;
  let otherCoalition: Coalition;
  let auto: Org;
  let review: Org;
  let alertId: string;
  let failingSupporterId: string;
  let reachedSupporterId: string;
  let emailSupporterId: string;
  const refused = net.refused;
  const address = 'Ada.Reader@Example.org';

  beforeAll(async () => {
    ({ network, push } = net);
    admin = new Api(network.gatewayUrl, network.adminToken);
    anonymous = new Api(network.gatewayUrl, undefined);

    [coalition, otherCoalition] = await Promise.all([createCoalition(admin), createCoalition(admin)]);
    [auto, review] = await Promise.all([createOrg(admin, 'Auto Relays'), createOrg(admin, 'Bay Review')]);
    await subscribe(coalition, auto, { channels: ['email', 'push'], relayPolicy: { mode: 'auto' } });
    await subscribe(coalition, review, { channels: ['push'], relayPolicy: { mode: 'review', deadlineMinutes: 60, onDeadline: 'drop' } });

    const failing = push.createSubscription('failing');
    const reached = push.createSubscription('reached');
    refused.add(failing.id);
    failingSupporterId = await joinAndFind(network.gatewayUrl, auto, { push: failing.subscription, language: 'en' });
    reachedSupporterId = await joinAndFind(network.gatewayUrl, auto, { push: reached.subscription, language: 'en' });
    emailSupporterId = await joinAndFind(network.gatewayUrl, auto, { email: address.toLowerCase(), language: 'en' });
    await joinAndFind(network.gatewayUrl, review, { push: push.createSubscription('review').subscription, language: 'en' });

    alertId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body.id;
    expectStatus(await coalition.coordinator.post(`/alerts/${alertId}/publish`, {}), 200);
  }, 180_000);

  afterAll(async () => {
  });

  describe('GET /alerts/:alertId/relays/list', () => {
    const path = () => `/alerts/${alertId}/relays/list`;

    it('shows the coalition’s coordinators each organisation’s decision and deadline, and nothing of its supporters', async () => {
      const relays = await eventually('both relays opened', async () => {
        const res = expectStatus(await coalition.coordinator.get(path()), 200);
        return res.body.length === 2 ? res.body : undefined;
      });
      expect(relays).toEqual([
        expect.objectContaining({ orgId: auto.id, orgName: 'Auto Relays', status: 'approved', decidedBy: 'auto', decidedAt: expect.any(String) }),
        expect.objectContaining({ orgId: review.id, orgName: 'Bay Review', status: 'pending', deadline: expect.any(String), onDeadline: 'drop' }),
      ]);
      const text = JSON.stringify(relays);
      for (const personal of [failingSupporterId, reachedSupporterId, emailSupporterId, address.toLowerCase(), 'endpoint']) expect(text).not.toContain(personal);
      expectStatus(await admin.get(path()), 200);
    });

    it('refuses another coalition’s coordinator, the organisations’ staff, and a caller without a token', async () => {
      for (const caller of [otherCoalition.coordinator, auto.editor, auto.admin]) expect([403, 404]).toContain((await caller.get(path())).status);
      expectStatus(await anonymous.get(path()), 401);
      expectStatus(await coalition.coordinator.get('/alerts/not-an-id/relays/list'), 400);
    });
  });

  describe('GET /organisations/:orgId/alerts/:alertId/failures', () => {
    const path = (org: Org) => `/organisations/${org.id}/alerts/${alertId}/failures`;

    it('lists the organisation’s deliveries whose attempts ran out: supporter id, channel, reason, time', async () => {
      const view = await eventually(
        'the refused push marked failed',
        async () => {
          const res = expectStatus(await auto.editor.get(path(auto)), 200);
          return res.body.failures.length === 1 ? res.body : undefined;
        },
        30_000,
      );
      expect(view).toEqual({
        alertId,
        orgId: auto.id,
        failures: [{ deliveryId: expect.any(String), supporterId: failingSupporterId, channel: 'push', reason: expect.stringMatching(/500/), attempts: expect.any(Number), at: expect.any(String) }],
        more: false,
      });
      expect(expectStatus(await review.editor.get(path(review)), 200).body.failures).toEqual([]);
    });

    it('refuses another organisation’s staff, the coalition’s coordinators, and a caller without a token', async () => {
      for (const caller of [review.editor, review.admin, coalition.coordinator, otherCoalition.coordinator]) expectStatus(await caller.get(path(auto)), 403);
      expectStatus(await anonymous.get(path(auto)), 401);
    });
  });

  describe('GET /organisations/:orgId/supporters?email=', () => {
    const path = (org: Org, email: string) => `/organisations/${org.id}/supporters?email=${encodeURIComponent(email)}`;

    it('finds the one supporter with exactly that address (any case), and nobody for a partial one', async () => {
      const found = expectStatus(await auto.admin.get(path(auto, address)), 200).body;
      expect(found.supporters).toEqual([expect.objectContaining({ id: emailSupporterId, orgId: auto.id, email: address.toLowerCase() })]);
      expect(expectStatus(await auto.admin.get(path(auto, 'reader@example.org')), 200).body).toEqual({ supporters: [] });
      // The same address looked up in another organisation finds nothing there.
      expect(expectStatus(await review.admin.get(path(review, address)), 200).body).toEqual({ supporters: [] });
    });

    it('lets only the organisation’s admins search, and names the field of a bad address', async () => {
      expectStatus(await auto.editor.get(path(auto, address)), 403);
      for (const caller of [review.admin, coalition.coordinator]) expectStatus(await caller.get(path(auto, address)), 404);
      expectStatus(await anonymous.get(path(auto, address)), 401);
      const bad = expectStatus(await auto.admin.get(path(auto, 'not-an-address')), 400).body;
      expect(bad.field).toBe('email');
      expectStatus(await auto.admin.get(`/organisations/${auto.id}/supporters`), 400);
    });
  });
});
