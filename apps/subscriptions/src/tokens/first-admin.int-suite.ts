import { randomBytes } from 'node:crypto';
import { directoryRpc } from '@clarion/contracts';
import { hashTokenSecret } from '@clarion/security';
import { startTestInfra, TestRpc, uniqueDbName, type TestInfra } from '@clarion/testing';
import { startSubscriptions, subscriptionsConfig } from '../test/subscriptions-harness';

const FIRST_ADMIN_LINE = /^FIRST ADMIN TOKEN \(shown once\): (clr_[A-Za-z0-9_-]{43})\n$/;
const FIRST_SIGN_IN_LINE = /^FIRST ADMIN SIGN-IN LINK \(shown once, good for 24 hours\): http:\/\/127\.0\.0\.1:3000\/console\/sign-in#token=(clr_[A-Za-z0-9_-]{43})\n$/;

// Its own infra: the replicas here answer the same subjects with their own databases.
describe('subscriptions: the first admin token', () => {
  let infra: TestInfra;
  let rpc: TestRpc;

  beforeAll(async () => {
    infra = await startTestInfra();
    rpc = await TestRpc.connect(infra);
  });
  afterAll(async () => {
    await rpc?.close();
    await infra?.stop();
  });

  it('is BOOTSTRAP_ADMIN_TOKEN when configured', async () => {
    const secret = `clr_${randomBytes(24).toString('base64url')}`;
    const app = await startSubscriptions(subscriptionsConfig(infra, uniqueDbName('subs_configured'), { BOOTSTRAP_ADMIN_TOKEN: secret }), rpc);
    try {
      const admin = await rpc.request(directoryRpc.resolveToken, { tokenHash: hashTokenSecret(secret) });
      expect(admin).toEqual({ tokenId: expect.stringMatching(/^[0-9a-f]{24}$/), name: 'first admin', grant: { role: 'admin' } });
    } finally {
      await app.close();
    }
  });

  it('is created and printed once when two replicas start together on an empty database, and not again on restart', async () => {
    const config = subscriptionsConfig(infra, uniqueDbName('subs_replicas'));
    const stdout = jest.spyOn(process.stdout, 'write');
    const printedLines = () => stdout.mock.calls.map(([chunk]) => String(chunk)).filter((line) => FIRST_ADMIN_LINE.test(line));
    try {
      const replicas = await Promise.all([startSubscriptions(config, rpc), startSubscriptions(config, rpc)]);
      const printed = printedLines();
      expect(printed).toHaveLength(1);
      const secret = FIRST_ADMIN_LINE.exec(printed[0])![1];
      const admin = await rpc.request(directoryRpc.resolveToken, { tokenHash: hashTokenSecret(secret) });
      const tokens = await rpc.request(directoryRpc.listTokens, { actor: admin });
      expect(tokens).toEqual([expect.objectContaining({ id: admin.tokenId, name: 'first admin', grant: { role: 'admin' } })]);
      // The first admin's console account, with its one-time link: printed once too, and it opens a session once.
      const links = stdout.mock.calls.map(([chunk]) => String(chunk)).filter((line) => FIRST_SIGN_IN_LINE.test(line));
      expect(links).toHaveLength(1);
      const linkHash = hashTokenSecret(FIRST_SIGN_IN_LINE.exec(links[0])![1]);
      const session = await rpc.request(directoryRpc.openSession, { linkHash, sessionHash: hashTokenSecret(`cls_${randomBytes(32).toString('base64url')}`) });
      expect(session.account).toMatchObject({ email: 'admin@clarion.local', grant: { role: 'admin' } });
      await expect(rpc.request(directoryRpc.openSession, { linkHash, sessionHash: hashTokenSecret('cls_again') })).rejects.toMatchObject({ statusCode: 401 });
      await Promise.all(replicas.map((replica) => replica.close()));

      const restarted = await startSubscriptions(config, rpc);
      expect(printedLines()).toHaveLength(1);
      expect(await rpc.request(directoryRpc.listTokens, { actor: admin })).toHaveLength(1);
      await restarted.close();
    } finally {
      stdout.mockRestore();
    }
  });
});
