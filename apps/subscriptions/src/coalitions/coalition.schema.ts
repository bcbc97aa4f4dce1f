import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { CoalitionTopic } from '@clarion/contracts';
import type { Stored } from '../common/stored';

@Schema({ collection: 'coalitions', timestamps: { createdAt: true, updatedAt: false } })
export class Coalition {
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) slug!: string;
  @Prop() description?: string;
  @Prop({ required: true }) requireSecondApproval!: boolean;
  /** Absent on coalitions made before topics were configurable: none. */
  @Prop({ type: [Object], default: undefined }) topics?: CoalitionTopic[];
  createdAt!: Date;
}

export const CoalitionSchema = SchemaFactory.createForClass(Coalition);
// createCoalition: a slug names one coalition.
CoalitionSchema.index({ slug: 1 }, { unique: true });

export type CoalitionRecord = Stored<Coalition>;
