import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Msg } from 'nats';
import { directoryRpc, type Principal } from '@clarion/contracts';
import { hashTokenSecret, newTokenSecret } from '@clarion/security';
import { hex24, startHarness, type SubscriptionsHarness } from '../test/subscriptions-harness';
import { Token } from './token.schema';

describe('subscriptions: API tokens', () => {
  let h: SubscriptionsHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  /** As the gateway does it: the secret made there, only its hash sent; the test keeps the secret as the HTTP caller would. */
  const createToken = async (actor: Principal, name: string, grant: object) => {
    const token = newTokenSecret();
    const view = await h.rpc.unchecked(directoryRpc.createToken, { actor, input: { name, grant }, tokenHash: hashTokenSecret(token) });
    return { ...view, token };
  };
  /** As the gateway resolves a presented bearer token: by its hash. */
  const resolve = (token: string) => h.rpc.request(directoryRpc.resolveToken, { tokenHash: hashTokenSecret(token) });

  it('creates a token from the hash of a secret it never learns, and resolves that hash to its grant', async () => {
    const org = await h.directory.organisation();
    const created = await createToken(h.admin, 'press office', { role: 'org_admin', orgId: org.id });
    const { token, ...view } = created;
    expect(view).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: 'press office', grant: { role: 'org_admin', orgId: org.id }, createdAt: expect.any(String) });
    expect(await resolve(token)).toEqual({ tokenId: created.id, name: 'press office', grant: { role: 'org_admin', orgId: org.id } });

    const listed = await h.rpc.request(directoryRpc.listTokens, { actor: h.admin, orgId: org.id });
    expect(listed).toEqual([view]);
    // Stored: the hash the gateway sent, nothing else of the secret.
    const tokens: Model<Token> = h.app.get(getModelToken(Token.name));
    const stored = JSON.stringify(await tokens.findById(created.id).lean().exec());
    expect(stored).toContain(hashTokenSecret(token));
    expect(stored).not.toContain(token);
  });

  it('answers 401 for the hash of an unknown token', async () => {
    await expect(resolve('clr_not-a-token')).rejects.toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('no longer resolves a token sent in clear, and never carries one on the bus', async () => {
    const org = await h.directory.organisation();
    const seen: Msg[] = [];
    const snoop = h.nc.subscribe('>', { callback: (_error, msg) => seen.push(msg) });
    await h.nc.flush(); // the server has the subscription before anything is sent
    const { token, id } = await createToken(h.admin, 'campaign desk', { role: 'org_editor', orgId: org.id });
    await expect(resolve(token)).resolves.toMatchObject({ tokenId: id });
    await h.nc.flush();
    snoop.unsubscribe();
    const raw = seen.map((msg) => Buffer.from(msg.data).toString('utf8'));
    expect(raw.some((text) => text.includes(hashTokenSecret(token)))).toBe(true);
    expect(raw.filter((text) => text.includes(token) || text.includes(token.slice(4)))).toEqual([]);

    // The v1 shape with the token in clear, the token where its hash belongs, and both together: refused, never resolved.
    await expect(h.rpc.unchecked(directoryRpc.resolveToken, { token })).rejects.toMatchObject({ statusCode: 400, field: 'tokenHash' });
    await expect(h.rpc.request(directoryRpc.resolveToken, { tokenHash: token })).rejects.toMatchObject({ statusCode: 400, field: 'tokenHash' });
    await expect(h.rpc.unchecked(directoryRpc.resolveToken, { token, tokenHash: hashTokenSecret('clr_other') })).rejects.toMatchObject({ statusCode: 401 });
    // A hash of the hash is not the token either.
    await expect(resolve(hashTokenSecret(token))).rejects.toMatchObject({ statusCode: 401 });
  });

  it('refuses to create a token without a well-formed hash, and from a hash already in use', async () => {
    const org = await h.directory.organisation();
    const input = { name: 'x', grant: { role: 'org_editor' as const, orgId: org.id } };
    await expect(h.rpc.unchecked(directoryRpc.createToken, { actor: h.admin, input })).rejects.toMatchObject({ statusCode: 400, field: 'tokenHash' });
    await expect(h.rpc.request(directoryRpc.createToken, { actor: h.admin, input, tokenHash: newTokenSecret() })).rejects.toMatchObject({
      statusCode: 400,
      field: 'tokenHash',
    });
    const tokenHash = hashTokenSecret(newTokenSecret());
    await h.rpc.request(directoryRpc.createToken, { actor: h.admin, input, tokenHash });
    await expect(h.rpc.request(directoryRpc.createToken, { actor: h.admin, input, tokenHash })).rejects.toMatchObject({ statusCode: 409 });
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
