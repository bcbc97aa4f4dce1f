import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { FeedbackModule } from '../feedback/feedback.module';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { SenderIdentityModule } from '../sender-identity/sender-identity.module';
import { ConfirmationConsumer } from './confirmation.consumer';
import { ConfirmationService } from './confirmation.service';
import { OptInCodeService } from './opt-in-code.service';

/** Double opt-in emails and codes to supporters who joined. */
@Module({
  imports: [ChannelsModule, FeedbackModule, RateLimitsModule, SenderIdentityModule],
  providers: [ConfirmationService, OptInCodeService, ConfirmationConsumer],
})
export class ConfirmationsModule {}
