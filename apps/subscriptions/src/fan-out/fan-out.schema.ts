import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import type { Stored } from '../common/stored';

/** How far one relay's fan-out got: written after each batch JetStream stored, so a restarted fan-out resumes after it. */
@Schema({ collection: 'fan_outs', timestamps: true })
export class FanOut {
  /** The relay's id for its original message; `<relayId>:<follow-up>` for an update or retraction (docs/decisions/0028). */
  @Prop({ required: true }) relayId!: string;
  @Prop({ required: true }) orgId!: string;
  /** The last recipient of the last stored batch; the next batch starts after it. */
  @Prop({ type: Types.ObjectId }) lastSupporterId?: Types.ObjectId;
  @Prop({ required: true, default: 0 }) batches!: number;
  @Prop({ required: true, default: 0 }) recipients!: number;
  @Prop({ required: true, default: false }) done!: boolean;
  /** The alert version this fan-out sent: a correction to it or an older one needs no update. Absent on older records. */
  @Prop() alertVersion?: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export const FanOutSchema = SchemaFactory.createForClass(FanOut);
// One checkpoint per relay, found by its id: a redelivered relayApproved finds it and resumes or skips.
FanOutSchema.index({ relayId: 1 }, { unique: true });

export type FanOutRecord = Stored<FanOut>;
