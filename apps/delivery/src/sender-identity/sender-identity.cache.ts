import { Injectable } from '@nestjs/common';
import { senderIdentityView, supporterRpc, type SenderIdentityView } from '@clarion/contracts';
import { RpcClient } from '@clarion/messaging';
import { TtlCache } from '../common/ttl-cache';

/** A minute: a changed sender name or key reaches new batches soon, and a large fan-out asks once per worker, not once per batch. */
const TTL_MS = 60_000;
const MAX_ORGANISATIONS = 10_000;

/** How to send in an organisation's name (VAPID keys, sender name, own SMTP), owned by `subscriptions`. */
@Injectable()
export class SenderIdentityCache {
  private readonly identities = new TtlCache<SenderIdentityView>(TTL_MS, MAX_ORGANISATIONS);

  constructor(private readonly rpc: RpcClient) {}

  /** Rejects with Unavailable when subscriptions does not answer in time (RpcClient's bound). */
  get(orgId: string): Promise<SenderIdentityView> {
    return this.identities.get(orgId, async () => senderIdentityView.parse(await this.rpc.request<unknown>(supporterRpc.senderIdentity, { orgId })));
  }
}
