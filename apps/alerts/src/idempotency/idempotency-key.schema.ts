import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type IdempotencyKeyState = 'pending' | 'done';

/**
 * One `Idempotency-Key` as a coalition used it: what it was first sent with,
 * and, once that request succeeded, its answer. Kept for a day (`expiresAt`);
 * FerretDB 1.24 refuses TTL indexes, so expired keys are ignored on read and
 * removed by IdempotencyKeySweeper.
 */
@Schema({ collection: 'idempotency_keys', versionKey: false })
export class IdempotencyKey {
  /**
   * `<coalitionId>:<key>`. The scope is part of the id, so one coalition's key
   * never meets another's, and every lookup is exactly `{ _id }`, the only
   * filter FerretDB answers from an index.
   */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) coalitionId!: string;
  /** sha256 of the request the key was first sent with; a repeat must match it. */
  @Prop({ type: String, required: true }) fingerprint!: string;
  @Prop({ type: String, required: true, enum: ['pending', 'done'] }) state!: IdempotencyKeyState;
  /** While pending: until when the request holding the key is presumed alive; after it, a retry takes over. */
  @Prop({ type: Date }) leaseUntil?: Date;
  /** Once done: the answer as JSON text, so a replay is byte for byte the first answer (BSON would turn omitted fields into nulls). */
  @Prop({ type: String }) response?: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
}

export type IdempotencyKeyRecord = IdempotencyKey;

export const IdempotencyKeySchema = SchemaFactory.createForClass(IdempotencyKey);
// sweeper: keys past their day. Not a TTL index (FerretDB 1.24 answers "not implemented"); MongoDB uses it for the sweep.
IdempotencyKeySchema.index({ expiresAt: 1 });
