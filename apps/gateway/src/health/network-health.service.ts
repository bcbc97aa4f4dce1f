import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { systemRpc, type ServiceHealth } from '@clarion/contracts';
import { NATS_CONNECTION, RpcClient } from '@clarion/messaging';

const BACKEND_SERVICES = ['alerts', 'subscriptions', 'delivery'] as const;
const SERVICE_HEALTH_TIMEOUT_MS = 1_500;

export interface NetworkHealth {
  status: 'up' | 'down';
  gateway: { nats: { status: 'up' | 'down'; detail?: string } };
  services: Record<(typeof BACKEND_SERVICES)[number], ServiceHealth | { status: 'down'; detail: string }>;
}

/** The whole network as the gateway sees it: its NATS link and every service's own report (NATS + its database). */
@Injectable()
export class NetworkHealthService {
  constructor(
    private readonly services: RpcClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  async report(): Promise<NetworkHealth> {
    const entries = await Promise.all(BACKEND_SERVICES.map(async (name) => [name, await this.serviceHealth(name)] as const));
    const services = Object.fromEntries(entries) as NetworkHealth['services'];
    const nats = this.nc.isClosed()
      ? ({ status: 'down', detail: 'connection closed' } as const)
      : ({ status: 'up', detail: this.nc.getServer() } as const);
    const down = nats.status === 'down' || Object.values(services).some((s) => s.status !== 'up');
    return { status: down ? 'down' : 'up', gateway: { nats }, services };
  }

  private async serviceHealth(name: (typeof BACKEND_SERVICES)[number]) {
    try {
      return await this.services.request(systemRpc.health(name), {}, SERVICE_HEALTH_TIMEOUT_MS);
    } catch (error) {
      return { status: 'down' as const, detail: `no answer: ${(error as Error).message}` };
    }
  }
}
