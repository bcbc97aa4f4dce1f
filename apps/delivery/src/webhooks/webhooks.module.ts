import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { DeliveryConfig } from '@clarion/config';
import { SecretSealer, sealingPublicKeyOf } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { WebhookDestinations } from './webhook-destinations';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpoint, WebhookEndpointSchema, WebhookMessage, WebhookMessageSchema } from './webhook-endpoint.schema';
import { WebhookEventsConsumer } from './webhook-events.consumer';
import { WebhookSender } from './webhook-sender';
import { WebhookSenderConsumer } from './webhook-sender.consumer';
import { WebhookController } from './webhook.controller';
import { WebhookRepository } from './webhook.repository';
import { WEBHOOK_SEALER, WebhookService } from './webhook.service';

/** Organisations' signed outbound webhooks (docs/decisions/0029): endpoints, the events they get, and sending them. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WebhookEndpoint.name, schema: WebhookEndpointSchema },
      { name: WebhookMessage.name, schema: WebhookMessageSchema },
    ]),
  ],
  controllers: [WebhookController],
  providers: [
    // Webhook secrets are sealed at rest to delivery's own key (the sender secrets' key): only delivery reads them.
    { provide: WEBHOOK_SEALER, useFactory: (config: DeliveryConfig) => new SecretSealer(sealingPublicKeyOf(config.SENDER_SECRETS_KEY_FILE)), inject: [SERVICE_CONFIG] },
    WebhookRepository,
    WebhookDestinations,
    WebhookService,
    WebhookDispatcher,
    WebhookEventsConsumer,
    WebhookSender,
    WebhookSenderConsumer,
  ],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
