import { Module } from '@nestjs/common';
import { EmailChannel } from './email.channel';
import { PushChannel } from './push.channel';

/** One adapter per channel: reaching the provider and mapping its answers to outcomes. */
@Module({
  providers: [EmailChannel, PushChannel],
  exports: [EmailChannel, PushChannel],
})
export class ChannelsModule {}
