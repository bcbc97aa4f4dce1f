import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import type { GatewayConfig } from '@clarion/config';

export const SERVICES_CLIENT = Symbol('SERVICES_CLIENT');
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Every request from the gateway to a service, each bounded by NATS_REQUEST_TIMEOUT_MS unless told otherwise. */
@Injectable()
export class ServiceClient implements OnApplicationBootstrap {
  constructor(
    @Inject(SERVICES_CLIENT) private readonly client: ClientProxy,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.client.connect();
  }

  request<T>(subject: string, payload: unknown, timeoutMs = this.config.NATS_REQUEST_TIMEOUT_MS): Promise<T> {
    return firstValueFrom(this.client.send<T>(subject, payload ?? {}).pipe(timeout(timeoutMs)));
  }
}
