import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A relay this service must no longer send for. Only cancellation is kept: every other relay is open. */
@Schema({ collection: 'relay_states' })
export class RelayState {
  @Prop({ required: true }) relayId!: string;
  @Prop({ required: true }) orgId!: string;
  @Prop({ required: true }) alertId!: string;
  @Prop({ required: true }) cancelledAt!: Date;
}

export const RelayStateSchema = SchemaFactory.createForClass(RelayState);
// Recording a cancellation once per relay, and the check before every batch sends.
RelayStateSchema.index({ relayId: 1 }, { unique: true });
