import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import type { Stored } from '../common/stored';

export type EmailState = 'pending' | 'active' | 'unsubscribed' | 'suppressed';
export type PushState = 'active' | 'unsubscribed' | 'gone';

export interface StoredPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** sha256 of the endpoint: how delivery's feedback names a subscription without repeating the URL. */
  endpointHash: string;
}

/**
 * The latest join of an existing or new address that waits for its owner:
 * what confirming the link in the email sent for it will do. Nothing of it
 * touches the supporter's channels before (docs/decisions/0022).
 */
export interface PendingJoin {
  /** Named by the confirmation link: a link for another attempt confirms nothing. */
  id: string;
  at: Date;
  /** A browser's subscription given with the address: attached only once the address confirms. */
  push?: StoredPushSubscription;
  language: string;
  topics: string[];
}

/**
 * One person on one organisation's list, reachable by email and/or push.
 * `emailKey` and `endpointKey` exist only for their unique indexes (see below).
 */
@Schema({ collection: 'supporters', timestamps: true })
export class Supporter {
  @Prop({ required: true }) orgId!: string;
  /** Lowercased. */
  @Prop() email?: string;
  @Prop() emailKey?: string;
  @Prop({ type: String }) emailState?: EmailState;
  @Prop({ type: Object }) push?: StoredPushSubscription;
  @Prop() endpointKey?: string;
  @Prop({ type: String }) pushState?: PushState;
  @Prop({ required: true }) language!: string;
  @Prop({ type: [String], default: [] }) topics!: string[];
  /** Confirmation emails asked for so far. */
  @Prop({ default: 0 }) confirmationRequests!: number;
  @Prop({ type: Object }) pendingJoin?: PendingJoin;
  /** When the last confirmation email was asked for: at most one per CONFIRMATION_EMAIL_WINDOW_MS. */
  @Prop() confirmationSentAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}

export const SupporterSchema = SchemaFactory.createForClass(Supporter);
// Fan-out and export: an organisation's supporters in _id order, resumable after any id.
SupporterSchema.index({ orgId: 1, _id: 1 });
// join / import: one supporter per address in an organisation. A key of its own with a sparse index,
// because FerretDB has no partial indexes and MongoDB's sparse compound {orgId, email} would still
// index (and collide) every push-only supporter of the organisation.
SupporterSchema.index({ emailKey: 1 }, { unique: true, sparse: true });
// join: one supporter per push subscription in an organisation (same reason for its own key).
SupporterSchema.index({ endpointKey: 1 }, { unique: true, sparse: true });

export type SupporterRecord = Stored<Supporter>;

export const emailKeyOf = (orgId: string, email: string) => `${orgId}:${email}`;
export const endpointHashOf = (endpoint: string) => createHash('sha256').update(endpoint).digest('hex');
export const endpointKeyOf = (orgId: string, endpointHash: string) => `${orgId}:${endpointHash}`;
