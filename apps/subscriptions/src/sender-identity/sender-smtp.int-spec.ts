import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { directoryRpc, supporterRpc, type SenderSmtpView } from '@clarion/contracts';
import { SecretBox } from '@clarion/security';
import { hex24, startHarness, type SubscriptionsHarness } from '../test/subscriptions-harness';
import { OrgKeys } from './org-keys.schema';

const PASSWORD = 'pa$$word-never-echoed';
const url = (host = 'mail.own-rights.example') => `smtps://alerts%40own-rights.example:${encodeURIComponent(PASSWORD)}@${host}:465`;
const from = 'alerts@own-rights.example';

describe('subscriptions: an organisation’s own SMTP server', () => {
  let h: SubscriptionsHarness;
  let orgKeys: Model<OrgKeys>;
  beforeAll(async () => {
    h = await startHarness();
    orgKeys = h.app.get(getModelToken(OrgKeys.name));
  });
  afterAll(async () => h?.stop());

  /** Two organisations with their people, fresh for each test. */
  async function tenants() {
    const [org, otherOrg, coalition] = await Promise.all([h.directory.organisation(), h.directory.organisation(), h.directory.coalition()]);
    const [orgAdmin, orgEditor, otherOrgAdmin, coordinator] = await Promise.all([
      h.directory.actor({ role: 'org_admin', orgId: org.id }),
      h.directory.actor({ role: 'org_editor', orgId: org.id }),
      h.directory.actor({ role: 'org_admin', orgId: otherOrg.id }),
      h.directory.actor({ role: 'coordinator', coalitionId: coalition.id }),
    ]);
    return { org, otherOrg, orgAdmin, orgEditor, otherOrgAdmin, coordinator };
  }

  const identity = async (orgId: string) => (await h.as('delivery')).request(supporterRpc.senderIdentity, { orgId });
  const stored = async (orgId: string) => (await orgKeys.findOne({ orgId }).lean().exec())!;

  it('seals the settings at rest, answers without the password, and gives delivery the URL opened', async () => {
    const { org, otherOrg, orgAdmin } = await tenants();
    const expected: SenderSmtpView = {
      orgId: org.id,
      smtp: { host: 'mail.own-rights.example', port: 465, secure: true, user: 'alerts@own-rights.example', from },
    };

    const answer = await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: { url: url(), from } });
    expect(answer).toEqual(expected);
    expect(JSON.stringify(answer)).not.toContain(encodeURIComponent(PASSWORD));
    expect(JSON.stringify(answer)).not.toContain('pa$$word');
    expect(await h.rpc.request(directoryRpc.getSenderSmtp, { actor: orgAdmin, orgId: org.id })).toEqual(expected);

    // What the database holds: ciphertext only, nothing of the server or its credentials readable.
    const { smtpSealed, vapidPrivateKeySealed } = await stored(org.id);
    expect(smtpSealed).toMatch(/^v1\./);
    for (const secret of ['own-rights', 'pa$$word', encodeURIComponent(PASSWORD), 'smtps']) expect(smtpSealed).not.toContain(secret);
    expect(JSON.parse(h.app.get(SecretBox).open(smtpSealed!))).toEqual({ url: url(), from });
    expect(vapidPrivateKeySealed).toMatch(/^v1\./);

    // Delivery asks for the identity service to service: it needs the URL itself, password and all.
    expect((await identity(org.id)).smtp).toEqual({ url: url(), from });
    expect((await identity(otherOrg.id)).smtp).toBeUndefined();
  });

  it('replaces the settings, then clears them so delivery uses the network’s server again', async () => {
    const { org, orgAdmin } = await tenants();
    await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: { url: url(), from } });
    // Plain smtp with no port and no credentials: nodemailer's default port, no user.
    const replaced = await h.rpc.request(directoryRpc.setSenderSmtp, {
      actor: h.admin,
      orgId: org.id,
      input: { url: 'smtp://relay.own-rights.example', from: 'news@own-rights.example' },
    });
    expect(replaced).toEqual({ orgId: org.id, smtp: { host: 'relay.own-rights.example', port: 587, secure: false, from: 'news@own-rights.example' } });
    expect((await identity(org.id)).smtp).toEqual({ url: 'smtp://relay.own-rights.example', from: 'news@own-rights.example' });

    expect(await h.rpc.request(directoryRpc.clearSenderSmtp, { actor: orgAdmin, orgId: org.id })).toEqual({ orgId: org.id, smtp: null });
    expect(await h.rpc.request(directoryRpc.getSenderSmtp, { actor: orgAdmin, orgId: org.id })).toEqual({ orgId: org.id, smtp: null });
    expect((await identity(org.id)).smtp).toBeUndefined();
    expect((await stored(org.id)).smtpSealed).toBeUndefined();
    // Clearing again changes nothing and is not an error.
    expect(await h.rpc.request(directoryRpc.clearSenderSmtp, { actor: orgAdmin, orgId: org.id })).toEqual({ orgId: org.id, smtp: null });
  });

  it('stores settings for an organisation whose keys were never made, making them too', async () => {
    const { org, orgAdmin } = await tenants();
    await orgKeys.deleteOne({ orgId: org.id }).exec();
    await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: { url: url(), from } });
    const { vapid, smtp } = await identity(org.id);
    expect(vapid.privateKey.length).toBeGreaterThan(0);
    expect(smtp).toEqual({ url: url(), from });
  });

  it('lets only the organisation’s admins and the network admin see or change it: others 404, its editors 403', async () => {
    const { org, otherOrg, orgAdmin, orgEditor, otherOrgAdmin, coordinator } = await tenants();
    await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: { url: url(), from } });
    const intrusion = { url: url('mail.attacker.example'), from: 'ceo@attacker.example' };

    const attempts = [
      h.rpc.request(directoryRpc.setSenderSmtp, { actor: otherOrgAdmin, orgId: org.id, input: intrusion }),
      h.rpc.request(directoryRpc.clearSenderSmtp, { actor: otherOrgAdmin, orgId: org.id }),
      h.rpc.request(directoryRpc.getSenderSmtp, { actor: otherOrgAdmin, orgId: org.id }),
      h.rpc.request(directoryRpc.setSenderSmtp, { actor: coordinator, orgId: org.id, input: intrusion }),
      h.rpc.request(directoryRpc.getSenderSmtp, { actor: coordinator, orgId: org.id }),
      h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgEditor, orgId: org.id, input: intrusion }),
      h.rpc.request(directoryRpc.clearSenderSmtp, { actor: orgEditor, orgId: org.id }),
      h.rpc.request(directoryRpc.getSenderSmtp, { actor: orgEditor, orgId: org.id }),
      h.rpc.request(directoryRpc.setSenderSmtp, { actor: h.admin, orgId: hex24(), input: intrusion }),
    ];
    const statuses = (await Promise.allSettled(attempts)).map((result) => (result.status === 'rejected' ? result.reason.statusCode : 'allowed'));
    expect(statuses).toEqual([404, 404, 404, 404, 404, 403, 403, 403, 404]);

    expect((await identity(org.id)).smtp).toEqual({ url: url(), from });
    expect((await identity(otherOrg.id)).smtp).toBeUndefined();
    expect(await h.rpc.request(directoryRpc.getSenderSmtp, { actor: h.admin, orgId: org.id })).toMatchObject({ smtp: { host: 'mail.own-rights.example' } });
    // The other organisation's admin manages its own organisation's settings, not this one's.
    expect(await h.rpc.request(directoryRpc.getSenderSmtp, { actor: otherOrgAdmin, orgId: otherOrg.id })).toEqual({ orgId: otherOrg.id, smtp: null });
  });

  it('answers 400 naming the field of settings it cannot use, and stores nothing', async () => {
    const { org, orgAdmin } = await tenants();
    const attempt = (input: Record<string, unknown>) =>
      h.rpc.unchecked(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input }).then(
        () => 'stored',
        (error: { statusCode: number; field?: string }) => `${error.statusCode} ${error.field}`,
      );
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'https://mail.example.org', from }, '400 input.url'],
      [{ url: 'smtp://', from }, '400 input.url'],
      [{ url: 'smtp:mail.example.org', from }, '400 input.url'],
      [{ url: 'mail.example.org:587', from }, '400 input.url'],
      [{ url: 'smtp://mail.example.org:99999', from }, '400 input.url'],
      [{ url: 'smtp://mail.example.org?logger=true', from }, '400 input.url'],
      [{ url: 'smtp://mail.example.org/inbox', from }, '400 input.url'],
      [{ url: `smtp://${'u'.repeat(480)}:pw@mail.example.org`, from }, '400 input.url'],
      [{ from }, '400 input.url'],
      [{ url: url(), from: 'not an address' }, '400 input.from'],
      [{ url: url(), from: 'alerts@' }, '400 input.from'],
      [{ url: url() }, '400 input.from'],
      [{ url: url(), from, port: 25 }, '400 input.port'],
    ];
    expect(await Promise.all(cases.map(([input]) => attempt(input)))).toEqual(cases.map(([, expected]) => expected));
    await expect(h.rpc.unchecked(directoryRpc.getSenderSmtp, { orgId: org.id })).rejects.toMatchObject({ statusCode: 400, field: 'actor' });
    expect((await stored(org.id)).smtpSealed).toBeUndefined();
  });
});
