import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { DeliveryChannel } from '@clarion/contracts';

export const PROGRESS_COUNTERS = ['targeted', 'sent', 'failed', 'suppressed'] as const;
export type ProgressCounterName = (typeof PROGRESS_COUNTERS)[number];
export type ChannelCounters = Record<ProgressCounterName, number>;

/** One relay's counters, kept with `$inc` as batches finish; a live view, not a fact (the ledger is). */
@Schema({ collection: 'relay_progress' })
export class RelayProgress {
  @Prop({ required: true }) relayId!: string;
  @Prop({ required: true }) alertId!: string;
  @Prop({ required: true }) orgId!: string;
  @Prop({ required: true }) coalitionId!: string;
  /** Where a click on the relay's call to action goes: the organisation's own URL when it set one. */
  @Prop({ required: true }) ctaUrl!: string;
  @Prop({ type: Object, required: true }) channels!: Record<DeliveryChannel, ChannelCounters>;
  @Prop({ required: true }) clicked!: number;
  @Prop({ required: true }) updatedAt!: Date;
  /** One more with every update, as the database applies them: the order of the snapshots (contracts' relayProgressV1). */
  @Prop() version?: number;
}

export const RelayProgressSchema = SchemaFactory.createForClass(RelayProgress);
// One document per relay: the upsert of every batch, and clicks.
RelayProgressSchema.index({ relayId: 1 }, { unique: true });
// progress by alert (the coordinator's funnel).
RelayProgressSchema.index({ alertId: 1 });
// progress by organisation, newest first.
RelayProgressSchema.index({ orgId: 1, updatedAt: -1 });
