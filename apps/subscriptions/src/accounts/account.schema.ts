import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Grant, StaffLanguage } from '@clarion/contracts';
import type { Stored } from '../common/stored';

/** The one bootstrap slot: its unique index lets only one replica create the first admin's account. */
export const FIRST_ADMIN_ACCOUNT_SLOT = 'first-admin';

/** A person who signs in to a console: one email address with one grant. */
@Schema({ collection: 'accounts', timestamps: { createdAt: true, updatedAt: false } })
export class Account {
  @Prop({ required: true }) email!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ type: Object, required: true }) grant!: Grant;
  @Prop({ type: String, required: true }) language!: StaffLanguage;
  @Prop() lastSignInAt?: Date;
  /** Who invited them (an account or token id), for the record. */
  @Prop() invitedBy?: string;
  @Prop() bootstrapSlot?: string;
  createdAt!: Date;
}

export const AccountSchema = SchemaFactory.createForClass(Account);
// A sign-in request: every account of one address.
AccountSchema.index({ email: 1 });
// Listing an organisation's staff, a coalition's coordinators.
AccountSchema.index({ 'grant.orgId': 1 });
AccountSchema.index({ 'grant.coalitionId': 1 });
AccountSchema.index({ bootstrapSlot: 1 }, { unique: true, sparse: true });
export type AccountRecord = Stored<Account>;

/** A magic link: single use, short-lived; only the hash of its secret is kept. */
@Schema({ collection: 'sign_in_links', timestamps: { createdAt: true, updatedAt: false } })
export class SignInLink {
  @Prop({ required: true }) accountId!: string;
  @Prop({ required: true }) hash!: string;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop() usedAt?: Date;
  /**
   * `<accountId>#<n>`: one of the account's few open-link slots, claimed by an insert its unique index lets
   * only one replica make, and given up once the link is used or expired. Links an administrator made
   * (invitations, the first admin's) take one when one is free, and are made without one otherwise.
   */
  @Prop() openSlot?: string;
  createdAt!: Date;
}
export const SignInLinkSchema = SchemaFactory.createForClass(SignInLink);
SignInLinkSchema.index({ hash: 1 }, { unique: true });
// Sparse: links used, expired or made without a slot hold none.
SignInLinkSchema.index({ openSlot: 1 }, { unique: true, sparse: true });
// An account's links: the slots of its used and expired links, given up before each claim.
SignInLinkSchema.index({ accountId: 1, expiresAt: -1 });
export type SignInLinkRecord = Stored<SignInLink>;

/** A console session: the cookie's secret is known only by its hash. */
@Schema({ collection: 'sessions', timestamps: { createdAt: true, updatedAt: false } })
export class Session {
  @Prop({ required: true }) accountId!: string;
  @Prop({ required: true }) hash!: string;
  @Prop({ required: true }) lastSeenAt!: Date;
  /** The absolute end, however active the session is. */
  @Prop({ required: true }) expiresAt!: Date;
  @Prop() revokedAt?: Date;
  createdAt!: Date;
}
export const SessionSchema = SchemaFactory.createForClass(Session);
SessionSchema.index({ hash: 1 }, { unique: true });
SessionSchema.index({ accountId: 1, createdAt: -1 });
export type SessionRecord = Stored<Session>;
