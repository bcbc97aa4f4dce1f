import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { z } from 'zod';
import { relayDeciderSchema, relayStatusSchema, type Channel, type RelayStatus, type RelayView } from '@clarion/contracts';
import type { Stored } from '../common/stored';

export type RelayDecider = z.infer<typeof relayDeciderSchema>;
/** Each decided status has one event on the RELAYS stream. */
export type RelayEventKind = Exclude<RelayStatus, 'pending'>;

@Schema({ collection: 'relays', timestamps: { createdAt: true, updatedAt: false } })
export class Relay {
  @Prop({ required: true }) orgId!: string;
  @Prop({ required: true }) coalitionId!: string;
  @Prop({ required: true }) alertId!: string;
  // A snapshot of the alert as the relay view shows it, kept current by alerts.updated.
  @Prop({ required: true }) alertVersion!: number;
  @Prop({ required: true }) title!: string;
  @Prop({ required: true }) urgency!: string;
  @Prop({ type: [String], required: true }) channels!: Channel[];
  @Prop({ type: String, enum: relayStatusSchema.options, required: true }) status!: RelayStatus;
  @Prop() deadline?: Date;
  @Prop({ type: String }) onDeadline?: RelayView['onDeadline'];
  @Prop() intro?: string;
  @Prop() ctaUrl?: string;
  @Prop() declineReason?: string;
  @Prop({ type: String, enum: relayDeciderSchema.options }) decidedBy?: RelayDecider;
  @Prop() decidedAt?: Date;
  /**
   * The event this relay still owes the RELAYS stream, set in the same write
   * as the decision and cleared once JetStream stored it: an outbox inside
   * the document, as FerretDB has no transactions.
   */
  @Prop({ type: String }) pendingEvent?: RelayEventKind;
  /** When the organisation's staff were told that this review waits, and reminded before its deadline (ReviewNotices). */
  @Prop() reviewAnnouncedAt?: Date;
  @Prop() reviewRemindedAt?: Date;
  createdAt!: Date;
}

export const RelaySchema = SchemaFactory.createForClass(Relay);
// Opening relays for alerts.published: one per alert and organisation, so a redelivery creates none.
RelaySchema.index({ alertId: 1, orgId: 1 }, { unique: true });
// An organisation's relays, newest first (relays.list).
RelaySchema.index({ orgId: 1, createdAt: -1 });
// One alert's relays within its coalition: counts, cancellation, corrections.
RelaySchema.index({ coalitionId: 1, alertId: 1, status: 1 });
// The deadline sweep: pending relays whose deadline passed.
RelaySchema.index({ status: 1, deadline: 1 });
// The outbox sweep: relays still owing an event.
RelaySchema.index({ pendingEvent: 1, decidedAt: 1 });

export type RelayRecord = Stored<Relay>;
/** A relay as opened, before it is stored. */
export type RelayDraft = Omit<Relay, 'createdAt'>;
