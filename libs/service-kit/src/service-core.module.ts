import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ErrorBodyFilter } from './error-body.filter';
import type { CommonConfig } from '@clarion/config';
import { HealthController, healthRpcController, ReadinessService, SERVICE_NAME } from '@clarion/health';
import { LoggingModule } from '@clarion/logging';
import { busSettings, CallerGuard, NatsModule, RpcClientModule } from '@clarion/messaging';
import { PersistenceModule } from '@clarion/persistence';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export type BackendService = 'alerts' | 'subscriptions' | 'delivery';

/**
 * What every back-end service has: its validated config, structured logs, a
 * NATS connection with the streams in place, its own database, and health
 * over HTTP and NATS.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot(service: BackendService, config: CommonConfig & { MONGO_URL: string }): DynamicModule {
    const bus = busSettings(service, config);
    return {
      module: ServiceCoreModule,
      global: true,
      imports: [
        LoggingModule.forRoot({ service, level: config.LOG_LEVEL }),
        NatsModule.forRoot({
          bus,
          name: `clarion-${service}`,
          replicas: config.JETSTREAM_REPLICAS,
          // Consumers finish their messages in three quarters of the shutdown deadline; the rest flushes and closes connections.
          consumers: { config, drainTimeoutMs: Math.floor(config.SHUTDOWN_TIMEOUT_MS * 0.75) },
        }),
        PersistenceModule.forRoot(config.MONGO_URL),
        RpcClientModule.forRoot({ bus, name: `clarion-${service}-client`, timeoutMs: 2_000 }),
      ],
      controllers: [HealthController, healthRpcController(service)],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: SERVICE_CONFIG, useValue: config },
        ReadinessService,
        { provide: APP_FILTER, useClass: ErrorBodyFilter },
        // Every NATS request is checked for a valid, signed caller before any handler runs.
        { provide: APP_GUARD, useClass: CallerGuard },
      ],
      exports: [SERVICE_CONFIG, SERVICE_NAME, ReadinessService, PersistenceModule],
    };
  }
}
