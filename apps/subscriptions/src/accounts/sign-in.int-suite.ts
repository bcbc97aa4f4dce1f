import { randomBytes } from 'node:crypto';
import { JSONCodec, type Subscription } from 'nats';
import { directoryRpc, eventSubjects, type StaffEmail } from '@clarion/contracts';
import { hashTokenSecret } from '@clarion/security';
import { startHarness, type SubscriptionsHarness } from '../test/subscriptions-harness';

const MINUTE = 60_000;
const codec = JSONCodec<StaffEmail>();

/** Links and sessions against a clock the test moves: expiry without waiting. */
describe('subscriptions: sign-in links and sessions over time', () => {
  let h: SubscriptionsHarness;
  let now = new Date('2026-12-07T09:00:00Z');
  let staffMail: Subscription;
  const mails: StaffEmail[] = [];
  const firstAdminSecret = `clr_${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    h = await startHarness({
      env: { BOOTSTRAP_ADMIN_SIGN_IN_TOKEN: firstAdminSecret, SESSION_IDLE_MS: String(60 * MINUTE), SESSION_MAX_AGE_MS: String(8 * 60 * MINUTE) },
      seams: { now: () => now },
    });
    staffMail = h.nc.subscribe(eventSubjects.staffEmail, { callback: (_error, msg) => mails.push(codec.decode(msg.data)) });
    await h.nc.flush();
  });
  afterAll(async () => {
    staffMail?.unsubscribe();
    await h?.stop();
  });

  const sessionHash = () => hashTokenSecret(`cls_${randomBytes(32).toString('base64url')}`);
  const open = (linkSecret: string, hash = sessionHash()) => h.rpc.request(directoryRpc.openSession, { linkHash: hashTokenSecret(linkSecret), sessionHash: hash });
  const later = (ms: number) => (now = new Date(now.getTime() + ms));

  async function inviteAndAskForLink(email: string): Promise<string> {
    const org = await h.directory.organisation();
    await h.rpc.request(directoryRpc.createAccount, { actor: h.admin, input: { email, name: 'Ed', grant: { role: 'org_editor', orgId: org.id }, language: 'en' } });
    const before = mails.length;
    expect(await h.rpc.request(directoryRpc.requestSignIn, { email })).toEqual({ sent: true });
    const link = await eventually(() => mails.slice(before).find((m) => m.to === email && m.message.kind === 'sign-in'));
    return (link.message as { token: string }).token;
  }

  it('creates the first admin’s account with the configured one-time link', async () => {
    const session = await open(firstAdminSecret);
    expect(session.account).toMatchObject({ email: 'admin@clarion.local', grant: { role: 'admin' } });
    expect(session.principal).toEqual({ tokenId: session.account.accountId, name: 'first admin', grant: { role: 'admin' }, sessionId: session.sessionId });
    await expect(open(firstAdminSecret)).rejects.toMatchObject({ statusCode: 401, field: 'token' });
  });

  it('refuses a link after its 15 minutes', async () => {
    const token = await inviteAndAskForLink(`late-${randomBytes(4).toString('hex')}@example.org`);
    later(15 * MINUTE + 1_000);
    await expect(open(token)).rejects.toMatchObject({ statusCode: 401 });
  });

  it('keeps a session while it is used, ends it after the idle time, and at its absolute end however active', async () => {
    const hash = sessionHash();
    await open(await inviteAndAskForLink(`idle-${randomBytes(4).toString('hex')}@example.org`), hash);
    for (let i = 0; i < 7; i++) {
      later(55 * MINUTE);
      await expect(h.rpc.request(directoryRpc.resolveSession, { sessionHash: hash })).resolves.toMatchObject({ account: expect.any(Object) });
    }
    later(61 * MINUTE); // past 8 hours since sign-in
    await expect(h.rpc.request(directoryRpc.resolveSession, { sessionHash: hash })).rejects.toMatchObject({ statusCode: 401 });

    const idle = sessionHash();
    await open(await inviteAndAskForLink(`idle2-${randomBytes(4).toString('hex')}@example.org`), idle);
    later(61 * MINUTE);
    await expect(h.rpc.request(directoryRpc.resolveSession, { sessionHash: idle })).rejects.toMatchObject({ statusCode: 401 });
  });

  const linksTo = (email: string) => mails.filter((m) => m.to === email);
  /** The links go out after the answer: a link asked for after the rest, once in, is the sign the rest were handled too. */
  const allSent = async () => {
    expect(await inviteAndAskForLink(`marker-${randomBytes(4).toString('hex')}@example.org`)).toEqual(expect.any(String));
  };

  it('keeps at most three open links per account, however often and however many at once they are asked for', async () => {
    const email = `flood-${randomBytes(4).toString('hex')}@example.org`;
    const first = await inviteAndAskForLink(email); // the invitation's link and one asked for
    // Asked at once of two replicas: only the slots' unique index stands between them.
    await h.startReplica();
    await Promise.all(Array.from({ length: 8 }, () => h.rpc.request(directoryRpc.requestSignIn, { email })));
    await eventually(() => (linksTo(email).length >= 3 ? true : undefined));
    await allSent();
    expect(linksTo(email)).toHaveLength(3);

    // A used link gives up its slot: the next request gets one, and only one.
    await open(first);
    for (let i = 0; i < 3; i++) await h.rpc.request(directoryRpc.requestSignIn, { email });
    await eventually(() => (linksTo(email).length >= 4 ? true : undefined));
    await allSent();
    expect(linksTo(email)).toHaveLength(4);

    // Expired sign-in links give up theirs: two more, then none (the invitation's link, good for days, keeps its slot).
    later(15 * MINUTE + 1_000);
    for (let i = 0; i < 5; i++) await h.rpc.request(directoryRpc.requestSignIn, { email });
    await eventually(() => (linksTo(email).length >= 6 ? true : undefined));
    await allSent();
    expect(linksTo(email)).toHaveLength(6);
  });
});

/** A bound for what must happen, not a timing: a CI machine loaded by compiles and other networks once took more than 5 s to send a link. */
async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > giveUp) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
