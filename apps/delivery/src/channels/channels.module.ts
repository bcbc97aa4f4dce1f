import { Module } from '@nestjs/common';
import { FeedbackModule } from '../feedback/feedback.module';
import { CHANNEL_SENDERS, channelSenderProviders } from './channel-senders';
import { EmailChannel } from './email/email.channel';

/**
 * Every channel's sender and adapter (channel-senders.ts, one line a channel): reaching the provider, mapping
 * its answers to outcomes and reporting verdicts. Email's adapter also sends confirmations and staff emails.
 */
@Module({
  imports: [FeedbackModule],
  providers: channelSenderProviders,
  exports: [CHANNEL_SENDERS, EmailChannel],
})
export class ChannelsModule {}
