import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { readFileSync } from 'node:fs';
import webpush from 'web-push';
import { supporterRpc } from '@clarion/contracts';
import { openSmtpUrl, openVapidPrivateKey, SecretBox, SecretOpener } from '@clarion/security';
import { startHarness, startSubscriptions, subscriptionsConfig, type SubscriptionsHarness } from '../test/subscriptions-harness';
import { OrgKeys } from './org-keys.schema';

const PASSWORD = 'old-form-pa$$word';
const URL_WITH_PASSWORD = `smtp://relay-user:${encodeURIComponent(PASSWORD)}@mail.legacy-rights.example:587`;
const FROM = 'alerts@legacy-rights.example';

/**
 * Organisations whose secrets were sealed with SecretBox (SECRET_KEY) before
 * decision 0020: a restart seals them to delivery's key and removes the old form.
 */
describe('subscriptions: sender secrets in the old form, at start', () => {
  let h: SubscriptionsHarness;
  let orgKeys: Model<OrgKeys>;
  let opener: SecretOpener;
  beforeAll(async () => {
    h = await startHarness();
    orgKeys = h.app.get(getModelToken(OrgKeys.name));
    opener = new SecretOpener(readFileSync(h.infra.bus.senderSecretsKeyFile, 'utf8'));
  });
  afterAll(async () => h?.stop());

  const stored = async (orgId: string) => (await orgKeys.findOne({ orgId }).lean().exec())!;

  it('are sealed to delivery’s key at the next start and the old form is gone; what SECRET_KEY cannot open is left alone', async () => {
    const [legacy, vapidOnly, unreadable, current] = await Promise.all([1, 2, 3, 4].map(() => h.directory.organisation()));
    const box = h.app.get(SecretBox);
    const oldVapid = webpush.generateVAPIDKeys();
    const otherInstallation = new SecretBox('another-installation-secret-key-of-length');
    await orgKeys.updateOne(
      { orgId: legacy.id },
      { $set: { vapidPublicKey: oldVapid.publicKey, vapidPrivateKeySealed: box.seal(oldVapid.privateKey), smtpSealed: box.seal(JSON.stringify({ url: URL_WITH_PASSWORD, from: FROM })) } },
    );
    await orgKeys.updateOne({ orgId: vapidOnly.id }, { $set: { vapidPrivateKeySealed: box.seal(oldVapid.privateKey) } });
    await orgKeys.updateOne({ orgId: unreadable.id }, { $set: { vapidPrivateKeySealed: otherInstallation.seal(oldVapid.privateKey) } });
    const untouched = await stored(current.id);
    const unreadableBefore = await stored(unreadable.id);

    // A second replica on the same database starts: its migration runs before it answers anyone.
    const database = h.app.get<Connection>(getConnectionToken()).name;
    const replica = await startSubscriptions(subscriptionsConfig(h.infra, database), h.rpc);
    try {
      const migrated = await stored(legacy.id);
      expect(migrated.smtpSealed).toBeUndefined();
      expect(migrated.vapidPrivateKeySealed).toMatch(/^x1\./);
      expect(migrated.smtp).toEqual({ url: 'smtp://relay-user@mail.legacy-rights.example:587', from: FROM, passwordSealed: expect.stringMatching(/^x1\./) });
      const document = JSON.stringify(migrated);
      for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), oldVapid.privateKey]) expect(document).not.toContain(secret);

      // Delivery gets the same key pair and server as before, now sealed to it.
      const identity = await (await h.as('delivery')).request(supporterRpc.senderIdentity, { orgId: legacy.id });
      expect(identity.vapid.publicKey).toBe(oldVapid.publicKey);
      expect(openVapidPrivateKey(opener, legacy.id, identity.vapid.privateKeySealed)).toBe(oldVapid.privateKey);
      expect(openSmtpUrl(opener, legacy.id, identity.smtp!)).toBe(URL_WITH_PASSWORD);
      expect(identity.smtp?.from).toBe(FROM);

      const vapidMigrated = await stored(vapidOnly.id);
      expect(openVapidPrivateKey(opener, vapidOnly.id, vapidMigrated.vapidPrivateKeySealed)).toBe(oldVapid.privateKey);
      expect(vapidMigrated.smtp).toBeUndefined();

      expect(await stored(current.id)).toEqual(untouched);
      expect(await stored(unreadable.id)).toEqual(unreadableBefore);
    } finally {
      await replica.close();
    }
  });
});
