import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Channel, Filters, RelayPolicy } from '@clarion/contracts';
import type { Stored } from '../common/stored';

@Schema({ collection: 'memberships', timestamps: { createdAt: true, updatedAt: false } })
export class Membership {
  @Prop({ required: true }) orgId!: string;
  @Prop({ required: true }) coalitionId!: string;
  @Prop({ type: Object, required: true }) filters!: Filters;
  @Prop({ type: [String], required: true }) channels!: Channel[];
  @Prop({ type: Object, required: true }) relayPolicy!: RelayPolicy;
  createdAt!: Date;
}

export const MembershipSchema = SchemaFactory.createForClass(Membership);
// One membership per organisation and coalition; also serves listMemberships (orgId prefix).
MembershipSchema.index({ orgId: 1, coalitionId: 1 }, { unique: true });
// Opening relays for an alert's coalition, and a coordinator's view of its members.
MembershipSchema.index({ coalitionId: 1 });

export type MembershipRecord = Stored<Membership>;
