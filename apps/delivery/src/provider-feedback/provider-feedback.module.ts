import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { FeedbackModule } from '../feedback/feedback.module';
import { ProviderFeedbackController } from './provider-feedback.controller';
import { ProviderFeedbackService } from './provider-feedback.service';

/** Providers' reports (bounces, complaints) that the gateway received, matched to the ledger. */
@Module({
  imports: [DeliveriesModule, FeedbackModule],
  controllers: [ProviderFeedbackController],
  providers: [ProviderFeedbackService],
})
export class ProviderFeedbackModule {}
