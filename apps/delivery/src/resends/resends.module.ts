import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { FailuresController } from './failures.controller';
import { ResendController } from './resend.controller';
import { ResendService } from './resend.service';

/** A relay's failed deliveries, listed and sent again (docs/decisions/0017). */
@Module({
  imports: [DeliveriesModule],
  controllers: [ResendController, FailuresController],
  providers: [ResendService],
})
export class ResendsModule {}
