import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { ProgressModule } from '../progress/progress.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { SupporterErasureConsumer } from './supporter-erasure.consumer';
import { SupporterLedgerController } from './supporter-ledger.controller';
import { SupporterLedgerService } from './supporter-ledger.service';

/** What delivery holds of one supporter: read for an export, erased on request. */
@Module({
  imports: [DeliveriesModule, ProgressModule, WebhooksModule],
  controllers: [SupporterLedgerController],
  providers: [SupporterLedgerService, SupporterErasureConsumer],
})
export class SupportersModule {}
