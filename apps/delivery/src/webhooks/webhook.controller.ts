import { Controller } from '@nestjs/common';
import { webhookRpc, type ValidRequestOf, type WebhookDeliveryView, type WebhookEndpointView, type WebhookSecretView } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { WebhookService } from './webhook.service';

@Controller()
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @RequestHandler(webhookRpc.create)
  create(request: ValidRequestOf<typeof webhookRpc.create>): Promise<WebhookSecretView> {
    return this.webhooks.create(request);
  }

  @RequestHandler(webhookRpc.list)
  list(request: ValidRequestOf<typeof webhookRpc.list>): Promise<WebhookEndpointView[]> {
    return this.webhooks.list(request);
  }

  @RequestHandler(webhookRpc.update)
  update(request: ValidRequestOf<typeof webhookRpc.update>): Promise<WebhookEndpointView> {
    return this.webhooks.update(request);
  }

  @RequestHandler(webhookRpc.remove)
  remove(request: ValidRequestOf<typeof webhookRpc.remove>): Promise<WebhookEndpointView> {
    return this.webhooks.remove(request);
  }

  @RequestHandler(webhookRpc.rotateSecret)
  rotateSecret(request: ValidRequestOf<typeof webhookRpc.rotateSecret>): Promise<WebhookSecretView> {
    return this.webhooks.rotateSecret(request);
  }

  @RequestHandler(webhookRpc.deliveries)
  deliveries(request: ValidRequestOf<typeof webhookRpc.deliveries>): Promise<WebhookDeliveryView[]> {
    return this.webhooks.deliveries(request);
  }
}
