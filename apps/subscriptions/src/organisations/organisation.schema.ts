import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { CreateOrganisationInput } from '@clarion/contracts';
import type { Stored } from '../common/stored';

@Schema({ collection: 'organisations', timestamps: { createdAt: true, updatedAt: false } })
export class Organisation {
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) slug!: string;
  @Prop({ required: true }) country!: string;
  @Prop({ type: [String], required: true }) languages!: string[];
  @Prop({ type: Object, required: true }) branding!: CreateOrganisationInput['branding'];
  /** The topic ids its join page offers; absent: every topic of its coalitions. */
  @Prop({ type: [String], default: undefined }) joinTopics?: string[];
  createdAt!: Date;
}

export const OrganisationSchema = SchemaFactory.createForClass(Organisation);
// createOrganisation: a slug names one organisation (its public page's address).
OrganisationSchema.index({ slug: 1 }, { unique: true });

export type OrganisationRecord = Stored<Organisation>;
