import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { channelNames, channels, type ChannelName, type ChannelStateOf, type StoredContactOf, type StoredPushSubscription } from '@clarion/channels';
import type { Stored } from '../common/stored';

export { endpointHashOf, type EmailState, type PushState, type StoredPushSubscription } from '@clarion/channels';

/**
 * A supporter's contact on one channel and their consent's state there. The
 * address may be gone while the state stays (a push subscription that no
 * longer exists is `gone`, without its endpoint).
 */
export interface ContactRecord<C extends ChannelName> {
  address?: StoredContactOf<C>;
  state: ChannelStateOf<C>;
}
export type SupporterContacts = { [C in ChannelName]?: ContactRecord<C> };

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
 * One person on one organisation's list, reachable on the channels of
 * `contacts` (keyed by channel, the registry's: libs/channels). Each channel
 * also has a unique key of its own at the top level (`emailKey`,
 * `endpointKey`: the registry's `key.field`), there only for its index (below).
 * Records from before the registry are moved into this shape at start
 * (SupporterContactsMigration).
 */
@Schema({ collection: 'supporters', timestamps: true })
export class Supporter {
  @Prop({ required: true }) orgId!: string;
  @Prop({ type: Object }) contacts?: SupporterContacts;
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
// join / import: one supporter per contact of each channel in an organisation (`<orgId>:<key>`). A key of its
// own with a sparse index, because FerretDB has no partial indexes and MongoDB's sparse compound
// {orgId, contacts.email.address} would still index (and collide) every supporter without an address
// (docs/decisions/0011). The embedded FerretDB answers an equality on these from the index (docs/decisions/0012).
for (const name of channelNames) {
  const { field } = channels[name].key;
  SupporterSchema.add({ [field]: String });
  SupporterSchema.index({ [field]: 1 }, { unique: true, sparse: true });
}

export type SupporterRecord = Stored<Supporter>;

/** The top-level field holding a channel's unique key, and its value for a contact in an organisation. */
export const keyFieldOf = (channel: ChannelName): string => channels[channel].key.field;
export function contactKeyOf<C extends ChannelName>(orgId: string, channel: C, contact: StoredContactOf<C>): string {
  return `${orgId}:${(channels[channel].key.of as (contact: StoredContactOf<C>) => string)(contact)}`;
}
