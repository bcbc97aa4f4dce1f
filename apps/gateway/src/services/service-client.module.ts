import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import type { GatewayConfig } from '@clarion/config';
import { natsClientOptions } from '@clarion/messaging';
import { SERVICES_CLIENT } from './service-client';

/** Nest's NATS client, for request/reply to the services' queue groups. */
@Module({})
export class ServiceClientModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const clients = ClientsModule.register([
      { name: SERVICES_CLIENT, transport: Transport.NATS, options: natsClientOptions(config.NATS_URL, 'clarion-gateway-rpc') },
    ]);
    return { module: ServiceClientModule, imports: [clients], exports: [clients] };
  }
}
