import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { StaffEmailConsumer } from './staff-email.consumer';
import { StaffEmailService } from './staff-email.service';

/** Emails to people with accounts (sign-in links, approval and review notices), through the network's SMTP server. */
@Module({
  imports: [ChannelsModule],
  providers: [StaffEmailService, StaffEmailConsumer],
})
export class StaffEmailsModule {}
