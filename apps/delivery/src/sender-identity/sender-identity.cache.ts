import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import { supporterRpc } from '@clarion/contracts';
import { RpcClient } from '@clarion/messaging';
import { SealedSecretError, SecretOpener } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { errorMessage } from '../common/error-message';
import { TtlCache } from '../common/ttl-cache';
import { openSenderIdentity, type SenderIdentity } from './sender-identity';

const MAX_ORGANISATIONS = 10_000;

/**
 * How to send in an organisation's name (VAPID keys, sender name, own SMTP), owned by `subscriptions`,
 * which answers with the secrets sealed to delivery's key; they are opened here and kept opened in memory.
 * Kept SENDER_IDENTITY_TTL_MS (a minute by default): a changed sender name, key or SMTP server reaches
 * new batches within that, and a large fan-out asks once per worker, not once per batch. When
 * subscriptions does not answer, the identity last had is used for up to SENDER_IDENTITY_STALE_MS, so
 * a subscriptions restart does not stop a crisis call that is going out.
 */
@Injectable()
export class SenderIdentityCache {
  private readonly logger = new Logger(SenderIdentityCache.name);
  private readonly identities: TtlCache<SenderIdentity>;
  private readonly lastKnown: TtlCache<SenderIdentity>;

  constructor(
    private readonly rpc: RpcClient,
    private readonly opener: SecretOpener,
    @Inject(SERVICE_CONFIG) config: DeliveryConfig,
  ) {
    this.identities = new TtlCache<SenderIdentity>(config.SENDER_IDENTITY_TTL_MS, MAX_ORGANISATIONS);
    this.lastKnown = new TtlCache<SenderIdentity>(config.SENDER_IDENTITY_STALE_MS, MAX_ORGANISATIONS);
  }

  /** Rejects with Unavailable when subscriptions does not answer in time (RpcClient's bound) and no identity is known recently enough. */
  async get(orgId: string): Promise<SenderIdentity> {
    try {
      const identity = await this.identities.get(orgId, () => this.ask(orgId));
      this.lastKnown.set(orgId, identity);
      return identity;
    } catch (error) {
      const known = this.lastKnown.peek(orgId);
      if (!known) throw error;
      this.logger.warn({ orgId, err: errorMessage(error) }, 'subscriptions did not answer; sending with the sender identity last had');
      return known;
    }
  }

  private async ask(orgId: string): Promise<SenderIdentity> {
    const view = await this.rpc.request(supporterRpc.senderIdentity, { orgId });
    if (view.orgId !== orgId) throw new Error(`asked for the sender identity of ${orgId}, got ${view.orgId}'s`);
    try {
      return openSenderIdentity(this.opener, view);
    } catch (error) {
      if (error instanceof SealedSecretError) {
        this.logger.error({ orgId, err: error.message }, "the organisation's sender secrets do not open with SENDER_SECRETS_KEY_FILE");
      }
      throw error;
    }
  }
}
