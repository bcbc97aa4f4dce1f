import { directoryRpc, type Principal } from '@clarion/contracts';
import { hex24, startHarness, type SubscriptionsHarness } from '../test/subscriptions-harness';

describe('subscriptions: API tokens', () => {
  let h: SubscriptionsHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  const createToken = (actor: Principal, name: string, grant: object) =>
    h.rpc.unchecked(directoryRpc.createToken, { actor, input: { name, grant } });
  const resolve = (token: string) => h.rpc.request(directoryRpc.resolveToken, { token });

  it('creates a token whose secret is returned once and resolves to its grant', async () => {
    const org = await h.directory.organisation();
    const created = await createToken(h.admin, 'press office', { role: 'org_admin', orgId: org.id });
    expect(created.token).toMatch(/^clr_[A-Za-z0-9_-]{43}$/);
    expect(await resolve(created.token)).toEqual({ tokenId: created.id, name: 'press office', grant: { role: 'org_admin', orgId: org.id } });

    const listed = await h.rpc.request(directoryRpc.listTokens, { actor: h.admin, orgId: org.id });
    expect(listed).toEqual([{ id: created.id, name: 'press office', grant: created.grant, createdAt: created.createdAt }]);
  });

  it('answers 401 for an unknown token', async () => {
    await expect(resolve('clr_not-a-token')).rejects.toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('lets an organisation admin manage its own organisation’s tokens and nothing else', async () => {
    const [org, otherOrg, coalition] = await Promise.all([h.directory.organisation(), h.directory.organisation(), h.directory.coalition()]);
    const orgAdmin = await h.directory.actor({ role: 'org_admin', orgId: org.id });
    const otherToken = await createToken(h.admin, 'other org editor', { role: 'org_editor', orgId: otherOrg.id });

    const editor = await createToken(orgAdmin, 'campaigner', { role: 'org_editor', orgId: org.id });
    expect(await resolve(editor.token)).toMatchObject({ grant: { role: 'org_editor', orgId: org.id } });

    for (const grant of [{ role: 'admin' }, { role: 'org_editor', orgId: otherOrg.id }, { role: 'coordinator', coalitionId: coalition.id }]) {
      await expect(createToken(orgAdmin, 'escalation', grant)).rejects.toMatchObject({ statusCode: 403, field: 'grant' });
    }
    await expect(h.rpc.request(directoryRpc.listTokens, { actor: orgAdmin, orgId: otherOrg.id })).rejects.toMatchObject({ statusCode: 403 });
    await expect(h.rpc.request(directoryRpc.revokeToken, { actor: orgAdmin, tokenId: otherToken.id })).rejects.toMatchObject({ statusCode: 404 });
    expect(await resolve(otherToken.token)).toMatchObject({ tokenId: otherToken.id });

    const own = await h.rpc.request(directoryRpc.listTokens, { actor: orgAdmin });
    expect(own.map((token) => token.grant)).toEqual([
      { role: 'org_editor', orgId: org.id },
      { role: 'org_admin', orgId: org.id },
    ]);
  });

  it('refuses token management to coordinators and editors', async () => {
    const [org, coalition] = await Promise.all([h.directory.organisation(), h.directory.coalition()]);
    const coordinator = await h.directory.actor({ role: 'coordinator', coalitionId: coalition.id });
    const editor = await h.directory.actor({ role: 'org_editor', orgId: org.id });
    for (const actor of [coordinator, editor]) {
      await expect(createToken(actor, 'x', { role: 'org_editor', orgId: org.id })).rejects.toMatchObject({ statusCode: 403 });
      await expect(h.rpc.request(directoryRpc.listTokens, { actor })).rejects.toMatchObject({ statusCode: 403 });
      await expect(h.rpc.request(directoryRpc.revokeToken, { actor, tokenId: actor.tokenId })).rejects.toMatchObject({ statusCode: 403 });
    }
  });

  it('stops resolving a revoked token, and revoking again keeps the first revocation', async () => {
    const org = await h.directory.organisation();
    const orgAdmin = await h.directory.actor({ role: 'org_admin', orgId: org.id });
    const editor = await createToken(orgAdmin, 'leaving volunteer', { role: 'org_editor', orgId: org.id });

    const revoked = await h.rpc.request(directoryRpc.revokeToken, { actor: orgAdmin, tokenId: editor.id });
    expect(revoked.revokedAt).toEqual(expect.any(String));
    await expect(resolve(editor.token)).rejects.toMatchObject({ statusCode: 401 });
    expect(await h.rpc.request(directoryRpc.revokeToken, { actor: h.admin, tokenId: editor.id })).toEqual(revoked);
  });

  it('answers 404 naming the grant field for an organisation or coalition that does not exist', async () => {
    await expect(createToken(h.admin, 'ghost', { role: 'org_admin', orgId: hex24() })).rejects.toMatchObject({
      statusCode: 404,
      field: 'grant.orgId',
    });
    await expect(createToken(h.admin, 'ghost', { role: 'coordinator', coalitionId: hex24() })).rejects.toMatchObject({
      statusCode: 404,
      field: 'grant.coalitionId',
    });
  });

  it('answers 400 naming the field of an invalid payload', async () => {
    await expect(createToken(h.admin, '<b>bold</b>', { role: 'admin' })).rejects.toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'input.name must be plain text without HTML tags',
      field: 'input.name',
    });
    await expect(createToken(h.admin, 'x', { role: 'org_admin', orgId: 'nope' })).rejects.toMatchObject({ statusCode: 400, field: 'input.grant.orgId' });
  });
});
