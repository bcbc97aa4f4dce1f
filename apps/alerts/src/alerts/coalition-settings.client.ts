import { Injectable } from '@nestjs/common';
import { directoryRpc } from '@clarion/contracts';
import { RpcClient } from '@clarion/messaging';

/** A coalition's publishing rules, owned by `subscriptions` and asked for over NATS at the moment they matter. */
@Injectable()
export class CoalitionSettingsClient {
  constructor(private readonly rpc: RpcClient) {}

  async requiresSecondApproval(coalitionId: string): Promise<boolean> {
    const { requireSecondApproval } = await this.rpc.request(directoryRpc.coalitionSettings, { coalitionId });
    return requireSecondApproval;
  }
}
