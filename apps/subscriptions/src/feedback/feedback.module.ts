import { Module } from '@nestjs/common';
import { SupportersModule } from '../supporters/supporters.module';
import { FeedbackConsumer } from './feedback.consumer';
import { FeedbackService } from './feedback.service';

/** What delivery learnt from providers (a push subscription gone, an email rejected or complained of), applied to supporters. */
@Module({
  imports: [SupportersModule],
  providers: [FeedbackService, FeedbackConsumer],
})
export class FeedbackModule {}
