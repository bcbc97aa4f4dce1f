import { Module } from '@nestjs/common';
import { FeedbackPublisher } from './feedback.publisher';

/** Tells subscriptions what providers said of a supporter's address (gone, bounced, complained). */
@Module({
  providers: [FeedbackPublisher],
  exports: [FeedbackPublisher],
})
export class FeedbackModule {}
