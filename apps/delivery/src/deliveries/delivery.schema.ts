import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { deliveryChannelSchema, type DeliveryChannel } from '@clarion/contracts';

export const deliveryStates = ['queued', 'retry', 'sent', 'failed', 'suppressed', 'expired', 'cancelled'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** Still to send: the only records a redelivered batch sends again. */
export const OPEN_STATES: readonly DeliveryState[] = ['queued', 'retry'];

/**
 * The ledger: one record per supporter × channel × relay, whose id is
 * derived from those three (deliveryIdOf). It is the delivery id that goes out
 * with the message (X-Clarion-Delivery-Id, the push
 * payload's deliveryId). No address or endpoint is kept here, and an erased
 * supporter's records keep their counts but lose the supporter's id and any
 * provider message (which may quote the address).
 */
@Schema({ collection: 'deliveries' })
export class Delivery {
  @Prop({ required: true }) relayId!: string;
  @Prop({ required: true }) alertId!: string;
  @Prop({ required: true }) orgId!: string;
  /** Absent once the supporter is erased: the record still counts, but names nobody (docs/decisions/0024). */
  @Prop() supporterId?: string;
  @Prop({ type: String, enum: deliveryChannelSchema.options, required: true }) channel!: DeliveryChannel;
  @Prop({ type: String, enum: deliveryStates, required: true }) state!: DeliveryState;
  @Prop({ required: true }) attempts!: number;
  @Prop() lastError?: string;
  @Prop() sentAt?: Date;
  /**
   * Set on a follow-up's record (`update-v<n>` or `retraction`), whose relayId is then `<relayId>:<followUp>`:
   * a follow-up has a ledger of its own in the same collection, and never counts as the relay's delivery (docs/decisions/0028).
   */
  @Prop() followUp?: string;
  /** When its attempts ran out (the organisation's failures list shows it). */
  @Prop() failedAt?: Date;
}

export const DeliverySchema = SchemaFactory.createForClass(Delivery);
// The _id is derived from relay × supporter × channel (deliveryIdOf), which makes it the unique key.
// Cancelling a relay: its records still open.
DeliverySchema.index({ relayId: 1, state: 1 });
// An alert's failed records, of one organisation or all: its failures list, "resend failed".
DeliverySchema.index({ alertId: 1, orgId: 1, state: 1 });
