import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { NatsConnection } from 'nats';
import { DEVELOPMENT_SECRET_KEY, type DeliveryConfig } from '@clarion/config';
import { LinkSigner, lookupAddresses, OutboundRules, SecretOpener, SecretSealer, sealingPublicKeyOf, type HostLookup } from '@clarion/security';
import { KvWindowCounters, NATS_CONNECTION } from '@clarion/messaging';
import { SERVICE_CONFIG, ServiceCoreModule } from '@clarion/service-kit';
import { BatchConsumer } from './batches/batch.consumer';
import { BatchSender } from './batches/batch-sender';
import { BatchService } from './batches/batch.service';
import { channelSenderProviders } from './channels/channel-senders';
import { ConfirmationConsumer } from './confirmations/confirmation.consumer';
import { StaffEmailConsumer } from './staff-emails/staff-email.consumer';
import { StaffEmailService } from './staff-emails/staff-email.service';
import { ConfirmationService } from './confirmations/confirmation.service';
import { DeliveryRepository } from './deliveries/delivery.repository';
import { Delivery, DeliverySchema } from './deliveries/delivery.schema';
import { FeedbackPublisher } from './feedback/feedback.publisher';
import { ProgressController } from './progress/progress.controller';
import { ProviderFeedbackController } from './provider-feedback/provider-feedback.controller';
import { ProviderFeedbackService } from './provider-feedback/provider-feedback.service';
import { ProgressPublisher } from './progress/progress.publisher';
import { ProgressRepository } from './progress/progress.repository';
import { RelayProgress, RelayProgressSchema } from './progress/progress.schema';
import { ProgressService } from './progress/progress.service';
import { SEND_RATE_BUCKET, SEND_RATE_TTL_MS, SendLimits, WINDOW_COUNTERS } from './rate-limits/send-limits';

import { RelayStateConsumer } from './relays/relay-state.consumer';
import { FailuresController } from './resends/failures.controller';
import { ResendController } from './resends/resend.controller';
import { ResendService } from './resends/resend.service';
import { RelayStateRepository } from './relays/relay-state.repository';
import { RelayState, RelayStateSchema } from './relays/relay-state.schema';
import { RelayStateService } from './relays/relay-state.service';
import { TtlCache } from './common/ttl-cache';
import { MessageLinks } from './rendering/message-links';
import { PreviewController } from './previews/preview.controller';
import { SenderIdentityCache } from './sender-identity/sender-identity.cache';
import { SupporterErasureConsumer } from './supporters/supporter-erasure.consumer';
import { SupporterLedgerController } from './supporters/supporter-ledger.controller';
import { SupporterLedgerService } from './supporters/supporter-ledger.service';
import { WebhookController } from './webhooks/webhook.controller';
import { WebhookDestinations } from './webhooks/webhook-destinations';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookEndpoint, WebhookEndpointSchema, WebhookMessage, WebhookMessageSchema } from './webhooks/webhook-endpoint.schema';
import { WebhookEventsConsumer } from './webhooks/webhook-events.consumer';
import { WebhookRepository } from './webhooks/webhook.repository';
import { WebhookSender } from './webhooks/webhook-sender';
import { WebhookSenderConsumer } from './webhooks/webhook-sender.consumer';
import { WEBHOOK_SEALER, WebhookService } from './webhooks/webhook.service';

function linkSigner(config: DeliveryConfig): LinkSigner {
  if (config.SECRET_KEY === DEVELOPMENT_SECRET_KEY) {
    new Logger('DeliveryModule').warn('SECRET_KEY is the development default: links in messages can be forged; set a secret of your own');
  }
  return new LinkSigner(config.SECRET_KEY);
}

/** Push endpoints concentrate on a few hosts (the browsers' push services): each resolved once a minute, not once a message. */
const HOST_CACHE_TTL_MS = 60_000;
const HOST_CACHE_SIZE = 1_000;

/**
 * Where organisations' SMTP servers and supporters' push endpoints may make
 * delivery connect (docs/decisions/0023). Lookups are cached; a connection
 * still goes to the address that was checked, whatever the host answers later.
 */
function outboundRules(config: DeliveryConfig, lookup: HostLookup = lookupAddresses): OutboundRules {
  const hosts = new TtlCache<string[]>(HOST_CACHE_TTL_MS, HOST_CACHE_SIZE);
  return OutboundRules.fromConfig(config, (host) => hosts.get(host, () => lookup(host)));
}

/** What a test may put in place of the real thing. */
export interface DeliverySeams {
  /** The resolver behind the checks of SMTP servers and push endpoints; the system's by default. */
  lookup?: HostLookup;
}

@Module({})
export class DeliveryModule {
  static forRoot(config: DeliveryConfig, seams: DeliverySeams = {}): DynamicModule {
    return {
      module: DeliveryModule,
      imports: [
        ServiceCoreModule.forRoot('delivery', config),
        MongooseModule.forFeature([
          { name: Delivery.name, schema: DeliverySchema },
          { name: RelayState.name, schema: RelayStateSchema },
          { name: RelayProgress.name, schema: RelayProgressSchema },
          { name: WebhookEndpoint.name, schema: WebhookEndpointSchema },
          { name: WebhookMessage.name, schema: WebhookMessageSchema },
        ]),
      ],
      controllers: [PreviewController, ProgressController, ResendController, FailuresController, SupporterLedgerController, WebhookController, ProviderFeedbackController],
      providers: [
        { provide: LinkSigner, useFactory: linkSigner, inject: [SERVICE_CONFIG] },
        {
          provide: MessageLinks,
          useFactory: (signer: LinkSigner, cfg: DeliveryConfig) => new MessageLinks(signer, cfg.PUBLIC_BASE_URL),
          inject: [LinkSigner, SERVICE_CONFIG],
        },
        DeliveryRepository,
        RelayStateRepository,
        ProgressRepository,
        // Opens the sender secrets subscriptions and the gateway sealed to delivery's key (docs/decisions/0020).
        { provide: SecretOpener, useValue: new SecretOpener(config.SENDER_SECRETS_KEY_FILE) },
        SenderIdentityCache,
        { provide: OutboundRules, useValue: outboundRules(config, seams.lookup) },
        FeedbackPublisher,
        // Each channel's sender and adapter (channels/channel-senders.ts).
        ...channelSenderProviders,
        ProviderFeedbackService,
        ProgressPublisher,
        ProgressService,
        ResendService,
        // Send rate limits across workers (docs/decisions/0014): counters in a NATS KV bucket, made on first use.
        {
          provide: WINDOW_COUNTERS,
          useFactory: (nc: NatsConnection, cfg: DeliveryConfig) => new KvWindowCounters(nc, { bucket: SEND_RATE_BUCKET, ttlMs: SEND_RATE_TTL_MS, replicas: cfg.JETSTREAM_REPLICAS }),
          inject: [NATS_CONNECTION, SERVICE_CONFIG],
        },
        SendLimits,
        BatchSender,
        BatchService,
        BatchConsumer,
        RelayStateService,
        RelayStateConsumer,
        ConfirmationService,
        ConfirmationConsumer,
        StaffEmailService,
        StaffEmailConsumer,
        SupporterLedgerService,
        SupporterErasureConsumer,
        // Webhook secrets are sealed at rest to delivery's own key (the sender secrets' key): only delivery reads them.
        { provide: WEBHOOK_SEALER, useValue: new SecretSealer(sealingPublicKeyOf(config.SENDER_SECRETS_KEY_FILE)) },
        WebhookRepository,
        WebhookDestinations,
        WebhookService,
        WebhookDispatcher,
        WebhookEventsConsumer,
        WebhookSender,
        WebhookSenderConsumer,
      ],
    };
  }
}
