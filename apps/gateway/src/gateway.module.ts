import { Module, type DynamicModule } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { GatewayConfig } from '@clarion/config';
import { LoggingModule } from '@clarion/logging';
import { ErrorBodyFilter } from '@clarion/service-kit';
import { busSettings, KvWindowCounters, NATS_CONNECTION, NatsModule, RpcClientModule } from '@clarion/messaging';
import { LinkSigner, SecretSealer } from '@clarion/security';
import { APP_FILTER } from '@nestjs/core';
import { ApiRouter } from './api/api-router';
import { SessionResolver } from './auth/session-resolver';
import { TokenResolver } from './auth/token-resolver';
import { GatewayHealthController } from './health/gateway-health.controller';
import { NetworkHealthService } from './health/network-health.service';
import { ReadinessWatch } from './health/readiness-watch';
import { ServiceReadiness } from './health/service-readiness';
import { CLIENT_COUNTERS, CLIENT_LIMITS_CLOCK, CLIENT_RATE_BUCKET, CLIENT_RATE_TTL_MS, ClientLimits } from './limits/client-limits';
import { ProgressFeed } from './progress/progress-feed';
import { ProviderWebhooksController } from './provider-webhooks/provider-webhooks.controller';
import { ProviderWebhooksService } from './provider-webhooks/provider-webhooks.service';
import { SmsRepliesService } from './provider-webhooks/sms-replies.service';
import { AlertLandingService } from './public/alert-landing.service';
import { AssetsController } from './public/assets.controller';
import { JoinService } from './public/join.service';
import { PublicPagesController } from './public/public-pages.controller';
import { SignedLinks } from './public/signed-links';
import { SupporterLinksService } from './public/supporter-links.service';
import { CapController } from './cap/cap.controller';
import { GATEWAY_CONFIG } from './gateway-config';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const bus = busSettings('gateway', config);
    return {
      module: GatewayModule,
      imports: [
        LoggingModule.forRoot({ service: 'gateway', level: config.LOG_LEVEL }),
        NatsModule.forRoot({ bus, name: 'clarion-gateway', replicas: config.JETSTREAM_REPLICAS }),
        RpcClientModule.forRoot({ bus, name: 'clarion-gateway-rpc', timeoutMs: config.NATS_REQUEST_TIMEOUT_MS, gate: ServiceReadiness }),
      ],
      controllers: [GatewayHealthController, PublicPagesController, AssetsController, CapController, ProviderWebhooksController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ErrorBodyFilter },
        { provide: LinkSigner, useValue: new LinkSigner(config.SECRET_KEY) },
        { provide: SecretSealer, useValue: new SecretSealer(config.SENDER_SECRETS_PUBLIC_KEY) },
        NetworkHealthService,
        ProviderWebhooksService,
        SmsRepliesService,
        ReadinessWatch,
        TokenResolver,
        SessionResolver,
        ApiRouter,
        ProgressFeed,
        SignedLinks,
        JoinService,
        SupporterLinksService,
        AlertLandingService,
        // Per-client limits shared by every gateway (docs/decisions/0022): counters in a NATS KV bucket, made on first use.
        {
          provide: CLIENT_COUNTERS,
          useFactory: (nc: NatsConnection) => new KvWindowCounters(nc, { bucket: CLIENT_RATE_BUCKET, ttlMs: CLIENT_RATE_TTL_MS, replicas: config.JETSTREAM_REPLICAS }),
          inject: [NATS_CONNECTION],
        },
        { provide: CLIENT_LIMITS_CLOCK, useValue: Date.now },
        ClientLimits,
      ],
    };
  }
}
