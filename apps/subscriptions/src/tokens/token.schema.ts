import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Grant } from '@clarion/contracts';
import type { Stored } from '../common/stored';

/** The one bootstrap slot: its unique index lets only one replica create the first admin. */
export const FIRST_ADMIN_SLOT = 'first-admin';

@Schema({ collection: 'tokens', timestamps: { createdAt: true, updatedAt: false } })
export class Token {
  @Prop({ required: true }) name!: string;
  /** sha256 of the secret; the secret itself is never stored. */
  @Prop({ required: true }) hash!: string;
  @Prop({ type: Object, required: true }) grant!: Grant;
  @Prop() revokedAt?: Date;
  @Prop() bootstrapSlot?: string;
  createdAt!: Date;
}

export const TokenSchema = SchemaFactory.createForClass(Token);
// resolveToken: find a presented secret by its hash.
TokenSchema.index({ hash: 1 }, { unique: true });
// listTokens / revokeToken within one organisation.
TokenSchema.index({ 'grant.orgId': 1, createdAt: -1 });
// No query: at most one bootstrap admin however many replicas start at once (sparse: other tokens have no slot).
TokenSchema.index({ bootstrapSlot: 1 }, { unique: true, sparse: true });

export type TokenRecord = Stored<Token>;
