import { Module, type DynamicModule } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import { serviceRootModule } from '@clarion/service-kit';
import { BatchesModule } from './batches/batches.module';
import { ChannelsModule } from './channels/channels.module';
import { SharedModule, type DeliverySeams } from './common/shared.module';
import { ConfirmationsModule } from './confirmations/confirmations.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { FeedbackModule } from './feedback/feedback.module';
import { PreviewsModule } from './previews/previews.module';
import { ProgressModule } from './progress/progress.module';
import { ProviderFeedbackModule } from './provider-feedback/provider-feedback.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { RelaysModule } from './relays/relays.module';
import { RenderingModule } from './rendering/rendering.module';
import { ResendsModule } from './resends/resends.module';
import { SenderIdentityModule } from './sender-identity/sender-identity.module';
import { StaffEmailsModule } from './staff-emails/staff-emails.module';
import { SupportersModule } from './supporters/supporters.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export type { DeliverySeams } from './common/shared.module';

/** One feature module per folder, listed bottom up: each imports only modules listed before it (docs/decisions/0035). */
@Module({})
export class DeliveryModule {
  static forRoot(config: DeliveryConfig, seams: DeliverySeams = {}): DynamicModule {
    return serviceRootModule(DeliveryModule, 'delivery', config, [
      SharedModule.forRoot(config, seams),
      FeedbackModule,
      ChannelsModule,
      SenderIdentityModule,
      RenderingModule,
      RateLimitsModule,
      DeliveriesModule,
      ProgressModule,
      RelaysModule,
      WebhooksModule,
      BatchesModule,
      ConfirmationsModule,
      StaffEmailsModule,
      PreviewsModule,
      ProviderFeedbackModule,
      ResendsModule,
      SupportersModule,
    ]);
  }
}
