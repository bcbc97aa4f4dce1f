import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { readFileSync } from 'node:fs';
import type { Msg, Subscription } from 'nats';
import { directoryRpc, supporterRpc, type SenderIdentityView, type SenderSmtpView } from '@clarion/contracts';
import { openSmtpUrl, openVapidPrivateKey, sealSmtpUrl, SecretOpener, SecretSealer } from '@clarion/security';
import { hex24, startHarness, type SubscriptionsHarness } from '../test/subscriptions-harness';
import { OrgKeys } from './org-keys.schema';

const PASSWORD = 'pa$$word-never-echoed';
const url = (host = 'mail.own-rights.example') => `smtps://alerts%40own-rights.example:${encodeURIComponent(PASSWORD)}@${host}:465`;
const from = 'alerts@own-rights.example';
/** The relay inside the organisation's own network that the installation allow-lists. */
const ALLOW_LISTED = 'smtp://relay.inside-rights.example:2526';

/** Names in these tests resolve here, without the network: the organisations' servers to public addresses, one to a private one. */
const dns: Record<string, string[]> = {
  'mail.own-rights.example': ['93.184.216.34'],
  'relay.own-rights.example': ['93.184.216.35'],
  'mail.attacker.example': ['93.184.216.36'],
  'internal.own-rights.example': ['10.20.30.40'],
  'relay.inside-rights.example': ['10.20.30.41'],
};
const lookup = async (host: string) => {
  if (!dns[host]) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return dns[host];
};

/** Every form a secret could take in a message or a stored document. */
const formsOf = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  Buffer.from(secret).toString('base64'),
  Buffer.from(secret).toString('base64url'),
  Buffer.from(secret).toString('hex'),
];

describe('subscriptions: an organisation’s own SMTP server', () => {
  let h: SubscriptionsHarness;
  let orgKeys: Model<OrgKeys>;
  /** The gateway's side: it seals the password to delivery's key before asking. */
  let sealer: SecretSealer;
  /** Delivery's side: only it holds the key that opens sender secrets. */
  let opener: SecretOpener;
  beforeAll(async () => {
    h = await startHarness({ env: { OUTBOUND_ALLOW_LIST: ALLOW_LISTED }, seams: { lookup } });
    orgKeys = h.app.get(getModelToken(OrgKeys.name));
    sealer = new SecretSealer(h.infra.bus.senderSecretsPublicKey);
    opener = new SecretOpener(readFileSync(h.infra.bus.senderSecretsKeyFile, 'utf8'));
  });
  afterAll(async () => h?.stop());

  /** Two organisations with their people, fresh for each test. */
  const tenants = () => h.directory.tenants();

  /** The settings as the gateway sends them for this organisation: the password taken out of the URL and sealed. */
  const sealed = (orgId: string, settings: { url: string; from: string }) => ({ ...sealSmtpUrl(sealer, orgId, settings.url), from: settings.from });
  const identity = async (orgId: string) => (await h.as('delivery')).request(supporterRpc.senderIdentity, { orgId });
  /** The SMTP URL as delivery gets it once it opened the password. */
  const deliveryUrl = async (orgId: string) => {
    const { smtp } = await identity(orgId);
    return smtp && { url: openSmtpUrl(opener, orgId, smtp), from: smtp.from };
  };
  const stored = async (orgId: string) => (await orgKeys.findOne({ orgId }).lean().exec())!;

  it('keeps the password sealed to delivery’s key: never in answers, in the database, or in clear on the bus', async () => {
    const { org, otherOrg, orgAdmin } = await tenants();
    const expected: SenderSmtpView = {
      orgId: org.id,
      smtp: { host: 'mail.own-rights.example', port: 465, secure: true, user: 'alerts@own-rights.example', from },
    };
    // Every message on the bus while the settings are set and delivery asks for them, as an eavesdropper with every right sees it.
    const seen: Msg[] = [];
    const snoop: Subscription = h.nc.subscribe('>', { callback: (_error, msg) => seen.push(msg) });
    let identityReply: SenderIdentityView;
    try {
      await h.nc.flush(); // the server has the subscription before anything is sent
      const answer = await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: sealed(org.id, { url: url(), from }) });
      expect(answer).toEqual(expected);
      identityReply = await identity(org.id);
      await h.nc.flush();
    } finally {
      snoop.unsubscribe();
    }
    expect(await h.rpc.request(directoryRpc.getSenderSmtp, { actor: orgAdmin, orgId: org.id })).toEqual(expected);

    // Delivery, and only delivery, opens the password and the VAPID private key.
    const vapidPrivateKey = openVapidPrivateKey(opener, org.id, identityReply.vapid.privateKeySealed);
    expect(openSmtpUrl(opener, org.id, identityReply.smtp!)).toBe(url());
    expect(identityReply.smtp).toEqual({ url: 'smtps://alerts%40own-rights.example@mail.own-rights.example:465', from, passwordSealed: expect.stringMatching(/^x1\./) });

    // The raw bytes on the bus: the request and the reply were there, and neither secret in any form.
    const raw = seen.map((msg) => `${msg.subject} ${Buffer.from(msg.data).toString('utf8')}`);
    expect(raw.some((text) => text.startsWith(directoryRpc.setSenderSmtp) && text.includes(org.id))).toBe(true);
    expect(raw.some((text) => text.startsWith('_INBOX.delivery.') && text.includes('privateKeySealed') && text.includes(org.id))).toBe(true);
    for (const secret of [...formsOf(PASSWORD), ...formsOf(vapidPrivateKey)]) {
      expect(raw.filter((text) => text.includes(secret))).toEqual([]);
    }

    // What the database holds: the password and the private key sealed, neither readable.
    const record = await stored(org.id);
    const document = JSON.stringify(record);
    for (const secret of [...formsOf(PASSWORD), ...formsOf(vapidPrivateKey)]) expect(document).not.toContain(secret);
    expect(record.smtp).toEqual({ url: 'smtps://alerts%40own-rights.example@mail.own-rights.example:465', from, passwordSealed: expect.stringMatching(/^x1\./) });
    expect(record.vapidPrivateKeySealed).toMatch(/^x1\./);
    expect(record.smtpSealed).toBeUndefined();

    expect(await deliveryUrl(otherOrg.id)).toBeUndefined();
  });

  it('refuses settings with the password in clear: only the gateway’s sealed form is taken', async () => {
    const { org, orgAdmin } = await tenants();
    await expect(h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: { url: url(), from } })).rejects.toMatchObject({
      statusCode: 400,
      field: 'input.url',
    });
    const withClearPassword = { ...sealed(org.id, { url: url(), from }), passwordSealed: PASSWORD };
    await expect(h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: withClearPassword })).rejects.toMatchObject({
      statusCode: 400,
      field: 'input.passwordSealed',
    });
    expect((await stored(org.id)).smtp).toBeUndefined();
  });

  it('replaces the settings, then clears them so delivery uses the network’s server again', async () => {
    const { org, orgAdmin } = await tenants();
    await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: sealed(org.id, { url: url(), from }) });
    // Plain smtp with no port and no credentials: nodemailer's default port, no user.
    const replaced = await h.rpc.request(directoryRpc.setSenderSmtp, {
      actor: h.admin,
      orgId: org.id,
      input: sealed(org.id, { url: 'smtp://relay.own-rights.example', from: 'news@own-rights.example' }),
    });
    expect(replaced).toEqual({ orgId: org.id, smtp: { host: 'relay.own-rights.example', port: 587, secure: false, from: 'news@own-rights.example' } });
    expect((await identity(org.id)).smtp).toEqual({ url: 'smtp://relay.own-rights.example', from: 'news@own-rights.example' });

    expect(await h.rpc.request(directoryRpc.clearSenderSmtp, { actor: orgAdmin, orgId: org.id })).toEqual({ orgId: org.id, smtp: null });
    expect(await h.rpc.request(directoryRpc.getSenderSmtp, { actor: orgAdmin, orgId: org.id })).toEqual({ orgId: org.id, smtp: null });
    expect((await identity(org.id)).smtp).toBeUndefined();
    expect((await stored(org.id)).smtp).toBeUndefined();
    // Clearing again changes nothing and is not an error.
    expect(await h.rpc.request(directoryRpc.clearSenderSmtp, { actor: orgAdmin, orgId: org.id })).toEqual({ orgId: org.id, smtp: null });
  });

  it('stores settings for an organisation whose keys were never made, making them too', async () => {
    const { org, orgAdmin } = await tenants();
    await orgKeys.deleteOne({ orgId: org.id }).exec();
    await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: sealed(org.id, { url: url(), from }) });
    const { vapid } = await identity(org.id);
    expect(openVapidPrivateKey(opener, org.id, vapid.privateKeySealed)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await deliveryUrl(org.id)).toEqual({ url: url(), from });
  });

  it('lets only the organisation’s admins and the network admin see or change it: others 404, its editors 403', async () => {
    const { org, otherOrg, orgAdmin, orgEditor, otherOrgAdmin, coordinator } = await tenants();
    await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: sealed(org.id, { url: url(), from }) });
    const intrusion = sealed(org.id, { url: url('mail.attacker.example'), from: 'ceo@attacker.example' });

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

    expect(await deliveryUrl(org.id)).toEqual({ url: url(), from });
    expect(await deliveryUrl(otherOrg.id)).toBeUndefined();
    expect(await h.rpc.request(directoryRpc.getSenderSmtp, { actor: h.admin, orgId: org.id })).toMatchObject({ smtp: { host: 'mail.own-rights.example' } });
    // The other organisation's admin manages its own organisation's settings, not this one's.
    expect(await h.rpc.request(directoryRpc.getSenderSmtp, { actor: otherOrgAdmin, orgId: otherOrg.id })).toEqual({ orgId: otherOrg.id, smtp: null });
  });

  it('answers 400 naming the field of settings it cannot use, and stores nothing', async () => {
    const { org, orgAdmin } = await tenants();
    const attempt = (input: Record<string, unknown>) =>
      h.rpc.unchecked(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: sealedIfValid(input) }).then(
        () => 'stored',
        (error: { statusCode: number; field?: string }) => `${error.statusCode} ${error.field}`,
      );
    // As the gateway would send each: the password taken out and sealed where the URL parses at all.
    const sealedIfValid = (input: Record<string, unknown>) => {
      if (typeof input.url !== 'string' || !URL.canParse(input.url)) return input;
      return { ...input, ...sealSmtpUrl(sealer, org.id, input.url) };
    };
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
    expect((await stored(org.id)).smtp).toBeUndefined();
  });

  it('refuses a server delivery must not connect to (loopback, metadata, private, the bus, other ports) with 400 naming url, and stores nothing', async () => {
    const { org, orgAdmin } = await tenants();
    const natsPort = new URL(h.infra.natsUrl).port;
    const attempt = (serverUrl: string) =>
      h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: { url: serverUrl, from } }).then(
        () => 'stored',
        (error: { statusCode: number; field?: string; message: string }) => `${error.statusCode} ${error.field} ${error.message}`,
      );
    const cases: Array<[string, string]> = [
      ['smtp://127.0.0.1:25', 'non-public address'],
      ['smtp://own-relay@127.0.0.1:2525', 'non-public address'],
      ['smtp://169.254.169.254:25', 'non-public address'],
      ['smtp://[::1]:587', 'non-public address'],
      ['smtp://[::ffff:169.254.169.254]:25', 'non-public address'],
      ['smtp://internal.own-rights.example:25', 'non-public address'],
      // The allow-listed relay's address under another name or port is not the allow-listed server.
      ['smtp://10.20.30.41:25', 'non-public address'],
      ['smtp://10.20.30.41:2526', 'not 2526'],
      [`smtp://127.0.0.1:${natsPort}`, `not ${natsPort}`],
      [`smtp://mail.own-rights.example:${natsPort}`, `not ${natsPort}`],
      ['smtp://mail.own-rights.example:27017', 'not 27017'],
      ['smtps://mail.own-rights.example:443', 'not 443'],
      ['smtp://no-such-host.own-rights.example:25', 'did not resolve'],
    ];
    const answers = await Promise.all(cases.map(([serverUrl]) => attempt(serverUrl)));
    expect(answers).toEqual(cases.map(([, reason]) => expect.stringMatching(new RegExp(`^400 url SMTP server .*${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))));
    expect((await stored(org.id)).smtpSealed).toBeUndefined();
  });

  it('takes the allow-listed server although it is private and on another port, and only that one', async () => {
    const { org, orgAdmin } = await tenants();
    const answer = await h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: { url: ALLOW_LISTED, from } });
    expect(answer.smtp).toMatchObject({ host: 'relay.inside-rights.example', port: 2526 });
    await expect(
      h.rpc.request(directoryRpc.setSenderSmtp, { actor: orgAdmin, orgId: org.id, input: { url: 'smtp://relay.inside-rights.example:25', from } }),
    ).rejects.toMatchObject({ statusCode: 400, field: 'url' });
    expect((await identity(org.id)).smtp).toEqual({ url: ALLOW_LISTED, from });
  });
});
