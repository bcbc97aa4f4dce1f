import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { InvitationView } from '@clarion/contracts';
import type { Stored } from '../common/stored';

@Schema({ collection: 'invitations', timestamps: { createdAt: true, updatedAt: false } })
export class Invitation {
  @Prop({ required: true }) coalitionId!: string;
  @Prop({ required: true }) orgId!: string;
  @Prop({ type: String, required: true }) status!: InvitationView['status'];
  createdAt!: Date;
}

export const InvitationSchema = SchemaFactory.createForClass(Invitation);
// createInvitation is idempotent per coalition and organisation; createMembership checks it.
InvitationSchema.index({ coalitionId: 1, orgId: 1 }, { unique: true });
// listInvitations, and the coalitions an organisation may see.
InvitationSchema.index({ orgId: 1, createdAt: -1 });

export type InvitationRecord = Stored<Invitation>;
