import { Module, type DynamicModule } from '@nestjs/common';
import type { GatewayConfig } from '@clarion/config';
import { LoggingModule } from '@clarion/logging';
import { NatsModule } from '@clarion/messaging';
import { GatewayHealthController } from './health/gateway-health.controller';
import { NetworkHealthService } from './health/network-health.service';
import { GATEWAY_CONFIG, ServiceClient } from './services/service-client';
import { ServiceClientModule } from './services/service-client.module';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        LoggingModule.forRoot({ service: 'gateway', level: config.LOG_LEVEL }),
        NatsModule.forRoot({ url: config.NATS_URL, name: 'clarion-gateway' }),
        ServiceClientModule.forRoot(config),
      ],
      controllers: [GatewayHealthController],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, NetworkHealthService, ServiceClient],
    };
  }
}
