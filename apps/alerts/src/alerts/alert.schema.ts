import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';
import { alertStatusSchema, urgencySchema, type AlertStatus, type Urgency } from '@clarion/contracts';
import type { PendingEvent } from './pending-event';

/** One language's text as written (Markdown) and as shown (sanitised HTML). */
export interface StoredText {
  title: string;
  body: string;
  bodyHtml: string;
  ctaLabel: string;
}

/** What coordinators write, and what a correction replaces as a whole. */
export interface AlertContent {
  primaryLanguage: string;
  texts: Record<string, StoredText>;
  ctaUrl: string;
  urgency: Urgency;
  topics: string[];
  regions: string[];
  expiresAt?: Date;
}

/** The content as a coordinator last approved it or as it last went out: what "what changed" compares with. */
export interface ReviewedContent extends AlertContent {
  kind: 'approved' | 'published';
  version: number;
  at: Date;
}

/** A published version that a correction replaced. */
export interface ArchivedVersion extends AlertContent {
  version: number;
  replacedAt: Date;
}

// No mongoose __v: `revision` below does that job for the conditional updates this service uses.
@Schema({ collection: 'alerts', timestamps: true, versionKey: false })
export class Alert implements AlertContent {
  @Prop({ type: String, required: true }) coalitionId!: string;
  @Prop({ type: String, required: true, enum: alertStatusSchema.options }) status!: AlertStatus;
  /** The published version: 1 until a correction of the published alert. */
  @Prop({ type: Number, required: true }) version!: number;
  /** Bumped by every write; each write is conditional on the revision it was computed from (optimistic concurrency). */
  @Prop({ type: Number, required: true }) revision!: number;

  @Prop({ type: String, required: true }) primaryLanguage!: string;
  @Prop({ type: Object, required: true }) texts!: Record<string, StoredText>;
  @Prop({ type: String, required: true }) ctaUrl!: string;
  @Prop({ type: String, required: true, enum: urgencySchema.options }) urgency!: Urgency;
  @Prop({ type: [String], default: [] }) topics!: string[];
  @Prop({ type: [String], default: [] }) regions!: string[];
  @Prop({ type: Date }) expiresAt?: Date;

  /** API token ids, not people: a token is what the gateway authenticates. */
  @Prop({ type: String, required: true }) createdBy!: string;
  @Prop({ type: String }) approvedBy?: string;

  /** Set only while the alert is scheduled. */
  @Prop({ type: Date }) scheduledFor?: Date;
  @Prop({ type: Date }) publishedAt?: Date;
  @Prop({ type: Date }) cancelledAt?: Date;
  @Prop({ type: String }) cancelReason?: string;

  @Prop({ type: [Object], default: [] }) versions!: ArchivedVersion[];
  /** Kept through later edits (which return the alert to draft), so the next approver sees what changed since. */
  @Prop({ type: Object }) reviewedContent?: ReviewedContent;
  /** The outbox: events stored with the change that caused them, removed once JetStream has them. */
  @Prop({ type: [Object], default: [] }) pendingEvents!: PendingEvent[];
}

/** An alert as read back with `lean()`. */
export type AlertRecord = Alert & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export const AlertSchema = SchemaFactory.createForClass(Alert);
// list: a coalition's alerts, newest first.
AlertSchema.index({ coalitionId: 1, createdAt: -1 });
// scheduler: scheduled alerts whose time has come.
AlertSchema.index({ status: 1, scheduledFor: 1 });
// scheduler: published alerts past their expiry.
AlertSchema.index({ status: 1, expiresAt: 1 });
// outbox sweep: alerts with events not yet on JetStream (sparse: almost every alert has none).
AlertSchema.index({ 'pendingEvents.payload.eventId': 1 }, { sparse: true });
