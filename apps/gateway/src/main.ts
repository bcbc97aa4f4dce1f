import 'reflect-metadata';
import { gatewayConfigSchema, loadConfigOrExit } from '@clarion/config';
import { bootstrapService } from '@clarion/service-kit';
import { mountApiDocs } from './api/api-docs';
import { mountRouteBodyParsers } from './api/route-body-parsers';
import { mountConsole } from './console/console-static';
import { GatewayModule } from './gateway.module';
import { mountRequestGuards } from './limits/request-guards';
import { mountWebhookBodyParsers } from './provider-webhooks/webhook-body-parsers';

const config = loadConfigOrExit('gateway', gatewayConfigSchema);
void bootstrapService({
  service: 'gateway',
  module: GatewayModule.forRoot(config),
  config,
  natsHandlers: false,
  configure: (app) => {
    mountRequestGuards(app);
    mountRouteBodyParsers(app);
    mountWebhookBodyParsers(app);
    mountApiDocs(app);
    mountConsole(app);
  },
});
