import { directoryRpc, type Principal } from '@clarion/contracts';
import { hex24, startHarness, type SubscriptionsHarness } from '../test/subscriptions-harness';

const review = { mode: 'review', deadlineMinutes: 30, onDeadline: 'drop' } as const;

describe('subscriptions: organisations, coalitions, invitations and memberships', () => {
  let h: SubscriptionsHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  const ids = (views: { id: string }[]) => views.map((view) => view.id).sort();

  /** Fresh for each test. */
  const tenants = () => h.directory.tenants();

  it('creates organisations and coalitions for admins only, with unique slugs', async () => {
    const org = await h.directory.organisation();
    expect(org).toMatchObject({ country: 'KE', languages: ['en', 'sw'], branding: { colour: '#1f4e79' } });
    const orgAdmin = await h.directory.actor({ role: 'org_admin', orgId: org.id });
    const input = { name: 'Copycat', slug: org.slug, country: 'FR', languages: ['fr'], branding: { senderName: 'Copycat' } };

    await expect(h.rpc.request(directoryRpc.createOrganisation, { actor: h.admin, input })).rejects.toMatchObject({ statusCode: 409, field: 'slug' });
    await expect(h.rpc.request(directoryRpc.createOrganisation, { actor: orgAdmin, input: { ...input, slug: `x-${hex24()}` } })).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(
      h.rpc.request(directoryRpc.createCoalition, { actor: orgAdmin, input: { name: 'Mine', slug: `c-${hex24()}` } }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('answers 400 naming the field of an invalid payload', async () => {
    const input = { name: 'Bad', slug: 'Not A Slug', country: 'KE', languages: ['en'], branding: { senderName: 'Bad' } };
    await expect(h.rpc.request(directoryRpc.createOrganisation, { actor: h.admin, input })).rejects.toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      field: 'input.slug',
    });
    await expect(h.rpc.unchecked(directoryRpc.getOrganisation, { orgId: hex24() })).rejects.toMatchObject({ statusCode: 400, field: 'actor' });
  });

  it('runs the invitation → membership flow, and the coalition sees its members', async () => {
    const { org, coalition, orgAdmin, orgEditor, coordinator } = await tenants();

    const invitation = await h.rpc.request(directoryRpc.createInvitation, { actor: coordinator, coalitionId: coalition.id, input: { orgId: org.id } });
    expect(invitation).toMatchObject({ coalitionId: coalition.id, orgId: org.id, status: 'pending' });
    const again = await h.rpc.request(directoryRpc.createInvitation, { actor: h.admin, coalitionId: coalition.id, input: { orgId: org.id } });
    expect(again.id).toBe(invitation.id);

    // Invited, not yet a member: the organisation sees the coalition, the coordinator does not see the organisation.
    expect(ids(await h.rpc.request(directoryRpc.listCoalitions, { actor: orgEditor }))).toEqual([coalition.id]);
    await expect(h.rpc.request(directoryRpc.getOrganisation, { actor: coordinator, orgId: org.id })).rejects.toMatchObject({ statusCode: 404 });

    const membership = await h.rpc.request(directoryRpc.createMembership, {
      actor: orgAdmin,
      orgId: org.id,
      input: { coalitionId: coalition.id, filters: { topics: ['civic-space'] }, relayPolicy: review },
    });
    expect(membership).toMatchObject({
      orgId: org.id,
      coalitionId: coalition.id,
      filters: { topics: ['civic-space'], regions: [], languages: [] },
      channels: ['email', 'push'],
      relayPolicy: review,
    });
    const invitations = await h.rpc.request(directoryRpc.listInvitations, { actor: orgEditor, orgId: org.id });
    expect(invitations).toEqual([{ ...invitation, status: 'accepted' }]);
    await expect(
      h.rpc.request(directoryRpc.createMembership, { actor: orgAdmin, orgId: org.id, input: { coalitionId: coalition.id, relayPolicy: { mode: 'auto' } } }),
    ).rejects.toMatchObject({ statusCode: 409 });

    expect(ids(await h.rpc.request(directoryRpc.listOrganisations, { actor: coordinator }))).toEqual([org.id]);
    expect(await h.rpc.request(directoryRpc.getOrganisation, { actor: coordinator, orgId: org.id })).toMatchObject({ id: org.id });
    expect(await h.rpc.request(directoryRpc.getCoalition, { actor: orgEditor, coalitionId: coalition.id })).toMatchObject({ id: coalition.id });
    expect(await h.rpc.request(directoryRpc.listMemberships, { actor: orgEditor, orgId: org.id })).toEqual([membership]);
  });

  it('refuses joining without an invitation', async () => {
    const { org, coalition, orgAdmin } = await tenants();
    await expect(
      h.rpc.request(directoryRpc.createMembership, { actor: orgAdmin, orgId: org.id, input: { coalitionId: coalition.id, relayPolicy: { mode: 'auto' } } }),
    ).rejects.toMatchObject({ statusCode: 403, message: 'not invited to this coalition' });
    expect(await h.rpc.request(directoryRpc.listMemberships, { actor: orgAdmin, orgId: org.id })).toEqual([]);
  });

  it("keeps another organisation's admin out of an organisation's memberships, changing nothing", async () => {
    const { org, otherOrg, coalition, orgAdmin, orgEditor, otherOrgAdmin } = await tenants();
    const membership = await h.directory.join(coalition.id, org.id, orgAdmin, { relayPolicy: { mode: 'auto' } });
    const intrusion = { filters: { topics: ['spam'] } };

    const attempts = [
      h.rpc.request(directoryRpc.updateMembership, { actor: otherOrgAdmin, orgId: org.id, membershipId: membership.id, input: intrusion }),
      h.rpc.request(directoryRpc.updateMembership, { actor: otherOrgAdmin, orgId: otherOrg.id, membershipId: membership.id, input: intrusion }),
      h.rpc.request(directoryRpc.deleteMembership, { actor: otherOrgAdmin, orgId: org.id, membershipId: membership.id }),
      h.rpc.request(directoryRpc.deleteMembership, { actor: otherOrgAdmin, orgId: otherOrg.id, membershipId: membership.id }),
      h.rpc.request(directoryRpc.deleteMembership, { actor: orgEditor, orgId: org.id, membershipId: membership.id }),
      h.rpc.request(directoryRpc.listMemberships, { actor: otherOrgAdmin, orgId: org.id }),
      h.rpc.request(directoryRpc.listInvitations, { actor: otherOrgAdmin, orgId: org.id }),
      h.rpc.request(directoryRpc.createMembership, { actor: otherOrgAdmin, orgId: org.id, input: { coalitionId: coalition.id, relayPolicy: { mode: 'auto' } } }),
    ];
    const statuses = (await Promise.allSettled(attempts)).map((result) => (result.status === 'rejected' ? result.reason.statusCode : 'allowed'));
    expect(statuses).toEqual([403, 404, 403, 404, 403, 403, 403, 403]);

    await expect(h.rpc.request(directoryRpc.getOrganisation, { actor: otherOrgAdmin, orgId: org.id })).rejects.toMatchObject({ statusCode: 404 });
    await expect(h.rpc.request(directoryRpc.getCoalition, { actor: otherOrgAdmin, coalitionId: coalition.id })).rejects.toMatchObject({ statusCode: 404 });
    expect(await h.rpc.request(directoryRpc.listCoalitions, { actor: otherOrgAdmin })).toEqual([]);
    expect(ids(await h.rpc.request(directoryRpc.listOrganisations, { actor: otherOrgAdmin }))).toEqual([otherOrg.id]);
    expect(await h.rpc.request(directoryRpc.listMemberships, { actor: orgAdmin, orgId: org.id })).toEqual([membership]);
  });

  it("lets the organisation's admin change and end its membership", async () => {
    const { org, coalition, orgAdmin } = await tenants();
    const membership = await h.directory.join(coalition.id, org.id, orgAdmin, { relayPolicy: { mode: 'auto' } });

    const updated = await h.rpc.request(directoryRpc.updateMembership, {
      actor: orgAdmin,
      orgId: org.id,
      membershipId: membership.id,
      input: { channels: ['push'], relayPolicy: review },
    });
    expect(updated).toEqual({ ...membership, channels: ['push'], relayPolicy: review });
    await expect(
      h.rpc.request(directoryRpc.updateMembership, { actor: orgAdmin, orgId: org.id, membershipId: membership.id, input: {} }),
    ).rejects.toMatchObject({ statusCode: 400 });

    expect(await h.rpc.request(directoryRpc.deleteMembership, { actor: orgAdmin, orgId: org.id, membershipId: membership.id })).toEqual(updated);
    expect(await h.rpc.request(directoryRpc.listMemberships, { actor: orgAdmin, orgId: org.id })).toEqual([]);
    await expect(
      h.rpc.request(directoryRpc.deleteMembership, { actor: orgAdmin, orgId: org.id, membershipId: membership.id }),
    ).rejects.toMatchObject({ statusCode: 404, field: 'membershipId' });
  });

  it('limits invitations to admins and the coalition’s coordinator, for organisations that exist', async () => {
    const { org, coalition, orgAdmin } = await tenants();
    const otherCoordinator = await h.directory.actor({ role: 'coordinator', coalitionId: (await h.directory.coalition()).id });
    for (const actor of [otherCoordinator, orgAdmin]) {
      await expect(
        h.rpc.request(directoryRpc.createInvitation, { actor, coalitionId: coalition.id, input: { orgId: org.id } }),
      ).rejects.toMatchObject({ statusCode: 403 });
    }
    await expect(
      h.rpc.request(directoryRpc.createInvitation, { actor: h.admin, coalitionId: coalition.id, input: { orgId: hex24() } }),
    ).rejects.toMatchObject({ statusCode: 404, field: 'orgId' });
    expect(await h.rpc.request(directoryRpc.listInvitations, { actor: orgAdmin, orgId: org.id })).toEqual([]);
  });

  it('shows coordinators only their coalition, and gives the alerts service its settings', async () => {
    const { coalition, coordinator } = await tenants();
    const strict = await h.directory.coalition(true);

    expect(ids(await h.rpc.request(directoryRpc.listCoalitions, { actor: coordinator }))).toEqual([coalition.id]);
    await expect(h.rpc.request(directoryRpc.getCoalition, { actor: coordinator, coalitionId: strict.id })).rejects.toMatchObject({ statusCode: 404 });
    const all = await h.rpc.request(directoryRpc.listCoalitions, { actor: h.admin });
    expect(ids(all)).toEqual(expect.arrayContaining([coalition.id, strict.id]));

    const alerts = await h.as('alerts');
    expect(await alerts.request(directoryRpc.coalitionSettings, { coalitionId: strict.id })).toEqual({ coalitionId: strict.id, requireSecondApproval: true });
    await expect(alerts.request(directoryRpc.coalitionSettings, { coalitionId: hex24() })).rejects.toMatchObject({ statusCode: 404 });
    // Only the alerts service may ask: the bus does not carry the gateway's request at all (no answer, only a time-out).
    await expect(h.rpc.request(directoryRpc.coalitionSettings, { coalitionId: strict.id }, 1_000)).rejects.toThrow(/Timeout/);
  });

  it('hides an organisation from people it has nothing to do with', async () => {
    const { org, orgEditor } = await tenants();
    const stranger: Principal = await h.directory.actor({ role: 'coordinator', coalitionId: (await h.directory.coalition()).id });
    await expect(h.rpc.request(directoryRpc.getOrganisation, { actor: stranger, orgId: org.id })).rejects.toMatchObject({ statusCode: 404 });
    expect(await h.rpc.request(directoryRpc.listOrganisations, { actor: stranger })).toEqual([]);
    expect(await h.rpc.request(directoryRpc.getOrganisation, { actor: orgEditor, orgId: org.id })).toEqual(org);
  });
});
