import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Stored } from '../common/stored';

@Schema({ collection: 'coalitions', timestamps: { createdAt: true, updatedAt: false } })
export class Coalition {
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) slug!: string;
  @Prop() description?: string;
  @Prop({ required: true }) requireSecondApproval!: boolean;
  /** Who may read the coalition's CAP feed; token-protected unless a coordinator makes it public. */
  @Prop({ type: String, enum: ['public', 'token'] }) capFeedAccess?: 'public' | 'token';
  /** SHA-256 of the feed token (hex): the token itself is shown once, when issued. */
  @Prop() capFeedTokenHash?: string;
  createdAt!: Date;
}

export const CoalitionSchema = SchemaFactory.createForClass(Coalition);
// createCoalition: a slug names one coalition.
CoalitionSchema.index({ slug: 1 }, { unique: true });

export type CoalitionRecord = Stored<Coalition>;
