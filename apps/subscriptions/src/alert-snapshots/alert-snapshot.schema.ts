import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { AlertSnapshot as AlertSnapshotContract } from '@clarion/contracts';
import type { Stored } from '../common/stored';

/** The latest version of an alert as the alerts service published it: what fan-out and public pages render from. */
@Schema({ collection: 'alert_snapshots', timestamps: { createdAt: false, updatedAt: true } })
export class AlertSnapshot {
  @Prop({ required: true }) alertId!: string;
  @Prop({ required: true }) version!: number;
  /** The event's snapshot as it came, validated against the contract on the way in. */
  @Prop({ type: Object, required: true }) snapshot!: AlertSnapshotContract;
}

export const AlertSnapshotSchema = SchemaFactory.createForClass(AlertSnapshot);
// One snapshot per alert (the newest version): fan-out and the public relay page look it up by alertId.
AlertSnapshotSchema.index({ alertId: 1 }, { unique: true });

export type AlertSnapshotRecord = Stored<AlertSnapshot>;
