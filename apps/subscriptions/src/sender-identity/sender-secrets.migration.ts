import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { z } from 'zod';
import { sealSmtpUrl, sealVapidPrivateKey, SecretBox, SecretSealer } from '@clarion/security';
import { OrgKeysRepository } from './org-keys.repository';
import type { OrgKeysRecord, StoredSmtp } from './org-keys.schema';

/** What the old `smtpSealed` held once opened: the URL as given, password and all, and the sender address. */
const legacySmtp = z.object({ url: z.string(), from: z.string() });

/**
 * Organisations made before docs/decisions/0020 have their VAPID private key,
 * and maybe their SMTP settings, sealed with SecretBox (SECRET_KEY, which the
 * gateway and delivery share). At start, before the service answers anyone,
 * each is opened one last time and sealed to delivery's key; the old form is
 * removed from the record. A record that SECRET_KEY does not open is left as
 * it is and named in the log (delivery cannot use it either): the operator
 * can restore the old SECRET_KEY and restart.
 */
@Injectable()
export class SenderSecretsMigration implements OnApplicationBootstrap {
  private readonly logger = new Logger(SenderSecretsMigration.name);

  constructor(
    private readonly keys: OrgKeysRepository,
    private readonly box: SecretBox,
    private readonly sealer: SecretSealer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const legacy = await this.keys.findLegacy();
    if (legacy.length === 0) return;
    let migrated = 0;
    let unreadable = 0;
    for (const record of legacy) {
      let resealed: { vapidPrivateKeySealed: string; smtp?: StoredSmtp };
      try {
        resealed = this.resealed(record);
      } catch (error) {
        unreadable++;
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.error({ orgId: record.orgId, err: reason }, 'sender secrets in the old form do not open with SECRET_KEY; left as they are');
        continue;
      }
      if (await this.keys.replaceLegacy(record, resealed)) migrated++;
    }
    this.logger.log({ migrated, unreadable, found: legacy.length }, "old-form sender secrets sealed to delivery's key");
  }

  private resealed(record: OrgKeysRecord): { vapidPrivateKeySealed: string; smtp?: StoredSmtp } {
    const { orgId } = record;
    const vapidPrivateKeySealed = record.vapidPrivateKeySealed.startsWith('v1.')
      ? sealVapidPrivateKey(this.sealer, orgId, this.box.open(record.vapidPrivateKeySealed))
      : record.vapidPrivateKeySealed;
    if (!record.smtpSealed) return { vapidPrivateKeySealed };
    const { url, from } = legacySmtp.parse(JSON.parse(this.box.open(record.smtpSealed)));
    return { vapidPrivateKeySealed, smtp: { ...sealSmtpUrl(this.sealer, orgId, url), from } };
  }
}
