import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import { senderIdentityView, supporterRpc, type SenderIdentityView } from '@clarion/contracts';
import { RpcClient } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { TtlCache } from '../common/ttl-cache';

const MAX_ORGANISATIONS = 10_000;

/**
 * How to send in an organisation's name (VAPID keys, sender name, own SMTP), owned by `subscriptions`.
 * Kept SENDER_IDENTITY_TTL_MS (a minute by default): a changed sender name, key or SMTP server reaches
 * new batches within that, and a large fan-out asks once per worker, not once per batch.
 */
@Injectable()
export class SenderIdentityCache {
  private readonly identities: TtlCache<SenderIdentityView>;

  constructor(
    private readonly rpc: RpcClient,
    @Inject(SERVICE_CONFIG) config: DeliveryConfig,
  ) {
    this.identities = new TtlCache<SenderIdentityView>(config.SENDER_IDENTITY_TTL_MS, MAX_ORGANISATIONS);
  }

  /** Rejects with Unavailable when subscriptions does not answer in time (RpcClient's bound). */
  get(orgId: string): Promise<SenderIdentityView> {
    return this.identities.get(orgId, async () => senderIdentityView.parse(await this.rpc.request<unknown>(supporterRpc.senderIdentity, { orgId })));
  }
}
