import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { FeedbackModule } from '../feedback/feedback.module';
import { ProgressModule } from '../progress/progress.module';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { RelaysModule } from '../relays/relays.module';
import { RenderingModule } from '../rendering/rendering.module';
import { SenderIdentityModule } from '../sender-identity/sender-identity.module';
import { BatchSender } from './batch-sender';
import { BatchConsumer } from './batch.consumer';
import { BatchService } from './batch.service';

/** Recipient batches from subscriptions' fan-out: each recipient recorded in the ledger, rendered, rate limited and sent. */
@Module({
  imports: [ChannelsModule, DeliveriesModule, FeedbackModule, ProgressModule, RateLimitsModule, RelaysModule, RenderingModule, SenderIdentityModule],
  providers: [BatchSender, BatchService, BatchConsumer],
})
export class BatchesModule {}
