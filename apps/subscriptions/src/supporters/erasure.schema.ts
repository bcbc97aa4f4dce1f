import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Stored } from '../common/stored';

export type ErasureRequester = 'supporter' | 'organisation-admin' | 'network-admin';

/**
 * The audit entry of one erasure (GDPR Art. 17): that an organisation's
 * supporter was erased, when, at whose request and what went. Nothing in it
 * names the person: no address, no subscription, not even the supporter's id
 * (the ledger's pseudonymised records would be linked again by it).
 */
@Schema({ collection: 'erasures', versionKey: false })
export class Erasure {
  @Prop({ required: true }) orgId!: string;
  @Prop({ required: true }) at!: Date;
  @Prop({ type: String, required: true }) requestedBy!: ErasureRequester;
  /** The API token that asked, when the organisation's or network's admin did. */
  @Prop() tokenId?: string;
  /** Which channels the supporter had: email, push. */
  @Prop({ type: [String], required: true }) channels!: string[];
  @Prop({ required: true }) consentRecords!: number;
  /** Batches on the bus published again without them, and other stored messages that named them and were erased. */
  @Prop({ required: true }) batchesRedacted!: number;
  @Prop({ required: true }) messagesErased!: number;
}

export const ErasureSchema = SchemaFactory.createForClass(Erasure);
// An organisation's erasures, for its own records.
ErasureSchema.index({ orgId: 1, at: 1 });

export type ErasureRecord = Stored<Erasure>;
