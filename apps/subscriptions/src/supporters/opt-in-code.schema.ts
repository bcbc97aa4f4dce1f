import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A pending double opt-in code (docs/decisions/0037), or one attempt taken at it. `_id` is the code's key
 * (an HMAC of organisation, channel and contact under a key derived from SECRET_KEY: the number itself is not
 * stored here) or `<key>#<issuedAt>#<n>` for the n-th attempt: FerretDB 1.24's one atomic primitive is an
 * insert refused on a duplicate `_id` (docs/decisions/0013), so each of a code's attempts is a slot claimed
 * by one insert, and parallel guesses cannot share one.
 */
@Schema({ collection: 'opt_in_codes', versionKey: false })
export class OptInCode {
  @Prop({ type: String, required: true }) _id!: string;
  /** HMAC of the key and the code; absent on an attempt slot. */
  @Prop() hash?: string;
  @Prop() issuedAt?: number;
  /** Removed by the sweeper after this (the TTL index FerretDB 1.24 does not implement); ignored on read after it anyway. */
  @Prop({ required: true }) expiresAt!: Date;
  @Prop() attempts?: number;
}

export const OptInCodeSchema = SchemaFactory.createForClass(OptInCode);
