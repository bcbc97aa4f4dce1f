import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryPass, DeliveryPassSchema } from './delivery-pass.schema';
import { Delivery, DeliverySchema } from './delivery.schema';

/** The ledger: one delivery per supporter × channel × relay, and its state. */
@Module({
  imports: [MongooseModule.forFeature([
      { name: Delivery.name, schema: DeliverySchema },
      { name: DeliveryPass.name, schema: DeliveryPassSchema },
    ])],
  providers: [DeliveryRepository],
  exports: [DeliveryRepository],
})
export class DeliveriesModule {}
