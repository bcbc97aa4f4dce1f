import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A batch pass sending right now: the deliveries it took, which the ledger
 * records only once their outcome is known (one write per delivery). A
 * follow-up waits for these as it waits for any open original; the pass
 * removes its marker when its outcomes are written. A marker left by a
 * worker that died names deliveries its redelivered batch then records, and
 * a record always wins over a marker.
 */
@Schema({ collection: 'delivery_passes' })
export class DeliveryPass {
  @Prop({ required: true }) relayId!: string;
  @Prop({ required: true }) alertId!: string;
  @Prop({ type: [String], required: true }) deliveryIds!: string[];
}

export const DeliveryPassSchema = SchemaFactory.createForClass(DeliveryPass);
DeliveryPassSchema.index({ relayId: 1 });
